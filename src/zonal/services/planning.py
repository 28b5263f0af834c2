"""Use cases: the demand a stored forecast puts on each zone, and the plan that staffs it.

A plan takes seconds and each zone's roster up to `ROSTER_SECONDS`, so no page computes one:
`Planner` keeps computed plans in the store under what they depend on (`PlanKey`: the run,
what it is staffed to, the newest import of its dataset, the planning settings), computes
the overviews when a forecast is stored (`prepare`), and hands anything missing to the
`Jobs` port, showing "being computed" until it is there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl

from zonal import __version__
from zonal.errors import InputError, NotFoundError
from zonal.forecasting.runs import StoredForecastRun
from zonal.planning.io import zone_demand
from zonal.planning.plans import PLAN_SETTINGS, PlanOutcome, ZonePlan, plan_zones, zone_plan
from zonal.planning.roster import RosterSolver
from zonal.planning.service_times import ServiceProfile, ServiceTimeEstimator
from zonal.planning.snapshot import (
    FORMAT,
    OVERVIEW,
    PlanKey,
    PlanState,
    PlanSummary,
    StoredPlan,
    pack_summary,
    pack_zone_plan,
    summarise,
    unpack_summary,
    unpack_zone_plan,
)
from zonal.services.forecasts import (
    NO_RUN,
    DatasetForecastRequest,
    SavedForecast,
    choose_run,
    forecast_dataset,
    get_run,
)
from zonal.services.ports import Jobs, StoreUnitOfWork

SERVICE_HISTORY = timedelta(weeks=8)  # calls before the origin that give the service times
STAFF_TO: tuple[str, ...] = ("mean", "q-0.8", "q-0.9")  # what a planner may staff to
STALE_CLAIM = timedelta(minutes=10)  # a claim older than this is a worker that died
SETTINGS = f"{PLAN_SETTINGS}; snapshot {FORMAT}; zonal {__version__}"


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
class PlanView:
    """A run's plan overview as a page shows it: ready, being computed, or failed (why)."""

    run: StoredForecastRun
    key: PlanKey  # what the overview was computed from; a zone's plan shares all but the zone
    state: PlanState
    summary: PlanSummary | None = None
    message: str | None = None

    @property
    def staff_to(self) -> str:
        return self.key.staff_to


@dataclass(frozen=True)
class ZonePlanView:
    """One zone's plan of a run as a page shows it: ready, being computed, or failed (why)."""

    run: StoredForecastRun
    zone: str
    staff_to: str
    state: PlanState
    plan: ZonePlan | None = None
    message: str | None = None


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


