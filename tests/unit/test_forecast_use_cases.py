"""The forecast and planning use cases on the in-memory store: no database, the same answers
the pages and commands get from SQLite and PostgreSQL (tests/integration/test_store.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import polars as pl
import pytest

from zonal.errors import NotFoundError
from zonal.forecasting import CITIZEN_DEMAND
from zonal.incidents.demo import DEMO_DATASET, DemoSpec
from zonal.planning.snapshot import PlanState
from zonal.services.demo import build_demo
from zonal.services.forecasts import (
    NO_RUN,
    DatasetForecastRequest,
    SavedForecast,
    area_forecast,
    dataset_time_zone,
    forecast_dataset,
    forecast_index,
    forecast_stored_dataset,
    get_run,
    run_points,
)
from zonal.services.jobs import InlineJobs
from zonal.services.planning import Planner
from zonal.storage.memory import InMemoryStoreUnitOfWork

ZONES = ("5339", "5340", "5341", "5342", "5343", "5344")
DAY = DatasetForecastRequest(dataset=DEMO_DATASET, horizon="1d", model="window-average")


def demo_store(days: int = 35) -> InMemoryStoreUnitOfWork:
    uow = InMemoryStoreUnitOfWork()
    build_demo(uow, DemoSpec(days=days, seed=5))
    return uow


@pytest.fixture(scope="module")
def forecast() -> tuple[InMemoryStoreUnitOfWork, SavedForecast]:
    """Five weeks of the synthetic demo in memory and a stored day-ahead forecast of it."""
    uow = demo_store()
    return uow, forecast_dataset(uow, DAY)


def test_a_stored_dataset_is_forecast_in_its_clock_and_kept(
    forecast: tuple[InMemoryStoreUnitOfWork, SavedForecast],
) -> None:
    uow, saved = forecast
    assert dataset_time_zone(uow, DEMO_DATASET) == "Europe/Brussels"
    assert get_run(uow, saved.run.id) == saved.run
    assert saved.run.origin.utcoffset() == timedelta(0), "stored instants come back in UTC"
    assert saved.run.backtest_origin == saved.run.origin - timedelta(days=7)
    with uow:
        stored = uow.forecasts.points(saved.run.id)
    fitted = saved.forecast.select(stored.columns).sort("unique_id", "ds")
    assert stored.equals(fitted.with_columns(pl.col("ds").dt.convert_time_zone("UTC")))


def test_the_forecast_page_reads_the_run_back(
    forecast: tuple[InMemoryStoreUnitOfWork, SavedForecast],
) -> None:
    uow, saved = forecast
    index = forecast_index(uow)
    assert index.run == saved.run and index.runs == [saved.run]
    expected = dict(index.areas.iter_rows())
    assert list(expected)[:7] == ["all", *ZONES], "the total first, zones in number order"
    assert sum(expected[z] for z in ZONES) == pytest.approx(expected["all"], rel=1e-6)


def test_an_area_shows_its_name_fan_and_the_incidents_before_the_origin(
    forecast: tuple[InMemoryStoreUnitOfWork, SavedForecast],
) -> None:
    uow, saved = forecast
    view = area_forecast(uow, "5339")
    assert view.zone is not None and view.zone.name("en") == "Brussels-Capital/Ixelles"
    assert view.forecast.height == 24
    assert view.forecast["ds"].dtype == pl.Datetime("us", "Europe/Brussels")
    assert view.history.height == 14 * 24
    origin = saved.run.origin
    with uow:
        stored = uow.incidents.read(datasets=[DEMO_DATASET], zones=["5339"])
    counted = stored.filter(
        pl.col("origin").is_in(list(CITIZEN_DEMAND)),
        pl.col("occurred_at").is_between(origin - timedelta(days=14), origin, closed="left"),
    )
    assert view.history["y"].sum() == counted.height > 0
    assert view.clusters["expected"].sum() == pytest.approx(view.forecast["mean"].sum(), rel=1e-6)


def test_points_of_one_area_in_the_runs_clock(
    forecast: tuple[InMemoryStoreUnitOfWork, SavedForecast],
) -> None:
    uow, saved = forecast
    points = run_points(uow, saved.run.id, "5339")
    assert set(points["area"]) == {"5339"} and "all" in set(points["cluster"])
    assert points.height == 24 * points["unique_id"].n_unique()
    assert points["ds"].dtype == pl.Datetime("us", "Europe/Brussels")
    with pytest.raises(NotFoundError, match="'9999' is not in forecast run"):
        run_points(uow, saved.run.id, "9999")


def test_unknown_runs_datasets_and_areas_say_what_exists(
    forecast: tuple[InMemoryStoreUnitOfWork, SavedForecast],
) -> None:
    uow, saved = forecast
    with pytest.raises(NotFoundError, match="forecast run 99 does not exist"):
        area_forecast(uow, "5339", 99)
    with pytest.raises(NotFoundError, match=r"zones: \['all', '5339'"):
        area_forecast(uow, "9999", saved.run.id)
    with pytest.raises(NotFoundError, match=rf"'nope'.*\['{DEMO_DATASET}'\]"):
        forecast_stored_dataset(uow, DatasetForecastRequest(dataset="nope"))


def test_without_a_run_the_pages_say_how_to_make_one() -> None:
    empty = InMemoryStoreUnitOfWork()
    index = forecast_index(empty)
    assert index.run is None and index.runs == [] and index.areas.height == 0
    with pytest.raises(NotFoundError, match="no forecast is stored yet"):
        area_forecast(empty, "5339")
    planner = Planner(lambda: empty, InlineJobs())
    assert planner.overview() is None
    with pytest.raises(NotFoundError, match=NO_RUN):
        planner.zone("5339")


def test_a_forecast_not_kept_leaves_the_store_as_it_was() -> None:
    uow = demo_store(days=21)
    run = forecast_stored_dataset(uow, DAY, time_zone="UTC")
    assert run.forecast["ds"].dtype == pl.Datetime("us", "UTC")
    assert forecast_index(uow).runs == []


class CountingJobs(InlineJobs):
    """Runs each job at once and counts them: a plan already kept is not solved again."""

    def __init__(self) -> None:
        self.submitted: list[object] = []

    def submit(self, key: object, work: Callable[[], None]) -> None:
        self.submitted.append(key)
        super().submit(key, work)


def test_plans_are_kept_per_run_and_not_mixed_up_between_stores(
    forecast: tuple[InMemoryStoreUnitOfWork, SavedForecast],
) -> None:
    uow, saved = forecast
    jobs = CountingJobs()
    planner = Planner(lambda: uow, jobs)
    planned = planner.overview()
    assert planned is not None and planned.run == saved.run
    assert planned.state is PlanState.READY and planned.summary is not None
    again = planner.overview(saved.run.id)
    assert again is not None and again.summary is not None
    assert again.summary.zones.equals(planned.summary.zones)
    assert len(jobs.submitted) == 1, "the second visit is not re-planned"
    assert set(planned.summary.zones["unique_id"]) == set(ZONES)
    other = demo_store(days=28)
    run = forecast_dataset(other, DAY).run
    assert run.id == saved.run.id
    theirs = Planner(lambda: other, jobs).overview(run.id)
    assert theirs is not None and len(jobs.submitted) == 2, "another store's run 1 is its own"
    with pytest.raises(NotFoundError, match="9999"):  # a zone's roster: tests/integration
        planner.zone("9999", saved.run.id)
