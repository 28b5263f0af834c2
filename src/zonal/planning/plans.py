"""Plans: the planning steps chained (demand to requirements to shifts, one zone's roster)
and one zone's plan ready to show (curve, shifts, roster in the zone's clock).

Use cases and the CLI call these rather than wiring the estimators themselves. Seeded: the
same demand gives the same plan for every caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from zonal.errors import NotFoundError
from zonal.planning.evaluate import plan_versus_flat
from zonal.planning.requirements import StaffingRequirements
from zonal.planning.roster import (
    CpSatRosterSolver,
    Officer,
    Rosterer,
    RosterResult,
    RosterSolver,
    slots_from_plan,
)
from zonal.planning.roster.model import EMPTY_SKILLS
from zonal.planning.roster.synthetic import demo_officers
from zonal.planning.service_times import (
    DEFAULT_P1_SHARE,
    DEFAULT_SERVICE_MINUTES,
    ServiceProfile,
)
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


ROSTER_SECONDS = 8.0
TEAM_SIZE = 2
# What a plan computed by the pages depends on besides its demand: a snapshot computed under
# other settings is computed again (zonal.services.planning).
PLAN_SETTINGS = (
    f"roster {ROSTER_SECONDS:g} s, teams of {TEAM_SIZE}, default service "
    f"{DEFAULT_SERVICE_MINUTES:g} min with {DEFAULT_P1_SHARE:g} priority 1"
)


@dataclass(frozen=True)
class ZonePlan:
    """One zone's part of a plan, in the zone's clock, ready to show."""

    zone: str
    time_zone: str
    curve: pl.DataFrame  # ds (local), demand, required, planned, p1_within_target
    starts: pl.DataFrame  # shift, start, end (local), hours, teams
    comparison: dict[str, float]
    roster: RosterResult


def plan_zones(
    demand: pl.DataFrame, service: ServiceProfile, time_zone: str, column: str | None = None
) -> PlanOutcome:
    """Requirements, shifts and the flat-plan comparison of every zone of `demand`, with the
    defaults the pages show (90% of P1 calls within a minute, teams of two), staffed to the
    demand `column` (the mean by default, or a quantile such as `q-0.9`)."""
    requirements = StaffingRequirements(service=service, time_zone=time_zone, column=column)
    designer = ShiftDesigner(team_size=TEAM_SIZE, time_zone=time_zone)
    return plan_demand(demand, requirements, designer)


def zone_plan(
    outcome: PlanOutcome, zone: str, time_zone: str, solver: RosterSolver | None = None
) -> ZonePlan:
    """One zone's curve, shifts and a four-week roster of synthetic officers sized to it,
    solved by `solver` (CP-SAT for `ROSTER_SECONDS` by default).

    Raises:
        NotFoundError: `zone` is not in the plan (the message lists the zones).
    """
    zones = outcome.comparison["unique_id"].to_list()
    if zone not in zones:
        raise NotFoundError(f"zone {zone!r} is not in the plan; planned zones: {zones}")
    weekly = outcome.shifts.summary.filter(pl.col("unique_id") == zone)["officer_hours"].sum()
    rosterer = Rosterer(
        solver=solver or CpSatRosterSolver(), time_limit=ROSTER_SECONDS, time_zone=time_zone
    )
    roster = roster_zone(outcome, zone, demo_officers(float(weekly)), rosterer, team_size=TEAM_SIZE)
    mine = pl.col("unique_id") == zone
    local = pl.col("ds").dt.convert_time_zone(time_zone)
    return ZonePlan(
        zone=zone,
        time_zone=time_zone,
        curve=outcome.curve.filter(mine).with_columns(local).drop("unique_id"),
        starts=outcome.shifts.starts.filter(mine)
        .with_columns(
            pl.col("start").dt.convert_time_zone(time_zone),
            pl.col("end").dt.convert_time_zone(time_zone),
        )
        .drop("unique_id")
        .sort("start"),
        comparison=outcome.comparison.filter(mine).row(0, named=True),
        roster=roster,
    )
