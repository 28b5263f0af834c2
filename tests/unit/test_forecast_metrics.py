"""Metrics: the numbers the benchmark and the backtest page report."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from tests.factories import hourly_frame
from zonal.forecasting import score_series, seasonal_scales
from zonal.forecasting.metrics import coverage, pinball, poisson_deviance, rmse


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


def hourly(unique_id: str, start: datetime, values: list[float]) -> pl.DataFrame:
    """A `unique_id, ds, y` frame of consecutive hours from `start`."""
    return hourly_frame({unique_id: values}, start=start)


# A history of 170 hours: 1 for the first week (hours 0..167), then 3 (hours 168, 169).
# Weekly seasonal naive (lag 168): the only two differences are y168 - y0 = 2 and y169 - y1 = 2,
# so the MAE scale is (2 + 2) / 2 = 2 and the RMSE scale sqrt((4 + 4) / 2) = 2.
# (A lag of 1 would see one difference of 2 among 169: RMSE scale sqrt(4 / 169) = 2 / 13.)
START = datetime(2025, 1, 6, tzinfo=UTC)
HISTORY_VALUES = [1.0] * 168 + [3.0, 3.0]
FUTURE_START = START + timedelta(hours=170)


def history() -> pl.DataFrame:
    return hourly("A|1", START, HISTORY_VALUES)


def forecast(columns: dict[str, list[float]]) -> pl.DataFrame:
    """Three forecast hours after the history, `mean` = 3 unless `columns` says otherwise."""
    frame = hourly("A|1", FUTURE_START, [0.0, 0.0, 0.0]).drop("y")
    return frame.with_columns(mean=pl.lit(3.0), **{k: pl.Series(v) for k, v in columns.items()})


ACTUAL = hourly("A|1", FUTURE_START, [3.0, 5.0, 4.0])


def test_seasonal_scales_are_the_weekly_naive_errors() -> None:
    scales = seasonal_scales(history())
    assert scales["mae_scale"][0] == pytest.approx(2.0)
    assert scales["rmse_scale"][0] == pytest.approx(2.0)


def test_rmsse_divides_by_the_in_sample_weekly_seasonal_naive() -> None:
    # Errors of the mean 3 against 3, 5, 4: 0, 2, 1; RMSE = sqrt((0 + 4 + 1) / 3) = sqrt(5/3).
    # RMSSE = sqrt(5/3) / 2 (the weekly scale above), about 0.6455.
    scores = score_series(forecast({}), ACTUAL, history(), ())
    assert scores["rmse"][0] == pytest.approx(math.sqrt(5 / 3))
    assert scores["rmsse"][0] == pytest.approx(math.sqrt(5 / 3) / 2)


def test_mase_scores_the_median_column_not_the_mean() -> None:
    # Median 3, 5, 0 against 3, 5, 4: absolute errors 0, 0, 4, mean 4/3; MASE = (4/3) / 2 = 2/3.
    # (The mean 3 would give errors 0, 2, 1, mean 1, MASE 1/2; the median of 0, 0, 4 is 0.)
    scores = score_series(forecast({"q-0.5": [3.0, 5.0, 0.0]}), ACTUAL, history(), (0.5,))
    assert scores["mase"][0] == pytest.approx(2 / 3)


def test_mase_falls_back_to_the_mean_without_a_median() -> None:
    # Mean 3 against 3, 5, 4: absolute errors 0, 2, 1, mean 1; MASE = 1 / 2.
    scores = score_series(forecast({}), ACTUAL, history(), ())
    assert scores["mase"][0] == pytest.approx(0.5)


def test_coverage_80_reads_the_10_and_90_percent_quantiles() -> None:
    # Actuals 3, 5, 4. The 10-90% band [2, 4.5] holds 3 and 4: 2/3. The 20-80% band [4, 4]
    # holds only 4: 1/3, what reading the wrong columns would report. The 2.5-97.5% band
    # [0, 10] holds all three: coverage_95 = 1.
    columns = {
        "q-0.025": [0.0] * 3,
        "q-0.1": [2.0] * 3,
        "q-0.2": [4.0] * 3,
        "q-0.8": [4.0] * 3,
        "q-0.9": [4.5] * 3,
        "q-0.975": [10.0] * 3,
    }
    scores = score_series(forecast(columns), ACTUAL, history(), ())
    assert scores["coverage_80"][0] == pytest.approx(2 / 3)
    assert scores["coverage_95"][0] == pytest.approx(1.0)


def test_the_seasonal_lag_does_not_cross_series() -> None:
    # Series B is series A plus 10: its weekly differences are A's (2 and 2), scale 2. Had the
    # lag run across the sorted frame, B's first week would be differenced against A's rows.
    both = pl.concat([history(), hourly("B|1", START, [v + 10 for v in HISTORY_VALUES])])
    scales = seasonal_scales(both).sort("unique_id")
    assert scales["rmse_scale"].to_list() == pytest.approx([2.0, 2.0])
