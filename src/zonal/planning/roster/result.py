"""A solved roster as frames: who works what, coverage per slot, hours per officer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from zonal.planning.roster.model import RosterProblem, RosterSolution
from zonal.planning.roster.rules import officers_per_slot, skill_shortfall
from zonal.planning.solvers import SolveStatus

UTC = pl.Datetime("us", "UTC")


@dataclass(frozen=True)
class RosterResult:
    """The roster and how well it does.

    Attributes:
        assignments: officer_id, team, shift, start, end (UTC), hours.
        coverage: slot_id, shift, start, end, hours, needed, assigned, short, skills_short.
        officers: officer_id, team, shifts, hours, target_hours, nights, weekends.
        status, objective, bound, gap, seconds, solver: the solver's report.
    """

    assignments: pl.DataFrame
    coverage: pl.DataFrame
    officers: pl.DataFrame
    status: SolveStatus
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    solver: str

    @property
    def uncovered(self) -> pl.DataFrame:
        """The slots short of officers or of a required skill: what to fix by hand."""
        return self.coverage.filter((pl.col("short") > 0) | (pl.col("skills_short") > 0))

    @property
    def short_officer_hours(self) -> float:
        """Officer-hours the roster leaves uncovered."""
        return float((self.coverage["short"] * self.coverage["hours"]).sum())


def build_result(problem: RosterProblem, solution: RosterSolution) -> RosterResult:
    """Frames of `solution` (which must carry an assignment)."""
    assignment = (
        solution.assignment
        if solution.assignment is not None
        else np.zeros(problem.allowed.shape, dtype=bool)
    )
    return RosterResult(
        assignments=_assignments(problem, assignment),
        coverage=_coverage(problem, assignment),
        officers=_officers(problem, assignment),
        status=solution.status,
        objective=solution.objective,
        bound=solution.bound,
        gap=solution.gap,
        seconds=solution.seconds,
        solver=solution.solver,
    )


def _slot_columns(problem: RosterProblem, index: np.ndarray) -> dict[str, pl.Series]:
    slots = [problem.slots[int(s)] for s in index]
    return {
        "shift": pl.Series([slot.shift for slot in slots], dtype=pl.String),
        "start": pl.Series([slot.start for slot in slots], dtype=UTC),
        "end": pl.Series([slot.end for slot in slots], dtype=UTC),
        "hours": pl.Series([slot.hours for slot in slots], dtype=pl.Int64),
    }


def _assignments(problem: RosterProblem, assignment: np.ndarray) -> pl.DataFrame:
    units, slots = np.nonzero(assignment)
    members = [
        (m, int(s)) for u, s in zip(units, slots, strict=True) for m in problem.units[u].members
    ]
    index = np.array([s for _, s in members], dtype=np.int64)
    frame = pl.DataFrame(
        {
            "officer_id": pl.Series([m.officer_id for m, _ in members], dtype=pl.String),
            "team": pl.Series([m.team for m, _ in members], dtype=pl.String),
            **_slot_columns(problem, index),
        }
    )
    return frame.sort("start", "officer_id")


def _coverage(problem: RosterProblem, assignment: np.ndarray) -> pl.DataFrame:
    index = np.arange(len(problem.slots))
    assigned = officers_per_slot(problem, assignment)
    return pl.DataFrame(
        {
            "slot_id": [slot.slot_id for slot in problem.slots],
            **_slot_columns(problem, index),
            "needed": problem.need,
            "assigned": assigned,
            "short": np.maximum(problem.need - assigned, 0),
            "skills_short": skill_shortfall(problem, assignment),
        }
    )


def _officers(problem: RosterProblem, assignment: np.ndarray) -> pl.DataFrame:
    rows = []
    for u, unit in enumerate(problem.units):
        worked = assignment[u]
        for member in unit.members:
            rows.append(
                {
                    "officer_id": member.officer_id,
                    "team": member.team,
                    "shifts": int(worked.sum()),
                    "hours": float(problem.hours[worked].sum()),
                    "target_hours": float(problem.target_hours[u]),
                    "nights": int((worked & problem.night).sum()),
                    "weekends": int((worked & problem.weekend).sum()),
                }
            )
    return pl.DataFrame(rows, schema_overrides={"team": pl.String})
