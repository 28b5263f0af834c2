"""The named roster as a CP-SAT model (OR-Tools) behind the RosterSolver protocol.

Hard: availability, rest between shifts (overlap, same day, under the minimum rest),
consecutive working days and nights, maximum hours. Soft (penalised, so a short-staffed
zone still gets its best roster): uncovered officer-hours, missing skills, hours under
contract, night and weekend shifts outside each officer's fair band.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from functools import reduce

import numpy as np
from ortools.sat.python import cp_model

from zonal.planning.roster.greedy import GreedyRosterSolver
from zonal.planning.roster.model import RosterProblem, RosterSolution
from zonal.planning.solvers import SolveStatus

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


class CpSatRosterSolver:
    """CP-SAT with a time limit; returns the best roster found and its gap.

    Args:
        num_workers: parallel search workers (the cores to use).
        relative_gap_limit: stop once (objective - bound) / objective is under this.
        random_seed: fixes the search for reproducible rosters.
        warm_start: start the search from the greedy roster.
    """

    name = "cp-sat"

    def __init__(
        self,
        num_workers: int = 2,
        relative_gap_limit: float = 0.01,
        random_seed: int = 0,
        warm_start: bool = True,
    ) -> None:
        self.num_workers = num_workers
        self.relative_gap_limit = relative_gap_limit
        self.random_seed = random_seed
        self.warm_start = warm_start

    def solve(self, problem: RosterProblem, time_limit: float) -> RosterSolution:
        """Solve within `time_limit` seconds (model building included)."""
        started = time.perf_counter()
        builder = _Builder(problem)
        if self.warm_start:
            greedy = GreedyRosterSolver().solve(problem, time_limit)
            if greedy.assignment is not None:
                builder.hint(greedy.assignment)
        remaining = time_limit - (time.perf_counter() - started)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = float(max(remaining, 0.01))
        solver.parameters.num_workers = int(self.num_workers)
        solver.parameters.relative_gap_limit = float(self.relative_gap_limit)
        solver.parameters.random_seed = int(self.random_seed)
        code = solver.solve(builder.model)
        status = _STATUS.get(code, SolveStatus.NO_SOLUTION)
        seconds = time.perf_counter() - started
        if not status.has_solution:
            return RosterSolution(status, None, None, None, None, seconds, self.name)
        objective, bound = solver.objective_value, solver.best_objective_bound
        gap = abs(objective - bound) / max(1.0, abs(objective))
        if gap > 1e-9:
            # CP-SAT says OPTIMAL once the gap limit is met; we keep "optimal" for proven ones.
            status = SolveStatus.FEASIBLE
        assignment = builder.read(solver)
        return RosterSolution(status, assignment, objective, bound, gap, seconds, self.name)


class _Builder:
    """Builds the model; keeps the (unit, slot) -> variable map to read the answer back."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {
            (int(u), int(s)): self.model.new_bool_var(f"x{u}_{s}")
            for u, s in zip(*np.nonzero(problem.allowed), strict=True)
        }
        self.by_unit: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        for (u, s), var in self.x.items():
            self.by_unit.setdefault(u, []).append((s, var))
        self.day_windows = list(
            _windows(problem, problem.rules.max_consecutive_days + 1, np.ones_like(problem.night))
        )
        self.night_windows = list(
            _windows(problem, problem.rules.max_consecutive_nights + 1, problem.night)
        )
        self.penalties: list[cp_model.LinearExprT] = []
        for u in range(len(problem.units)):
            self._unit_rules(u)
            self._unit_goals(u)
        self._coverage()
        self.model.minimize(sum(self.penalties))

    def hint(self, assignment: np.ndarray) -> None:
        """Start the search from a known roster (e.g. the greedy one)."""
        for (u, s), var in self.x.items():
            self.model.add_hint(var, bool(assignment[u, s]))

    def read(self, solver: cp_model.CpSolver) -> np.ndarray:
        """The (U, S) boolean assignment of the solver's best solution."""
        assignment = np.zeros(self.problem.allowed.shape, dtype=bool)
        for (u, s), var in self.x.items():
            assignment[u, s] = solver.boolean_value(var)
        return assignment

    def _vars(self, u: int, slots: np.ndarray) -> list[cp_model.IntVar]:
        return [self.x[u, int(s)] for s in slots if (u, int(s)) in self.x]

    def _unit_rules(self, u: int) -> None:
        p, model = self.problem, self.model
        for i, j in p.conflicts:
            if (u, int(i)) in self.x and (u, int(j)) in self.x:
                model.add_bool_or([self.x[u, int(i)].Not(), self.x[u, int(j)].Not()])
        if u not in self.by_unit:
            return
        limits = (
            (self.day_windows, p.rules.max_consecutive_days),
            (self.night_windows, p.rules.max_consecutive_nights),
        )
        for windows, limit in limits:
            for window in windows:
                chosen = self._vars(u, window)
                if len(chosen) > limit:
                    model.add(sum(chosen) <= limit)
        model.add(self._hours(u) <= math.floor(p.max_hours[u] + 1e-9))

    def _unit_goals(self, u: int) -> None:
        p, model = self.problem, self.model
        if u not in self.by_unit:
            return
        size = p.units[u].size
        target = _reachable(p.target_hours[u], p.hours)
        under = model.new_int_var(0, max(target, 0), f"under{u}")
        model.add(self._hours(u) + under >= target)
        self.penalties.append(p.weights.under_contract * size * under)
        for flags, band in ((p.night, p.night_band[u]), (p.weekend, p.weekend_band[u])):
            count = sum(self._vars(u, np.flatnonzero(flags)))
            deviation = model.new_int_var(0, len(p.slots), f"dev{u}")
            model.add(deviation >= count - int(band[1]))
            model.add(deviation >= int(band[0]) - count)
            self.penalties.append(p.weights.fairness * size * deviation)

    def _hours(self, u: int) -> cp_model.LinearExpr:
        p = self.problem
        pairs = self.by_unit.get(u, [])
        return cp_model.LinearExpr.weighted_sum(
            [var for _, var in pairs], [int(p.hours[s]) for s, _ in pairs]
        )

    def _coverage(self) -> None:
        p, model = self.problem, self.model
        by_slot: dict[int, list[int]] = {}
        for u, s in self.x:
            by_slot.setdefault(s, []).append(u)
        for s, need in enumerate(p.need):
            units = by_slot.get(s, [])
            short = model.new_int_var(0, int(need), f"short{s}")
            assigned = sum(int(p.units[u].size) * self.x[u, s] for u in units)
            model.add(assigned + short >= int(need))
            self.penalties.append(p.weights.shortfall * int(p.hours[s]) * short)
            for skill, needs in p.skill_need.items():
                if needs[s] == 0:
                    continue
                missing = model.new_int_var(0, int(needs[s]), f"skill{s}")
                have = sum(int(p.skill_count[skill][u]) * self.x[u, s] for u in units)
                model.add(have + missing >= int(needs[s]))
                self.penalties.append(p.weights.skills * int(p.hours[s]) * missing)


def _windows(problem: RosterProblem, length: int, flags: np.ndarray) -> Iterator[np.ndarray]:
    """Slots (with `flags`) of each run of `length` consecutive days."""
    n_days = int(problem.day.max()) + 1
    for first in range(0, n_days - length + 1):
        inside = (problem.day >= first) & (problem.day < first + length) & flags.astype(bool)
        yield np.flatnonzero(inside)


def _reachable(target: float, hours: np.ndarray) -> int:
    """The target rounded down to what whole shifts can add up to (e.g. 121.6 h -> 120 h).

    Without it an 8-hour roster would pay a penalty no roster can avoid, which only
    blurs the gap.
    """
    step = int(reduce(math.gcd, (int(h) for h in np.unique(hours)), 0)) or 1
    return int(math.floor(target / step + 1e-9) * step)
