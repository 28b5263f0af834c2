"""Accuracy of count forecasts: scaled errors, Poisson deviance, pinball loss, interval coverage.

Point forecasts are scored with RMSSE (RMSE over the in-sample RMSE of the weekly seasonal
naive, as in M5). MASE is reported for the median only: on sparse counts a forecast of all
zeros wins on MASE, which says nothing about staffing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from zonal.forecasting.distributions import quantile_column

DEVIANCE_FLOOR = 1e-3  # a predicted mean of 0 with an observed count would score infinity
SEASON = 168


def rmse(y: np.ndarray, mean: np.ndarray) -> float:
    """Root mean squared error."""
    return float(np.sqrt(np.mean((y - mean) ** 2)))


def poisson_deviance(y: np.ndarray, mean: np.ndarray) -> float:
    """Mean Poisson deviance, predicted means floored at DEVIANCE_FLOOR."""
    mu = np.maximum(mean, DEVIANCE_FLOOR)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(np.mean(2.0 * (term - (y - mu))))


def pinball(y: np.ndarray, quantile: np.ndarray, tau: float) -> float:
    """Mean pinball (quantile) loss of one quantile level."""
    diff = y - quantile
    return float(np.mean(np.maximum(tau * diff, (tau - 1.0) * diff)))


def coverage(y: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of counts inside [lower, upper]."""
    return float(np.mean((y >= lower) & (y <= upper)))


def seasonal_scales(history: pl.DataFrame, season: int = SEASON) -> pl.DataFrame:
    """Per series, the in-sample MAE and RMSE of the seasonal naive (y_t - y_{t-season})."""
    diff = pl.col("y") - pl.col("y").shift(season).over("unique_id", order_by="ds")
    return (
        history.sort("unique_id", "ds")
        .with_columns(diff=diff)
        .group_by("unique_id")
        .agg(
            mae_scale=pl.col("diff").abs().mean(),
            rmse_scale=(pl.col("diff") ** 2).mean().sqrt(),
        )
    )


def score_series(
    forecast: pl.DataFrame,
    actual: pl.DataFrame,
    history: pl.DataFrame,
    quantiles: Sequence[float],
) -> pl.DataFrame:
    """One row of metrics per series: rmse, rmsse, mase (median), poisson_deviance, pinball,
    coverage_80, coverage_95 (those whose quantile columns exist)."""
    joined = forecast.join(actual.filter(pl.col("y").is_not_nan()), on=["unique_id", "ds"])
    joined = joined.join(seasonal_scales(history), on="unique_id", how="left")
    rows = [_score_one(part, quantiles) for _, part in joined.group_by("unique_id")]
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def _score_one(part: pl.DataFrame, quantiles: Sequence[float]) -> dict[str, object]:
    y, mean = part["y"].to_numpy(), part["mean"].to_numpy()
    median_col = quantile_column(0.5)
    median = part[median_col].to_numpy() if median_col in part.columns else mean
    err = rmse(y, mean)
    row: dict[str, object] = {
        "unique_id": part["unique_id"][0],
        "rmse": err,
        "rmsse": err / _safe(part["rmse_scale"][0]),
        "mase": float(np.mean(np.abs(y - median))) / _safe(part["mae_scale"][0]),
        "poisson_deviance": poisson_deviance(y, mean),
    }
    present = [t for t in quantiles if quantile_column(t) in part.columns]
    if present:
        losses = [pinball(y, part[quantile_column(t)].to_numpy(), t) for t in present]
        row["pinball"] = float(np.mean(losses))
    for level, (lo, hi) in {"coverage_80": (0.1, 0.9), "coverage_95": (0.025, 0.975)}.items():
        if quantile_column(lo) in part.columns and quantile_column(hi) in part.columns:
            row[level] = coverage(
                y, part[quantile_column(lo)].to_numpy(), part[quantile_column(hi)].to_numpy()
            )
    return row


def _safe(scale: object) -> float:
    value = float(scale) if isinstance(scale, int | float) else float("nan")
    return value if value > 0 else float("nan")
