"""The demo zones' plan and rosters, computed once per process for the web page and CLI.

The planning page has no stored forecasts to read yet, so it shows the synthetic Brussels
demo: the plan takes a few seconds and each zone's roster up to `ROSTER_SECONDS`, so both
are cached (they are seeded: the same for every visitor).
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
from zonal.planning.service import ServiceTimeEstimator
from zonal.planning.shifts import ShiftDesigner

ROSTER_SECONDS = 8.0
TEAM_SIZE = 2


@dataclass(frozen=True)
class ZonePlan:
    """One zone's part of the demo plan, ready to show."""

    zone: str
    curve: pl.DataFrame  # ds (local), demand, required, planned, p1_within_target
    starts: pl.DataFrame  # shift, start, end (local), hours, teams
    comparison: dict[str, float]
    roster: RosterResult


@cache
def demo_outcome() -> PlanOutcome:
    """Requirements, shifts and the flat-plan comparison of the six demo zones."""
    data = planning_demo()
    service = ServiceTimeEstimator().fit(data.incidents).profile_
    requirements = StaffingRequirements(service=service, time_zone=DEMO_TIME_ZONE)
    designer = ShiftDesigner(team_size=TEAM_SIZE, time_zone=DEMO_TIME_ZONE)
    return plan_demand(data.zone_demand, requirements, designer)


@cache
def demo_zone_plan(zone: str) -> ZonePlan:
    """One demo zone's curve, shifts and four-week roster of synthetic officers.

    Raises:
        NotFoundError: `zone` is not a demo zone (the message lists them).
    """
    outcome = demo_outcome()
    zones = outcome.comparison["unique_id"].to_list()
    if zone not in zones:
        raise NotFoundError(f"zone {zone!r} has no demo plan; demo zones: {zones}")
    weekly = outcome.shifts.summary.filter(pl.col("unique_id") == zone)["officer_hours"].sum()
    rosterer = Rosterer(
        solver=CpSatRosterSolver(), time_limit=ROSTER_SECONDS, time_zone=DEMO_TIME_ZONE
    )
    roster = roster_zone(outcome, zone, demo_officers(float(weekly)), rosterer, team_size=TEAM_SIZE)
    mine = pl.col("unique_id") == zone
    local = pl.col("ds").dt.convert_time_zone(DEMO_TIME_ZONE)
    return ZonePlan(
        zone=zone,
        curve=outcome.curve.filter(mine).with_columns(local).drop("unique_id"),
        starts=outcome.shifts.starts.filter(mine)
        .with_columns(
            pl.col("start").dt.convert_time_zone(DEMO_TIME_ZONE),
            pl.col("end").dt.convert_time_zone(DEMO_TIME_ZONE),
        )
        .drop("unique_id")
        .sort("start"),
        comparison=outcome.comparison.filter(mine).row(0, named=True),
        roster=roster,
    )
