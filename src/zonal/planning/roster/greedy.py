"""A greedy roster: the fake solver of unit tests, CP-SAT's first hint, and its fallback.

Slots are filled in time order; each takes the eligible units furthest below their
contract hours (then those with the fewest nights or weekends), skilled officers first.
Every hard rule holds by construction; the soft goals are only approximated.
"""

from __future__ import annotations

import time

import numpy as np

from zonal.planning.roster.model import RosterProblem, RosterSolution
from zonal.planning.solvers import SolveStatus


class GreedyRosterSolver:
    """Chronological greedy assignment; deterministic, fast, never better than it looks."""

    name = "greedy"

    def solve(self, problem: RosterProblem, time_limit: float) -> RosterSolution:  # noqa: ARG002
        """A roster respecting every hard rule, with shortfalls where the greedy ran dry."""
        started = time.perf_counter()
        state = _State(problem)
        for s in range(len(problem.slots)):
            state.fill(s)
        return RosterSolution(
            SolveStatus.FEASIBLE,
            state.assignment,
            None,
            None,
            None,
            time.perf_counter() - started,
            self.name,
        )


class _State:
    def __init__(self, problem: RosterProblem) -> None:
        self.p = problem
        n_units, n_slots = problem.allowed.shape
        n_days = int(problem.day.max()) + 1
        self.assignment = np.zeros((n_units, n_slots), dtype=bool)
        self.hours = np.zeros(n_units)
        self.nights = np.zeros(n_units, dtype=np.int64)
        self.weekends = np.zeros(n_units, dtype=np.int64)
        self.worked = np.zeros((n_units, n_days), dtype=bool)
        self.night_days = np.zeros((n_units, n_days), dtype=bool)
        self.earlier = [problem.conflicts[problem.conflicts[:, 1] == s, 0] for s in range(n_slots)]
        self.size = problem.size

    def fill(self, s: int) -> None:
        eligible = self._eligible(s)
        order = self._ranking(s, eligible)
        remaining = int(self.p.need[s])
        for skill, needs in self.p.skill_need.items():
            missing = int(needs[s]) - int(self.p.skill_count[skill] @ self.assignment[:, s])
            for u in order:
                if missing <= 0:
                    break
                if self.p.skill_count[skill][u] > 0 and not self.assignment[u, s]:
                    self._assign(u, s)
                    missing -= int(self.p.skill_count[skill][u])
        remaining -= int(self.size @ self.assignment[:, s])
        for u in order:
            if remaining <= 0:
                break
            if not self.assignment[u, s] and self.size[u] <= max(remaining, 1):
                self._assign(u, s)
                remaining -= int(self.size[u])

    def _eligible(self, s: int) -> np.ndarray:
        p, day = self.p, int(self.p.day[s])
        ok = p.allowed[:, s] & (self.hours + p.hours[s] <= p.max_hours + 1e-9)
        if self.earlier[s].size:
            ok &= ~self.assignment[:, self.earlier[s]].any(axis=1)
        ok &= _run_before(self.worked, day) + 1 <= p.rules.max_consecutive_days
        if p.night[s]:
            ok &= _run_before(self.night_days, day) + 1 <= p.rules.max_consecutive_nights
        return np.flatnonzero(ok)

    def _ranking(self, s: int, eligible: np.ndarray) -> list[int]:
        p = self.p
        deficit = (p.target_hours - self.hours) / np.maximum(p.target_hours, 1.0)
        over_nights = (self.nights - p.night_band[:, 1]) * p.night[s]
        over_weekends = (self.weekends - p.weekend_band[:, 1]) * p.weekend[s]
        # lexsort's last key leads: first keep officers inside their fair bands, then
        # favour those furthest below their contract hours.
        over_band = (over_nights + over_weekends)[eligible] > 0
        keys = (-deficit[eligible], over_band)
        return [int(eligible[i]) for i in np.lexsort(keys)]

    def _assign(self, u: int, s: int) -> None:
        p, day = self.p, int(self.p.day[s])
        self.assignment[u, s] = True
        self.hours[u] += p.hours[s]
        self.worked[u, day] = True
        self.nights[u] += int(p.night[s])
        self.weekends[u] += int(p.weekend[s])
        self.night_days[u, day] |= bool(p.night[s])


def _run_before(days: np.ndarray, day: int) -> np.ndarray:
    """Per unit, consecutive flagged days ending the day before `day`."""
    window = days[:, :day][:, ::-1]
    if window.shape[1] == 0:
        return np.zeros(days.shape[0], dtype=np.int64)
    broken = ~window
    first_gap = np.where(broken.any(axis=1), broken.argmax(axis=1), window.shape[1])
    return np.asarray(first_gap, dtype=np.int64)
