"""Stored forecasts: a run's description and its points (mean and quantiles per series and hour).

A forecast is stored so that the people who plan from it and the analysts who check it later
read the same numbers: the web pages read runs, they never refit a model per visit.
Points are written with one executemany in the run's transaction: a failed write stores
neither the run nor part of its points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from zonal.errors import InputError, NotFoundError
from zonal.forecasting.distributions import DEFAULT_QUANTILES, quantile_column
from zonal.storage.tables import ForecastPointRow, ForecastRunRow

# forecast column -> stored column, for the quantile levels every Zonal forecaster gives
_STORED: dict[str, str] = dict(
    zip(
        (quantile_column(tau) for tau in DEFAULT_QUANTILES),
        ("q_025", "q_05", "q_10", "q_20", "q_50", "q_80", "q_90", "q_95", "q_975"),
        strict=True,
    )
)
_CHUNK = 20_000


@dataclass(frozen=True)
class StoredForecastRun:
    """What a stored forecast is: its dataset, model, level, horizon, origin and accuracy."""

    id: int
    dataset: str
    created_at: datetime
    model: str
    fallback: str | None  # the estimator used instead of `model` (history too short)
    level: str
    by_cluster: bool
    demand: str
    reconciliation: str | None
    horizon_hours: int
    origin: datetime  # first forecast hour, UTC
    time_zone: str
    series: int
    backtest_origin: datetime | None
    accuracy: dict[str, Any]  # {"by_level": [...], "by_series": [...]} of the last backtest
    drivers: dict[str, Any]  # feature group -> share of the model's gain (what it leans on)


@dataclass(frozen=True)
class ForecastRunCreate:
    """A forecast to store: everything of StoredForecastRun but its id and creation time."""

    dataset: str
    model: str
    fallback: str | None
    level: str
    by_cluster: bool
    demand: str
    reconciliation: str | None
    horizon_hours: int
    origin: datetime
    time_zone: str
    backtest_origin: datetime | None
    accuracy: dict[str, Any]
    drivers: dict[str, Any] = field(default_factory=dict)


def save_forecast_run(engine: Engine, run: ForecastRunCreate, forecast: pl.DataFrame) -> int:
    """Store `run` and its points (unique_id, ds, mean, q-0.025 ... q-0.975) in one transaction.

    Returns:
        The id of the new run.

    Raises:
        InputError: the forecast lacks a column or holds a missing value.
    """
    points = _points(forecast)
    row = ForecastRunRow(
        **{f.name: getattr(run, f.name) for f in fields(run)},
        created_at=datetime.now(UTC),
        series=int(forecast["unique_id"].n_unique()),
    )
    with Session(engine) as session, session.begin():
        session.add(row)
        session.flush()
        run_id = row.id
        rows = points.with_columns(pl.lit(run_id).alias("run_id")).to_dicts()
        for first in range(0, len(rows), _CHUNK):
            session.execute(insert(ForecastPointRow), rows[first : first + _CHUNK])
    return run_id


def _points(forecast: pl.DataFrame) -> pl.DataFrame:
    wanted = ["unique_id", "ds", "mean", *_STORED]
    missing = [c for c in wanted if c not in forecast.columns]
    if missing:
        raise InputError(f"forecast lacks column(s) {missing} to be stored; expected {wanted}")
    points = forecast.select(wanted).rename(_STORED)
    if (
        points.null_count().sum_horizontal().item()
        or points.select(pl.any_horizontal(pl.col(pl.Float64).is_nan()).any()).item()
    ):
        raise InputError("forecast holds missing or NaN values; it cannot be stored")
    return points.with_columns(pl.col("ds").dt.convert_time_zone("UTC"))


def forecast_runs(
    engine: Engine, dataset: str | None = None, *, limit: int | None = None
) -> list[StoredForecastRun]:
    """Stored runs, newest first; those of `dataset` only when given; `limit` at most."""
    order = (ForecastRunRow.created_at.desc(), ForecastRunRow.id.desc())
    query = select(ForecastRunRow).order_by(*order).limit(limit)
    if dataset is not None:
        query = query.where(ForecastRunRow.dataset == dataset)
    with Session(engine) as session:
        return [_public(row) for row in session.scalars(query)]


def get_forecast_run(engine: Engine, run_id: int) -> StoredForecastRun:
    """One stored run.

    Raises:
        NotFoundError: there is no run `run_id`.
    """
    with Session(engine) as session:
        row = session.get(ForecastRunRow, run_id)
        if row is None:
            raise NotFoundError(f"forecast run {run_id} does not exist; see /forecast for runs")
        return _public(row)


def read_forecast_points(
    engine: Engine, run_id: int, unique_ids: Sequence[str] | None = None
) -> pl.DataFrame:
    """Points of run `run_id` (of `unique_ids` only, when given): unique_id, ds (UTC), mean,
    q-0.025 ... q-0.975, ordered by series and hour."""
    table = ForecastPointRow
    columns = [
        table.unique_id,
        table.ds,
        table.mean,
        *(getattr(table, c) for c in _STORED.values()),
    ]
    query = select(*columns).where(table.run_id == run_id).order_by(table.unique_id, table.ds)
    if unique_ids is not None:
        query = query.where(table.unique_id.in_(list(unique_ids)))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    schema: dict[str, Any] = {
        "unique_id": pl.String,
        "ds": pl.Datetime("us", "UTC"),
        "mean": pl.Float64,
        **dict.fromkeys(_STORED, pl.Float64),
    }
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def forecast_sums(engine: Engine, run_id: int) -> pl.DataFrame:
    """Expected incidents over the whole horizon per series of a run, summed in the database:
    unique_id, expected."""
    table = ForecastPointRow
    query = (
        select(table.unique_id, func.sum(table.mean))
        .where(table.run_id == run_id)
        .group_by(table.unique_id)
        .order_by(table.unique_id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    schema = {"unique_id": pl.String, "expected": pl.Float64}
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def _public(row: ForecastRunRow) -> StoredForecastRun:
    return StoredForecastRun(**{f.name: getattr(row, f.name) for f in fields(StoredForecastRun)})
