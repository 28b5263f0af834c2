"""Metrics: the numbers the benchmark and the backtest page report."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from zonal.forecasting import score_series, seasonal_scales
from zonal.forecasting.metrics import coverage, pinball, poisson_deviance, rmse
from zonal.forecasting.synthetic import synthetic_counts


def test_perfect_forecast_scores_zero() -> None:
    y = np.array([0.0, 2.0, 5.0])
    assert rmse(y, y) == 0
    assert poisson_deviance(y, y) == pytest.approx(0.0, abs=1e-2)


def test_poisson_deviance_punishes_a_zero_forecast_of_a_count_but_stays_finite() -> None:
    value = poisson_deviance(np.array([3.0]), np.array([0.0]))
    assert np.isfinite(value) and value > 30


def test_pinball_weights_misses_by_the_quantile_level() -> None:
    y = np.array([10.0])
    assert pinball(y, np.array([8.0]), 0.9) == pytest.approx(1.8)
    assert pinball(y, np.array([12.0]), 0.9) == pytest.approx(0.2)


def test_coverage_counts_bounds_as_inside() -> None:
    assert coverage(np.array([0.0, 1.0, 2.0, 3.0]), np.zeros(4), np.full(4, 2.0)) == 0.75


def test_rmsse_divides_by_the_in_sample_weekly_seasonal_naive() -> None:
    start = datetime(2025, 1, 6, tzinfo=ZoneInfo("Europe/Brussels"))
    history = synthetic_counts([2.0], start=start, hours=4 * 168, seed=1)
    future = synthetic_counts([2.0], start=start, hours=5 * 168, seed=2).tail(168)
    forecast = future.select("unique_id", "ds", pl.lit(2.0).alias("mean"))
    scores = score_series(forecast, future, history, ())
    scale = seasonal_scales(history)["rmse_scale"][0]
    expected = float(np.sqrt(np.mean((future["y"].to_numpy() - 2.0) ** 2))) / scale
    assert scores["rmsse"][0] == pytest.approx(expected)
