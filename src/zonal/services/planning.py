"""Use cases: the demand a stored forecast puts on each zone, and the plan that staffs it.

Plans are cached per store and run: a plan takes seconds and each zone's roster up to
`ROSTER_SECONDS`, and a stored run never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import polars as pl
from sqlalchemy import Engine

from zonal.errors import InputError
from zonal.planning.io import zone_demand
from zonal.planning.plans import PlanOutcome, ZonePlan, plan_zones, zone_plan
from zonal.planning.service_times import ServiceProfile, ServiceTimeEstimator
from zonal.storage import read_incidents
from zonal.storage.forecasts import StoredForecastRun, get_forecast_run, read_forecast_points

SERVICE_HISTORY = timedelta(weeks=8)  # calls before the origin that give the service times


@dataclass(frozen=True)
class StoredDemand:
    """A run's zone demand (unique_id = zone, ds local, mean, q-...) and its dataset's calls."""

    run: StoredForecastRun
    zones: pl.DataFrame
    incidents: pl.DataFrame  # the dataset's incidents of the weeks before the origin


def stored_zone_demand(engine: Engine, run_id: int) -> StoredDemand:
    """Zone totals of forecast run `run_id`, in the run's clock, and the calls behind it.

    Raises:
        NotFoundError: no run `run_id`.
    """
    run = get_forecast_run(engine, run_id)
    points = read_forecast_points(engine, run_id)
    local = points.with_columns(pl.col("ds").dt.convert_time_zone(run.time_zone))
    start = run.origin - SERVICE_HISTORY
    incidents = read_incidents(engine, datasets=[run.dataset], start=start, end=run.origin)
    return StoredDemand(run, zone_demand(local), incidents)


def service_times(stored: StoredDemand, default: ServiceProfile) -> tuple[ServiceProfile, str]:
    """Service times from the dataset's dispatch timestamps, or `default` when it has none;
    with a line saying which."""
    try:
        profile = ServiceTimeEstimator().fit(stored.incidents).profile_
    except InputError as reason:
        return default, f"{reason}: using the default service times"
    return profile, f"service times from {stored.run.dataset!r}"


STAFF_TO: tuple[str, ...] = ("mean", "q-0.8", "q-0.9")  # what a planner may staff to


@lru_cache(maxsize=16)
def run_plan(engine: Engine, run_id: int, staff_to: str = "mean") -> PlanOutcome:
    """The plan of every zone of a stored run, staffed to its mean or one of STAFF_TO.

    Raises:
        InputError: `staff_to` is not one of STAFF_TO.
    """
    if staff_to not in STAFF_TO:
        raise InputError(f"staff to {staff_to!r}? Choose one of {list(STAFF_TO)}")
    stored = stored_zone_demand(engine, run_id)
    service, _ = service_times(stored, ServiceProfile.exponential())
    return plan_zones(stored.zones, service, stored.run.time_zone, staff_to)


@lru_cache(maxsize=64)
def run_zone_plan(engine: Engine, run_id: int, zone: str, staff_to: str = "mean") -> ZonePlan:
    """One zone of a stored run's plan with its roster of synthetic officers.

    Raises:
        NotFoundError: no such run, or the zone is not in it.
    """
    plan = run_plan(engine, run_id, staff_to)
    return zone_plan(plan, zone, get_forecast_run(engine, run_id).time_zone)
