"""The planning steps chained: demand to requirements to shifts, and one zone's roster.

Entry points (CLI, web) call these rather than wiring the estimators themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from zonal.errors import NotFoundError
from zonal.planning.evaluate import plan_versus_flat
from zonal.planning.requirements import StaffingRequirements
from zonal.planning.roster import Officer, Rosterer, RosterResult, slots_from_plan
from zonal.planning.roster.model import EMPTY_SKILLS
from zonal.planning.shifts import ShiftDesigner, ShiftPlan


@dataclass(frozen=True)
class PlanOutcome:
    """Requirements, shifts and the comparison with a flat 24/7 plan, for every zone."""

    requirements: StaffingRequirements
    shifts: ShiftPlan
    comparison: pl.DataFrame

    @property
    def curve(self) -> pl.DataFrame:
        """unique_id, ds, demand, required, planned, p1_within_target: one row per hour."""
        required = self.requirements.requirements_.select(
            "unique_id", "ds", "demand", "p1_within_target"
        )
        return required.join(
            self.shifts.coverage.select("unique_id", "ds", "required", "planned"),
            on=["unique_id", "ds"],
        ).sort("unique_id", "ds")


def plan_demand(
    demand: pl.DataFrame, requirements: StaffingRequirements, designer: ShiftDesigner
) -> PlanOutcome:
    """Fit `requirements` on `demand`, design shifts on them, compare with a flat plan.

    Raises:
        InputError: from either estimator (bad demand, shifts that do not tile the day, ...).
    """
    requirements.fit(demand)
    plan = designer.fit(requirements.requirements_).plan_
    comparison = plan_versus_flat(requirements, plan, designer.team_size)
    return PlanOutcome(requirements, plan, comparison)


def roster_zone(
    outcome: PlanOutcome,
    zone: str,
    officers: Sequence[Officer],
    rosterer: Rosterer,
    *,
    weeks: int = 4,
    team_size: int = 2,
    skills: Mapping[str, int] = EMPTY_SKILLS,
) -> RosterResult:
    """Roster `officers` on `zone`'s designed shifts repeated over `weeks`.

    Raises:
        NotFoundError: the plan has no such zone (the message lists the zones).
    """
    starts = outcome.shifts.starts.filter(pl.col("unique_id") == zone)
    if starts.height == 0:
        zones = sorted(outcome.shifts.starts["unique_id"].unique().to_list())
        raise NotFoundError(f"zone {zone!r} is not in the plan; planned zones: {zones}")
    slots = slots_from_plan(
        starts,
        team_size=team_size,
        weeks=weeks,
        time_zone=rosterer.time_zone,
        skills=skills,
    )
    return rosterer.fit(officers, slots).roster_
