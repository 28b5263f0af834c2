"""One zone's plan ready to show (curve, shifts, roster), and the in-memory demo plan.

`zone_plan` serves the web page for any plan; `demo_outcome` is the plan of the synthetic
Brussels demo that `zonal plan ... --demo` uses without a store. Both are seeded: the same
for every caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from zonal.errors import NotFoundError
from zonal.planning.demo import DEMO_TIME_ZONE, demo_officers, planning_demo
from zonal.planning.pipeline import PlanOutcome, plan_demand, roster_zone
from zonal.planning.requirements import StaffingRequirements
from zonal.planning.roster import CpSatRosterSolver, Rosterer, RosterResult
from zonal.planning.service import ServiceProfile, ServiceTimeEstimator
from zonal.planning.shifts import ShiftDesigner

ROSTER_SECONDS = 8.0
TEAM_SIZE = 2


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


def zone_plan(outcome: PlanOutcome, zone: str, time_zone: str) -> ZonePlan:
    """One zone's curve, shifts and a four-week roster of synthetic officers sized to it.

    Raises:
        NotFoundError: `zone` is not in the plan (the message lists the zones).
    """
    zones = outcome.comparison["unique_id"].to_list()
    if zone not in zones:
        raise NotFoundError(f"zone {zone!r} is not in the plan; planned zones: {zones}")
    weekly = outcome.shifts.summary.filter(pl.col("unique_id") == zone)["officer_hours"].sum()
    rosterer = Rosterer(solver=CpSatRosterSolver(), time_limit=ROSTER_SECONDS, time_zone=time_zone)
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


@cache
def demo_outcome() -> PlanOutcome:
    """The plan of the six demo zones from four weeks of synthetic history, in memory."""
    data = planning_demo()
    service = ServiceTimeEstimator().fit(data.incidents).profile_
    return plan_zones(data.zone_demand, service, DEMO_TIME_ZONE)
