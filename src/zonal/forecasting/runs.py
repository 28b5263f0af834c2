"""A stored forecast, as the store keeps it: how it was made and the points it holds.

`stored_points` is the one check of what may be stored, so every store (SQL or in memory)
refuses the same broken forecasts with the same message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from zonal.errors import InputError
from zonal.forecasting.distributions import DEFAULT_QUANTILES, quantile_column

POINT_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "ds",
    "mean",
    *(quantile_column(tau) for tau in DEFAULT_QUANTILES),
)
POINT_SCHEMA: dict[str, Any] = {
    "unique_id": pl.String,
    "ds": pl.Datetime("us", "UTC"),
    **dict.fromkeys(POINT_COLUMNS[2:], pl.Float64),
}


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
    """A forecast to store: everything of StoredForecastRun but its id, creation time and
    number of series (the store counts them in the points)."""

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


def stored_points(forecast: pl.DataFrame) -> pl.DataFrame:
    """The points of `forecast` as a store keeps them: POINT_COLUMNS, ds in UTC.

    Raises:
        InputError: the forecast lacks a column or holds a missing or NaN value.
    """
    wanted = list(POINT_COLUMNS)
    missing = [c for c in wanted if c not in forecast.columns]
    if missing:
        raise InputError(f"forecast lacks column(s) {missing} to be stored; expected {wanted}")
    points = forecast.select(wanted)
    if (
        points.null_count().sum_horizontal().item()
        or points.select(pl.any_horizontal(pl.col(pl.Float64).is_nan()).any()).item()
    ):
        raise InputError("forecast holds missing or NaN values; it cannot be stored")
    return points.with_columns(pl.col("ds").dt.convert_time_zone("UTC"))
