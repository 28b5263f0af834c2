"""Forecasting a stored dataset: its own time zone, a stored run and its backtest, the page view."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from zonal.errors import NotFoundError
from zonal.forecasting import DEFAULT_QUANTILES, quantile_column
from zonal.forecasting.features import FEATURE_GROUPS
from zonal.geo import ZoneRegistry, default_registry
from zonal.incidents.demo import DEMO_DATASET, DemoSpec
from zonal.services.demo import build_demo
from zonal.services.forecasts import (
    DatasetForecastRequest,
    area_forecast,
    area_history,
    choose_run,
    dataset_time_zone,
    forecast_dataset,
    run_areas,
)
from zonal.services.imports import ImportRequest, import_incidents
from zonal.services.ports import StoreUnitOfWork
from zonal.storage import SqlStoreUnitOfWork

pytestmark = pytest.mark.slow
CHICAGO = ZoneInfo("America/Chicago")


def calls_file(folder: Path, days: int = 70) -> Path:
    """A US city's calls in two districts, its clock on Chicago time, busier in the evening."""
    rng = np.random.default_rng(3)
    start = datetime(2024, 2, 1)
    hours = rng.choice(days * 24, size=days * 40, p=_evening(days))
    times = [
        start + timedelta(hours=int(h), minutes=int(m))
        for h, m in zip(hours, rng.integers(0, 60, hours.size), strict=True)
    ]
    frame = pl.DataFrame(
        {
            "start": [t.strftime("%Y-%m-%d %H:%M") for t in times],
            "district": rng.choice(["11", "12"], size=hours.size, p=[0.7, 0.3]),
            "type": rng.choice(["THEFT", "ASSAULT", "BURGLARY"], size=hours.size),
        }
    )
    path = folder / "calls.csv"
    frame.write_csv(path)
    return path


def _evening(days: int) -> np.ndarray:
    weight = np.tile(1.0 + np.sin(np.arange(24) / 24 * 2 * np.pi - 2.0) * 0.8, days)
    return weight / weight.sum()


@pytest.fixture
def chicago(sql_uow: SqlStoreUnitOfWork, tmp_path: Path) -> StoreUnitOfWork:
    request = ImportRequest(
        path=calls_file(tmp_path),
        mapping="time=start,zone=district,category=type",
        time_zone="America/Chicago",
        dataset="calls",
        check_zones=False,
    )
    import_incidents(sql_uow, request, tmp_path)
    return sql_uow


def test_a_dataset_is_forecast_in_the_time_zone_of_its_import(chicago: StoreUnitOfWork) -> None:
    assert dataset_time_zone(chicago, "calls") == "America/Chicago"
    request = DatasetForecastRequest(dataset="calls", horizon="2d", origin=date(2024, 3, 10))
    saved = forecast_dataset(chicago, request)
    # 2024-03-10 is the night US clocks spring forward: local midnight is 06:00 UTC
    assert saved.run.origin.astimezone(CHICAGO) == datetime(2024, 3, 10, tzinfo=CHICAGO)
    assert saved.run.time_zone == "America/Chicago"
    # 38 days are enough for the production model; the backtest a week earlier had 31, too
    # few, and the run says what stood in for the model there
    assert saved.run.fallback is None
    assert saved.run.accuracy["fallback"] == {"gbm": "SeasonalWindowAverage"}
    total = saved.forecast.filter(pl.col("unique_id") == "all|all")
    assert total.height == 48 and total["ds"].dt.hour().to_list()[:4] == [0, 1, 3, 4]


def test_a_stored_run_holds_the_forecast_and_the_backtest_of_the_week_before(
    chicago: StoreUnitOfWork,
) -> None:
    # two months of history: enough for the production model itself, not its fallback
    request = DatasetForecastRequest(dataset="calls", horizon="7d", origin=date(2024, 4, 1))
    saved = forecast_dataset(chicago, request)
    run = saved.run
    assert run.backtest_origin is not None
    assert run.origin - run.backtest_origin == timedelta(days=7)
    assert run.fallback is None and run.accuracy["fallback"] == {}
    # what the model leans on: every feature group, shares of the gain summing to one
    assert set(run.drivers) == set(FEATURE_GROUPS)
    assert sum(run.drivers.values()) == pytest.approx(1)
    models = {row["model"] for row in run.accuracy["by_level"]}
    assert models == {"gbm", "window-average"}
    assert {row["level"] for row in run.accuracy["by_level"]} >= {"total", "zone"}
    with chicago:
        points = chicago.forecasts.points(run.id)
    assert points.height == saved.forecast.height == run.series * 168
    assert points["mean"].sum() == pytest.approx(saved.forecast["mean"].sum())
    assert all(quantile_column(t) in points.columns for t in DEFAULT_QUANTILES)


