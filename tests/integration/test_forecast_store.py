"""Stored forecasts on SQLite and PostgreSQL: what is written is what the pages read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from zonal.errors import InputError, NotFoundError
from zonal.forecasting import DEFAULT_QUANTILES, quantile_column
from zonal.storage.forecasts import (
    ForecastRunCreate,
    forecast_runs,
    forecast_sums,
    get_forecast_run,
    read_forecast_points,
    save_forecast_run,
)
from zonal.storage.tables import ForecastPointRow

ORIGIN = datetime(2025, 3, 29, 23, tzinfo=UTC)  # midnight in Brussels, the night DST starts


def forecast(
    ids: tuple[str, ...] = ("all|all", "5339|all", "5339|3"), hours: int = 48
) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    ds = pl.datetime_range(
        ORIGIN, ORIGIN + timedelta(hours=hours - 1), "1h", time_unit="us", eager=True
    ).dt.convert_time_zone("Europe/Brussels")
    frames = []
    for uid in ids:
        mean = rng.uniform(0.1, 9.0, hours)
        quantiles = {quantile_column(tau): mean * (0.4 + tau) for tau in DEFAULT_QUANTILES}
        frames.append(pl.DataFrame({"unique_id": uid, "ds": ds, "mean": mean, **quantiles}))
    return pl.concat(frames)


def request(dataset: str = "demo") -> ForecastRunCreate:
    return ForecastRunCreate(
        dataset=dataset,
        model="gbm",
        fallback=None,
        level="zone",
        by_cluster=True,
        demand="citizen",
        reconciliation="wls_var",
        horizon_hours=48,
        origin=ORIGIN,
        time_zone="Europe/Brussels",
        backtest_origin=ORIGIN - timedelta(days=7),
        accuracy={"by_level": [{"model": "gbm", "level": "zone", "rmsse": 0.7}]},
    )


def test_points_round_trip_exactly_across_the_dst_night(store: Engine) -> None:
    written = forecast()
    run_id = save_forecast_run(store, request(), written)
    read = read_forecast_points(store, run_id)
    expected = written.with_columns(pl.col("ds").dt.convert_time_zone("UTC")).sort(
        "unique_id", "ds"
    )
    assert read.columns == expected.columns
    assert read["ds"].dtype == pl.Datetime("us", "UTC")
    assert read.equals(expected)
    # 48 distinct instants, 47 of them an hour apart: the spring-forward hour is not doubled
    assert (
        read.filter(pl.col("unique_id") == "all|all")["ds"].diff().drop_nulls().unique().len() == 1
    )


def test_a_run_describes_itself(store: Engine) -> None:
    run_id = save_forecast_run(store, request(), forecast())
    run = get_forecast_run(store, run_id)
    assert (run.dataset, run.model, run.level, run.series) == ("demo", "gbm", "zone", 3)
    assert run.origin == ORIGIN and run.backtest_origin == ORIGIN - timedelta(days=7)
    assert run.accuracy["by_level"][0]["rmsse"] == 0.7
    assert run.created_at.tzinfo is not None


def test_runs_are_listed_newest_first_and_by_dataset(store: Engine) -> None:
    first = save_forecast_run(store, request("a"), forecast())
    second = save_forecast_run(store, request("b"), forecast())
    assert [r.id for r in forecast_runs(store)] == [second, first]
    assert [r.id for r in forecast_runs(store, "a")] == [first]


def test_reading_a_few_series_and_their_sums(store: Engine) -> None:
    written = forecast()
    run_id = save_forecast_run(store, request(), written)
    some = read_forecast_points(store, run_id, ["5339|3"])
    assert some["unique_id"].unique().to_list() == ["5339|3"] and some.height == 48
    sums = dict(forecast_sums(store, run_id).iter_rows())
    truth = dict(written.group_by("unique_id").agg(pl.col("mean").sum()).iter_rows())
    assert sums.keys() == truth.keys()
    assert all(sums[k] == pytest.approx(truth[k]) for k in truth)


def test_an_unknown_run_is_not_found(store: Engine) -> None:
    with pytest.raises(NotFoundError, match="forecast run 99"):
        get_forecast_run(store, 99)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda f: f.drop("q-0.9"), r"lacks column\(s\) \['q-0.9'\]"),
        (lambda f: f.with_columns(mean=pl.lit(float("nan"))), "NaN"),
        (lambda f: f.with_columns(pl.lit(None, pl.Float64).alias("q-0.5")), "missing"),
    ],
)
def test_a_broken_forecast_stores_nothing(store: Engine, broken: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        save_forecast_run(store, request(), broken(forecast()))  # type: ignore[operator]
    assert forecast_runs(store) == []
    with Session(store) as session:
        assert session.scalar(select(func.count()).select_from(ForecastPointRow)) == 0
