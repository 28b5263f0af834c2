"""The roster estimator: officers and slots in, the best roster within the time limit out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Protocol, Self
from zoneinfo import ZoneInfo

import polars as pl

from zonal.errors import InputError, ZonalError
from zonal.planning.roster.compile import compile_problem
from zonal.planning.roster.cpsat import CpSatRosterSolver
from zonal.planning.roster.greedy import GreedyRosterSolver
from zonal.planning.roster.model import (
    EMPTY_SKILLS,
    Officer,
    RestRules,
    RosterProblem,
    RosterSlot,
    RosterSolution,
    RosterWeights,
)
from zonal.planning.roster.result import build_result
from zonal.planning.roster.rules import violations

DEFAULT_RULES = RestRules()
DEFAULT_WEIGHTS = RosterWeights()


class RosterSolver(Protocol):
    """Anything that turns a RosterProblem into a RosterSolution within a time limit."""

    name: str

    def solve(self, problem: RosterProblem, time_limit: float) -> RosterSolution:
        """The best roster found within `time_limit` seconds."""
        ...


class Rosterer:
    """Assign named officers to shift slots.

    Args:
        rules: hard working-time rules.
        weights: penalties of shortfall, missing skills, hours under contract, unfairness.
        solver: a RosterSolver (default CP-SAT); the greedy roster takes over if it finds none.
        time_limit: seconds for the solver.
        time_zone: wall clock of days, nights and weekends.
    """

    def __init__(
        self,
        rules: RestRules = DEFAULT_RULES,
        weights: RosterWeights = DEFAULT_WEIGHTS,
        *,
        solver: RosterSolver | None = None,
        time_limit: float = 60.0,
        time_zone: str = "Europe/Brussels",
    ) -> None:
        self.rules = rules
        self.weights = weights
        self.solver = solver
        self.time_limit = time_limit
        self.time_zone = time_zone

    def fit(self, officers: Sequence[Officer], slots: Sequence[RosterSlot]) -> Self:
        """Roster `officers` over `slots`; returns self with `problem_` and `roster_`.

        Raises:
            InputError: no officers, no slots, or inconsistent input.
            ZonalError: the solver returned a roster breaking a hard rule (a solver bug).
        """
        if self.time_limit <= 0:
            raise InputError(f"time_limit {self.time_limit!r} must be > 0 seconds")
        problem = compile_problem(officers, slots, self.rules, self.weights, self.time_zone)
        solver = self.solver if self.solver is not None else CpSatRosterSolver()
        solution = solver.solve(problem, self.time_limit)
        if solution.assignment is None:
            # The solver found nothing in time: the greedy roster is better than none.
            solution = GreedyRosterSolver().solve(problem, self.time_limit)
        assignment = solution.assignment
        broken = violations(problem, assignment) if assignment is not None else ["no roster"]
        if broken:
            raise ZonalError(
                f"solver {solution.solver!r} returned a roster breaking hard rules "
                f"({len(broken)}), e.g. {broken[0]}; report this bug"
            )
        self.problem_ = problem
        self.roster_ = build_result(problem, solution)
        return self


def slots_from_plan(
    starts: pl.DataFrame,
    *,
    team_size: int = 2,
    weeks: int = 4,
    time_zone: str = "Europe/Brussels",
    skills: Mapping[str, int] = EMPTY_SKILLS,
) -> list[RosterSlot]:
    """Roster slots from one zone's designed shifts (ShiftPlan.starts filtered to the zone).

    The plan's week repeats `weeks` times on the wall clock (a 06:00 start stays 06:00
    across a daylight-saving change).

    Raises:
        InputError: the frame holds several zones or lacks shift columns.
    """
    missing = [c for c in ("shift", "start", "hours", "teams") if c not in starts.columns]
    if missing:
        raise InputError(f"shift plan lacks columns {missing}; pass ShiftPlan.starts")
    if "unique_id" in starts.columns and starts["unique_id"].n_unique() > 1:
        raise InputError(
            "the shift plan holds several zones; filter it to one, e.g. "
            "plan.starts.filter(pl.col('unique_id') == '5339')"
        )
    if team_size < 1 or weeks < 1:
        raise InputError(f"team_size ({team_size}) and weeks ({weeks}) must be at least 1")
    zone = ZoneInfo(time_zone)
    slots = []
    for row in starts.iter_rows(named=True):
        local = row["start"].astimezone(zone)
        for week in range(weeks):
            slots.append(
                RosterSlot(
                    shift=row["shift"],
                    start=local + timedelta(days=7 * week),
                    hours=int(row["hours"]),
                    officers=int(row["teams"]) * team_size,
                    skills=skills,
                )
            )
    return slots
