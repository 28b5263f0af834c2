"""Rolling-origin backtests: each model refitted at each origin on data strictly before it.

The training frame handed to `fit` is cut at the origin, so no model can read the future
whatever it does inside; the scores are those a user would have seen at each date.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl

from zonal.errors import InputError
from zonal.forecasting.base import Forecaster, fallback_of, parse_horizon
from zonal.forecasting.metrics import score_series

METRICS: tuple[str, ...] = (
    "rmsse",
    "rmse",
    "mase",
    "poisson_deviance",
    "pinball",
    "coverage_80",
    "coverage_95",
)


@dataclass(frozen=True)
class BacktestResult:
    """Scores per (model, origin, series), their means per level, and wall times."""

    scores: pl.DataFrame  # model, origin, unique_id, level, and METRICS
    timings: pl.DataFrame  # model, origin, seconds (fit + predict), fallback (or null)
    forecasts: pl.DataFrame  # model, origin, and the forecast columns

    def by_level(self) -> pl.DataFrame:
        """Mean of each metric per (model, level), and total fit + predict seconds."""
        present = [m for m in METRICS if m in self.scores.columns]
        means = self.scores.group_by("model", "level").agg(pl.col(present).mean())
        seconds = self.timings.group_by("model").agg(pl.col("seconds").sum())
        return means.join(seconds, on="model").sort("level", "model")


def backtest(
    models: Mapping[str, Forecaster],
    series: pl.DataFrame,
    origins: Sequence[datetime],
    horizon: int | str = "7d",
    *,
    level_of: Callable[[str], str] | None = None,
) -> BacktestResult:
    """Fit each model at each origin on `series` before it, forecast `horizon`, score it.

    Args:
        models: name -> unfitted estimator (copied before each fit).
        series: long frame `unique_id`, `ds`, `y` (NaN marks unobserved hours).
        origins: timezone-aware datetimes; each forecast starts there.
        horizon: hours or '7d'.
        level_of: maps a series id to the level it is reported under (default: one level).
    """
    hours = parse_horizon(horizon)
    if not origins:
        raise InputError("backtest needs at least one origin date")
    scores, timings, forecasts = [], [], []
    for origin in origins:
        train, test = _split(series, origin, hours)
        for name, template in models.items():
            model = copy.deepcopy(template)
            start = time.perf_counter()
            forecast = model.fit(train).predict(hours)
            seconds = time.perf_counter() - start
            fallback = fallback_of(model)
            timings.append(
                {"model": name, "origin": origin, "seconds": seconds, "fallback": fallback}
            )
            scored = score_series(forecast, test, train, model.quantiles)
            tag = [pl.lit(name).alias("model"), pl.lit(origin).alias("origin")]
            scores.append(scored.with_columns(*tag))
            forecasts.append(forecast.with_columns(*tag))
    table = pl.concat(scores, how="diagonal_relaxed")
    label = level_of or (lambda _uid: "all")
    table = table.with_columns(
        level=pl.col("unique_id").map_elements(label, return_dtype=pl.String)
    )
    timing = pl.DataFrame(timings, schema_overrides={"fallback": pl.String})
    return BacktestResult(table, timing, pl.concat(forecasts, how="diagonal_relaxed"))


def _split(series: pl.DataFrame, origin: datetime, hours: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    if origin.tzinfo is None:
        raise InputError(f"origin {origin} must be timezone-aware (the data's time zone)")
    # compare instants: aware datetimes add wall-clock time, and polars wants equal zones
    start = _epoch_us(origin)
    end = _epoch_us(origin.astimezone(UTC) + timedelta(hours=hours))
    instant = pl.col("ds").dt.epoch("us")
    train = series.filter(instant < start)
    test = series.filter((instant >= start) & (instant < end))
    if train.height == 0 or test.height == 0:
        raise InputError(
            f"origin {origin} leaves no history before it or nothing to score after it; "
            f"the data runs from {series['ds'].min()!s} to {series['ds'].max()!s}"
        )
    return train, test


def _epoch_us(moment: datetime) -> int:
    return int(round(moment.timestamp() * 1_000_000))
