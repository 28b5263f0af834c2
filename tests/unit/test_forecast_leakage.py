"""A forecast at origin T never reads data after T: changing the future changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from tests.factories import random_incidents
from zonal.errors import InputError
from zonal.forecasting import (
    GlobalGBM,
    SeasonalWindowAverage,
    backtest,
    forecast_incidents,
)
from zonal.forecasting.synthetic import synthetic_counts

BRUSSELS = ZoneInfo("Europe/Brussels")
ORIGIN = datetime(2025, 3, 10, tzinfo=BRUSSELS)


def with_future_scrambled(frame: pl.DataFrame, origin: datetime) -> pl.DataFrame:
    after = pl.col("ds").dt.epoch("us") >= int(origin.timestamp() * 1_000_000)
    return frame.with_columns(pl.when(after).then(pl.col("y") * 50 + 7).otherwise(pl.col("y")))


@pytest.fixture(scope="module")
def series() -> pl.DataFrame:
    return synthetic_counts([2.0, 0.3], start=datetime(2025, 1, 6, tzinfo=BRUSSELS), hours=12 * 168)


def test_backtest_scores_do_not_depend_on_data_after_each_origins_window(
    series: pl.DataFrame,
) -> None:
    models = {"gbm": GlobalGBM("1d", n_estimators=20, max_rows=10_000)}
    end_of_window = ORIGIN + timedelta(days=1)
    clean = backtest(models, series, [ORIGIN], "1d")
    scrambled = backtest(models, with_future_scrambled(series, end_of_window), [ORIGIN], "1d")
    assert clean.forecasts.drop("origin").equals(scrambled.forecasts.drop("origin"))


def test_backtest_forecast_ignores_the_future_it_is_scored_on(series: pl.DataFrame) -> None:
    models = {"avg": SeasonalWindowAverage(4)}
    clean = backtest(models, series, [ORIGIN], "1d")
    scrambled = backtest(models, with_future_scrambled(series, ORIGIN), [ORIGIN], "1d")
    assert clean.forecasts["mean"].equals(scrambled.forecasts["mean"])
    assert not clean.scores["rmse"].equals(scrambled.scores["rmse"])  # the scoring did see it


def test_origin_before_the_data_is_refused(series: pl.DataFrame) -> None:
    with pytest.raises(InputError, match="no history before it"):
        backtest({"avg": SeasonalWindowAverage(4)}, series, [datetime(2020, 1, 1, tzinfo=UTC)])


def _incidents(seed: int, days: int) -> pl.DataFrame:
    return random_incidents(seed, size=days * 60, days=days)


def test_forecast_with_origin_reads_only_incidents_before_it() -> None:
    history = _incidents(1, 70)
    cut = datetime(2025, 3, 3, tzinfo=UTC)
    later = _incidents(2, 70).filter(pl.col("occurred_at") >= cut)
    before = history.filter(pl.col("occurred_at") < cut)
    kwargs = {"time_zone": "Europe/Brussels", "horizon": "1d", "origin": date(2025, 3, 3)}
    one = forecast_incidents(pl.concat([before, later]), model="window-average", **kwargs)
    two = forecast_incidents(history, model="window-average", **kwargs)
    assert one.forecast.equals(two.forecast)
    assert one.origin == datetime(2025, 3, 3, tzinfo=BRUSSELS)


def test_forecast_incidents_labels_levels_and_is_coherent() -> None:
    run = forecast_incidents(
        _incidents(3, 42), time_zone="Europe/Brussels", horizon="1d", model="window-average"
    )
    frame = run.forecast
    assert set(frame["level"].unique()) == {"total", "total+cluster", "zone", "zone+cluster"}
    wide = frame.pivot(on="unique_id", index="ds", values="mean")
    assert np.allclose(wide["all|all"], wide["A|all"] + wide["B|all"])
    assert np.allclose(wide["A|all"], wide["A|1"] + wide["A|2"])