class Planner:
    """The plans of stored forecast runs, each computed once and kept in the store.

    Args:
        uows: a new unit of work on the store per call (jobs run on other threads).
        jobs: where the solving runs (zonal.services.jobs).
        now: the clock, for claims and their staleness.
        roster_solver: solves the zones' rosters (CP-SAT for ROSTER_SECONDS by default).
    """

    def __init__(
        self,
        uows: Callable[[], StoreUnitOfWork],
        jobs: Jobs,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        roster_solver: RosterSolver | None = None,
    ) -> None:
        self.uows, self.jobs, self.now = uows, jobs, now
        self.roster_solver = roster_solver

    def overview(self, run_id: int | None = None, staff_to: str = "mean") -> PlanView | None:
        """Run `run_id`'s (default: the newest) plan of every zone; None without any run.

        Raises:
            InputError: `staff_to` is not one of STAFF_TO. NotFoundError: no run `run_id`.
        """
        _check(staff_to)
        run = choose_run(self.uows(), run_id)
        if run is None:
            return None
        key = self._key(run, staff_to, OVERVIEW)
        stored = self._ensure(key, run)
        summary = unpack_summary(stored.content) if stored.content is not None else None
        return PlanView(run, key, stored.state, summary, stored.message)

    def zone(self, zone: str, run_id: int | None = None, staff_to: str = "mean") -> ZonePlanView:
        """One zone's plan and roster of run `run_id` (default: the newest).

        Raises:
            InputError: `staff_to` is not one of STAFF_TO. NotFoundError: no run is stored,
            no run `run_id`, or the run's plan has no zone `zone` (the message lists them).
        """
        overview = self.overview(run_id, staff_to)
        if overview is None:
            raise NotFoundError(NO_RUN)
        if overview.summary is None:  # the overview says which zones exist: wait for it
            return ZonePlanView(
                overview.run, zone, staff_to, overview.state, None, overview.message
            )
        zones = overview.summary.zones["unique_id"].to_list()
        if zone not in zones:
            raise NotFoundError(f"zone {zone!r} is not in the plan; planned zones: {zones}")
        stored = self._ensure(overview.key.for_zone(zone), overview.run)
        plan = unpack_zone_plan(stored.content) if stored.content is not None else None
        return ZonePlanView(overview.run, zone, staff_to, stored.state, plan, stored.message)

    def prepare(self, run_id: int, staff_to: Iterable[str] = STAFF_TO) -> None:
        """Compute the overviews of run `run_id` now, for the job that stores the forecast;
        the rosters follow when a page asks for them."""
        run = get_run(self.uows(), run_id)
        for level in staff_to:
            _check(level)
            self._compute(self._key(run, level, OVERVIEW), run)

    def _key(self, run: StoredForecastRun, staff_to: str, zone: str) -> PlanKey:
        with self.uows() as uow:
            incidents = uow.imports.latest_id(run.dataset) or 0
        return PlanKey(run.id, staff_to, zone, incidents, SETTINGS)

    def _ensure(self, key: PlanKey, run: StoredForecastRun) -> StoredPlan:
        """The snapshot of `key` if ready; else its computation is handed to the jobs."""
        stored = self._stored(key)
        if stored is None or stored.state is not PlanState.READY:
            self.jobs.submit(key, lambda: self._compute(key, run))
            stored = self._stored(key) or StoredPlan(key, PlanState.COMPUTING, self.now())
        return stored

    def _stored(self, key: PlanKey) -> StoredPlan | None:
        with self.uows() as uow:
            return uow.plans.get(key)

    def _compute(self, key: PlanKey, run: StoredForecastRun) -> None:
        """Claim `key`, solve it and keep the result; a failure is kept with its reason."""
        now = self.now()
        with self.uows() as uow:
            won = uow.plans.claim(key, now, now - STALE_CLAIM)
            uow.commit()
        if not won:
            return
        try:
            content = self._solve(key, run)
        except Exception as error:
            with self.uows() as uow:
                uow.plans.fail(key, f"{type(error).__name__}: {error}", self.now())
                uow.commit()
            raise
        with self.uows() as uow:
            uow.plans.finish(key, content, self.now())
            uow.commit()

    def _solve(self, key: PlanKey, run: StoredForecastRun) -> bytes:
        outcome = self._outcome(run, key.staff_to)
        if key.zone == OVERVIEW:
            return pack_summary(summarise(outcome))
        return pack_zone_plan(zone_plan(outcome, key.zone, run.time_zone, self.roster_solver))

    def _outcome(self, run: StoredForecastRun, staff_to: str) -> PlanOutcome:
        stored = stored_zone_demand(self.uows(), run.id)
        service, _ = service_times(stored, ServiceProfile.exponential())
        return plan_zones(stored.zones, service, run.time_zone, staff_to)


def _check(staff_to: str) -> None:
    if staff_to not in STAFF_TO:
        raise InputError(f"staff to {staff_to!r}? Choose one of {list(STAFF_TO)}")


def forecast_and_plan(planner: Planner, request: DatasetForecastRequest) -> SavedForecast:
    """Forecast a stored dataset, store the run with its backtest, and compute the overview
    of its plan at every staffing level, so the planning page opens on a ready plan."""
    saved = forecast_dataset(planner.uows(), request)
    planner.prepare(saved.run.id)
    return saved
