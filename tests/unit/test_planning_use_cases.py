"""The Planner on the in-memory store: plans are solved outside the request, once per key,
kept in the store, and shown as "being computed" until they are there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import Clock
from zonal.errors import InputError, NotFoundError
from zonal.incidents.demo import DEMO_DATASET, DemoSpec
from zonal.incidents.import_runs import ImportRunCreate
from zonal.planning.roster import GreedyRosterSolver
from zonal.planning.snapshot import OVERVIEW, PlanState
from zonal.services import planning
from zonal.services.demo import build_demo
from zonal.services.forecasts import DatasetForecastRequest, forecast_dataset
from zonal.services.planning import STALE_CLAIM, Planner, forecast_and_plan
from zonal.storage.memory import InMemoryStoreUnitOfWork

DAY = DatasetForecastRequest(dataset=DEMO_DATASET, horizon="1d", model="window-average")


class QueuedJobs:
    """Keeps submitted jobs until the test runs them, as a background worker would later."""

    def __init__(self) -> None:
        self.queued: dict[object, Callable[[], None]] = {}

    def submit(self, key: object, work: Callable[[], None]) -> None:
        self.queued.setdefault(key, work)

    def run_all(self) -> int:
        ran = 0
        while self.queued:
            _, work = self.queued.popitem()
            work()
            ran += 1
        return ran


@pytest.fixture(scope="module")
def stored() -> tuple[InMemoryStoreUnitOfWork, int]:
    uow = InMemoryStoreUnitOfWork()
    build_demo(uow, DemoSpec(days=35, seed=5))
    return uow, forecast_dataset(uow, DAY).run.id


def fresh_planner(stored: tuple[InMemoryStoreUnitOfWork, int]) -> tuple[Planner, QueuedJobs]:
    uow, _ = stored
    with uow:  # every test starts without kept plans
        uow.plans.tables.plans.clear()  # type: ignore[attr-defined]
        uow.commit()
    jobs = QueuedJobs()
    return Planner(lambda: uow, jobs, roster_solver=GreedyRosterSolver()), jobs


def test_a_first_visit_is_told_the_plan_is_being_computed_and_a_job_makes_it(
    stored: tuple[InMemoryStoreUnitOfWork, int],
) -> None:
    planner, jobs = fresh_planner(stored)
    first = planner.overview()
    assert first is not None and first.state is PlanState.COMPUTING and first.summary is None
    assert len(jobs.queued) == 1
    planner.overview()
    assert len(jobs.queued) == 1, "a second visit does not queue the same plan twice"
    assert jobs.run_all() == 1
    ready = planner.overview()
    assert ready is not None and ready.state is PlanState.READY and ready.summary is not None
    assert ready.summary.zones.height == 6 and not jobs.queued


def test_a_zone_waits_for_the_overview_then_for_its_roster(
    stored: tuple[InMemoryStoreUnitOfWork, int],
) -> None:
    planner, jobs = fresh_planner(stored)
    waiting = planner.zone("5342")
    assert waiting.state is PlanState.COMPUTING and waiting.plan is None
    jobs.run_all()  # the overview
    roster = planner.zone("5342")
    assert roster.state is PlanState.COMPUTING and roster.plan is None
    jobs.run_all()  # the roster
    ready = planner.zone("5342")
    assert ready.state is PlanState.READY and ready.plan is not None
    assert ready.plan.zone == "5342" and ready.plan.roster.assignments.height > 0
    with pytest.raises(NotFoundError, match=r"'9999'.*'5339'"):
        planner.zone("9999")


def test_a_new_import_of_the_dataset_plans_again(
    stored: tuple[InMemoryStoreUnitOfWork, int],
) -> None:
    uow, _ = stored
    planner, jobs = fresh_planner(stored)
    planner.overview()
    jobs.run_all()
    with uow:
        now = datetime.now(UTC)
        uow.imports.record(
            ImportRunCreate(DEMO_DATASET, "again.csv", None, "Europe/Brussels", now, 0, 0, 0)
        )
        uow.commit()
    again = planner.overview()
    assert again is not None and again.state is PlanState.COMPUTING, "its calls changed"


def test_a_failed_solve_is_kept_with_its_reason_and_tried_again(
    stored: tuple[InMemoryStoreUnitOfWork, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    planner, jobs = fresh_planner(stored)
    planner.overview()

    def broken(*args: object, **kwargs: object) -> None:
        raise InputError("no shift tiles the day")

    monkeypatch.setattr(planning, "plan_zones", broken)
    with pytest.raises(InputError):
        jobs.run_all()
    failed = planner.overview()
    assert failed is not None and failed.state is PlanState.FAILED
    assert failed.message == "InputError: no shift tiles the day"
    monkeypatch.undo()
    assert jobs.run_all() == 1, "the visit that saw the failure queued a new try"
    retried = planner.overview()
    assert retried is not None and retried.state is PlanState.READY


def test_a_claim_is_won_once_and_taken_over_only_when_stale(
    stored: tuple[InMemoryStoreUnitOfWork, int],
) -> None:
    uow, run_id = stored
    fresh_planner(stored)
    key = planning.PlanKey(run_id, "mean", OVERVIEW, 1, planning.SETTINGS)
    now = Clock()()
    with uow:
        assert uow.plans.claim(key, now, now - STALE_CLAIM)
        assert not uow.plans.claim(key, now, now - STALE_CLAIM)
        later = now + STALE_CLAIM + timedelta(seconds=1)
        assert uow.plans.claim(key, later, later - STALE_CLAIM), "the first worker died"
        uow.plans.finish(key, b"done", later)
        assert not uow.plans.claim(key, later + STALE_CLAIM * 2, later + STALE_CLAIM)


def test_the_job_that_stores_a_forecast_prepares_every_overview() -> None:
    uow = InMemoryStoreUnitOfWork()
    build_demo(uow, DemoSpec(days=35, seed=5))
    jobs = QueuedJobs()
    planner = Planner(lambda: uow, jobs)
    saved = forecast_and_plan(planner, DAY)
    for level in planning.STAFF_TO:
        view = planner.overview(saved.run.id, level)
        assert view is not None and view.state is PlanState.READY, level
    assert not jobs.queued, "nothing was left for a page to compute"


def test_an_unknown_staffing_level_is_refused_with_the_choices(
    stored: tuple[InMemoryStoreUnitOfWork, int],
) -> None:
    planner, _ = fresh_planner(stored)
    with pytest.raises(InputError, match=r"'q-0.5'.*'mean', 'q-0.8', 'q-0.9'"):
        planner.overview(staff_to="q-0.5")
