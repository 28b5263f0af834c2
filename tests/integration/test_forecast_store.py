"""Stored forecasts on SQLite, PostgreSQL and the in-memory fake: what is written is what the
pages read back, the same on every store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonal.errors import InputError, NotFoundError
from zonal.forecasting import DEFAULT_QUANTILES, quantile_column
from zonal.forecasting.runs import ForecastRunCreate, StoredForecastRun
from zonal.services.forecasts import get_run
from zonal.services.ports import StoreUnitOfWork
from zonal.storage import SqlStoreUnitOfWork
from zonal.storage.memory import InMemoryStoreUnitOfWork
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


def save(uow: StoreUnitOfWork, run: ForecastRunCreate, points: pl.DataFrame) -> int:
    with uow:
        run_id = uow.forecasts.add(run, points)
        uow.commit()
    return run_id


def points(uow: StoreUnitOfWork, run_id: int, ids: list[str] | None = None) -> pl.DataFrame:
    with uow:
        return uow.forecasts.points(run_id, ids)


def runs(uow: StoreUnitOfWork, dataset: str | None = None) -> list[StoredForecastRun]:
    with uow:
        return uow.forecasts.newest(dataset)


def stored_points(uow: StoreUnitOfWork) -> int:
    """Every point the store holds, whichever run it belongs to."""
    if isinstance(uow, InMemoryStoreUnitOfWork):
        return sum(frame.height for frame in uow.committed.points.values())
    assert isinstance(uow, SqlStoreUnitOfWork)
    with Session(uow.engine) as session:
        return session.scalar(select(func.count()).select_from(ForecastPointRow)) or 0


def test_points_round_trip_exactly_across_the_dst_night(uow: StoreUnitOfWork) -> None:
    written = forecast()
    run_id = save(uow, request(), written)
    read = points(uow, run_id)
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


def test_a_run_describes_itself(uow: StoreUnitOfWork) -> None:
    run_id = save(uow, request(), forecast())
    run = get_run(uow, run_id)
    assert (run.dataset, run.model, run.level, run.series) == ("demo", "gbm", "zone", 3)
    assert run.origin == ORIGIN and run.backtest_origin == ORIGIN - timedelta(days=7)
    assert run.accuracy["by_level"][0]["rmsse"] == 0.7
    assert run.created_at.tzinfo is not None


def test_runs_are_listed_newest_first_and_by_dataset(uow: StoreUnitOfWork) -> None:
    first = save(uow, request("a"), forecast())
    second = save(uow, request("b"), forecast())
    assert [r.id for r in runs(uow)] == [second, first]
    assert [r.id for r in runs(uow, "a")] == [first]
    with uow:
        assert [r.id for r in uow.forecasts.newest(limit=1)] == [second]


def test_reading_a_few_series_and_their_sums(uow: StoreUnitOfWork) -> None:
    written = forecast()
    run_id = save(uow, request(), written)
    some = points(uow, run_id, ["5339|3"])
    assert some["unique_id"].unique().to_list() == ["5339|3"] and some.height == 48
    with uow:
        sums = dict(uow.forecasts.sums(run_id).iter_rows())
    truth = dict(written.group_by("unique_id").agg(pl.col("mean").sum()).iter_rows())
    assert sums.keys() == truth.keys()
    assert all(sums[k] == pytest.approx(truth[k]) for k in truth)


def test_an_unknown_run_is_not_found(uow: StoreUnitOfWork) -> None:
    with pytest.raises(NotFoundError, match="forecast run 99"):
        get_run(uow, 99)
    assert points(uow, 99).height == 0


def test_a_run_not_committed_is_gone(uow: StoreUnitOfWork) -> None:
    with uow:
        uow.forecasts.add(request(), forecast())
    assert runs(uow) == [] and stored_points(uow) == 0


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda f: f.drop("q-0.9"), r"lacks column\(s\) \['q-0.9'\]"),
        (lambda f: f.with_columns(mean=pl.lit(float("nan"))), "NaN"),
        (lambda f: f.with_columns(pl.lit(None, pl.Float64).alias("q-0.5")), "missing"),
    ],
)
def test_a_broken_forecast_stores_nothing(
    uow: StoreUnitOfWork, broken: object, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        save(uow, request(), broken(forecast()))  # type: ignore[operator]
    assert runs(uow) == []
    assert stored_points(uow) == 0
