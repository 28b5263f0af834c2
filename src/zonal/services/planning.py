"""Use cases: the demand a stored forecast puts on each zone, and the plan that staffs it.

A plan takes seconds and each zone's roster up to `ROSTER_SECONDS`, and a stored run never
changes, so plans are kept per process, keyed on the run (its id and creation time, which
tell runs of two stores apart) and what it is staffed to.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import timedelta
from threading import Lock
from typing import Generic, TypeVar

import polars as pl

from zonal.errors import InputError, NotFoundError
from zonal.forecasting.runs import StoredForecastRun
from zonal.planning.io import zone_demand
from zonal.planning.plans import PlanOutcome, ZonePlan, plan_zones, zone_plan
from zonal.planning.service_times import ServiceProfile, ServiceTimeEstimator
from zonal.services.forecasts import NO_RUN, choose_run, get_run
from zonal.services.ports import StoreUnitOfWork

SERVICE_HISTORY = timedelta(weeks=8)  # calls before the origin that give the service times
STAFF_TO: tuple[str, ...] = ("mean", "q-0.8", "q-0.9")  # what a planner may staff to


@dataclass(frozen=True)
class StoredDemand:
    """A run's zone demand (unique_id = zone, ds local, mean, q-...) and its dataset's calls."""

    run: StoredForecastRun
    zones: pl.DataFrame
    incidents: pl.DataFrame  # the dataset's incidents of the weeks before the origin


@dataclass(frozen=True)
class PlanInput:
    """What planning a stored run starts from: its zone demand and the service times."""

    demand: StoredDemand
    service: ServiceProfile
    source: str  # where the service times come from, to tell the user


@dataclass(frozen=True)
class RunPlan:
    """A stored run and the plan of its zones."""

    run: StoredForecastRun
    outcome: PlanOutcome


def stored_zone_demand(uow: StoreUnitOfWork, run_id: int) -> StoredDemand:
    """Zone totals of forecast run `run_id`, in the run's clock, and the calls behind it.

    Raises:
        NotFoundError: no run `run_id`.
    """
    with uow:
        run = uow.forecasts.get(run_id)
        if run is None:
            raise NotFoundError(f"forecast run {run_id} does not exist; see /forecast for runs")
        points = uow.forecasts.points(run_id)
        start = run.origin - SERVICE_HISTORY
        incidents = uow.incidents.read(datasets=[run.dataset], start=start, end=run.origin)
    local = points.with_columns(pl.col("ds").dt.convert_time_zone(run.time_zone))
    return StoredDemand(run, zone_demand(local), incidents)


def service_times(stored: StoredDemand, default: ServiceProfile) -> tuple[ServiceProfile, str]:
    """Service times from the dataset's dispatch timestamps, or `default` when it has none;
    with a line saying which."""
    try:
        profile = ServiceTimeEstimator().fit(stored.incidents).profile_
    except InputError as reason:
        return default, f"{reason}: using the default service times"
    return profile, f"service times from {stored.run.dataset!r}"


def plan_input(
    uow: StoreUnitOfWork, run_id: int, default: ServiceProfile, *, estimate: bool = True
) -> PlanInput:
    """Run `run_id`'s zone demand with service times estimated from its dataset's calls
    (`estimate`), else `default`.

    Raises:
        NotFoundError: no run `run_id`.
    """
    stored = stored_zone_demand(uow, run_id)
    if not estimate:
        return PlanInput(stored, default, "the given service times")
    service, source = service_times(stored, default)
    return PlanInput(stored, service, source)


def run_plan(uow: StoreUnitOfWork, run_id: int, staff_to: str = "mean") -> PlanOutcome:
    """The plan of every zone of a stored run, staffed to its mean or one of STAFF_TO.

    Raises:
        InputError: `staff_to` is not one of STAFF_TO. NotFoundError: no run `run_id`.
    """
    return _plan(uow, get_run(uow, run_id), staff_to)


def run_zone_plan(uow: StoreUnitOfWork, run_id: int, zone: str, staff_to: str = "mean") -> ZonePlan:
    """One zone of a stored run's plan with its roster of synthetic officers.

    Raises:
        NotFoundError: no such run, or the zone is not in it.
    """
    run = get_run(uow, run_id)
    plan = _plan(uow, run, staff_to)
    return _ZONE_PLANS.get(_key(run, staff_to, zone), lambda: zone_plan(plan, zone, run.time_zone))


def plan_of_run(
    uow: StoreUnitOfWork, run_id: int | None = None, staff_to: str = "mean"
) -> RunPlan | None:
    """Run `run_id` (default: the newest) with the plan of its zones; None without a run."""
    run = choose_run(uow, run_id)
    return None if run is None else RunPlan(run, run_plan(uow, run.id, staff_to))


def zone_plan_of_run(
    uow: StoreUnitOfWork, zone: str, run_id: int | None = None, staff_to: str = "mean"
) -> tuple[StoredForecastRun, ZonePlan]:
    """Run `run_id` (default: the newest) and the plan of one of its zones.

    Raises:
        NotFoundError: no run is stored, no run `run_id`, or the zone is not in it.
    """
    run = choose_run(uow, run_id)
    if run is None:
        raise NotFoundError(NO_RUN)
    return run, run_zone_plan(uow, run.id, zone, staff_to)


def _plan(uow: StoreUnitOfWork, run: StoredForecastRun, staff_to: str) -> PlanOutcome:
    if staff_to not in STAFF_TO:
        raise InputError(f"staff to {staff_to!r}? Choose one of {list(STAFF_TO)}")

    def plan() -> PlanOutcome:
        stored = stored_zone_demand(uow, run.id)
        service, _ = service_times(stored, ServiceProfile.exponential())
        return plan_zones(stored.zones, service, stored.run.time_zone, staff_to)

    return _PLANS.get(_key(run, staff_to), plan)


def _key(run: StoredForecastRun, *parts: str) -> Hashable:
    return (run.id, run.created_at, *parts)


T = TypeVar("T")


class _Kept(Generic[T]):
    """The `size` values used last, in this process; two threads may build one value twice,
    never corrupt the order."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


_PLANS: _Kept[PlanOutcome] = _Kept(16)
_ZONE_PLANS: _Kept[ZonePlan] = _Kept(64)