def test_the_page_view_of_an_area(chicago: StoreUnitOfWork) -> None:
    request = DatasetForecastRequest(dataset="calls", horizon="7d", origin=date(2024, 3, 5))
    run = forecast_dataset(chicago, request).run
    assert choose_run(chicago) == run and choose_run(chicago, run.id) == run
    assert set(run_areas(chicago, run)["area"]) == {"all", "11", "12"}
    view = area_forecast(chicago, "11", run.id)
    assert view.forecast.height == 168 and view.forecast["ds"].dtype.time_zone == "America/Chicago"  # type: ignore[attr-defined]
    assert {row["cluster"] for row in view.clusters.to_dicts()} <= {"none", *map(str, range(1, 11))}
    assert view.clusters["expected"].sum() == pytest.approx(view.forecast["mean"].sum(), rel=1e-6)
    assert {row["model"] for row in view.accuracy} == {"gbm", "window-average"}
    assert view.children == []
    assert area_forecast(chicago, "all", run.id).children == ["11", "12"]


def test_history_counts_every_stored_incident_of_the_area_and_fills_quiet_hours(
    chicago: StoreUnitOfWork,
) -> None:
    request = DatasetForecastRequest(dataset="calls", horizon="1d", origin=date(2024, 3, 5))
    run = forecast_dataset(chicago, request).run
    history = area_history(chicago, run, "12")
    start = run.origin - timedelta(days=14)
    assert history.height == 14 * 24 and history["y"].null_count() == 0
    assert history["ds"][0] == start and (history["y"] == 0).any()
    with chicago:
        stored = chicago.incidents.read(
            datasets=["calls"], zones=["12"], start=start, end=run.origin
        )
    assert history["y"].sum() == stored.height


def test_a_run_on_too_short_a_history_says_what_it_used_instead(chicago: StoreUnitOfWork) -> None:
    request = DatasetForecastRequest(dataset="calls", horizon="7d", origin=date(2024, 2, 20))
    run = forecast_dataset(chicago, request).run
    assert run.fallback == "SeasonalWindowAverage"
    assert run.backtest_origin is None and run.accuracy == {} and run.drivers == {}


def test_unknown_dataset_and_area_say_what_exists(chicago: StoreUnitOfWork) -> None:
    with pytest.raises(NotFoundError, match=r"'nope'.*\['calls'\]"):
        forecast_dataset(chicago, DatasetForecastRequest(dataset="nope"))
    run = forecast_dataset(chicago, DatasetForecastRequest(dataset="calls", horizon="1d")).run
    with pytest.raises(NotFoundError, match=r"'99'.*zones: \['all', '11', '12'\]"):
        area_forecast(chicago, "99", run.id)


def test_a_dataset_spanning_two_provinces_is_forecast_per_province(
    sql_uow: SqlStoreUnitOfWork,
) -> None:
    # the six demo zones, told apart as two provinces of three (they share one region)
    shipped = default_registry()
    west = {"5339", "5340", "5341"}
    zones = [
        replace(z, parent="province:21000" if z.number in west else "province:22000")
        for z in shipped.zones.values()
    ]
    with sql_uow:
        sql_uow.registry.save(ZoneRegistry(zones, shipped.municipalities.values()))
        sql_uow.commit()
    build_demo(sql_uow, DemoSpec(days=49))
    request = DatasetForecastRequest(dataset=DEMO_DATASET, horizon="1d")
    run = forecast_dataset(sql_uow, request).run
    areas = dict(run_areas(sql_uow, run).iter_rows())
    assert {"province:21000", "province:22000"} <= areas.keys()
    west_sum = sum(areas[z] for z in west)
    assert areas["province:21000"] == pytest.approx(west_sum, rel=1e-6)
    view = area_forecast(sql_uow, "province:21000", run.id)
    assert view.history["y"].sum() > 0 and view.forecast.height == 24
