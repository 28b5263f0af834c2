"""The estimator contract, for every forecaster: fit returns self, output, determinism."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from zonal.errors import InputError
from zonal.forecasting import (
    DEFAULT_QUANTILES,
    Forecaster,
    GlobalGBM,
    SeasonalNaive,
    SeasonalWindowAverage,
    StatsForecastModel,
    drivers_of,
    parse_horizon,
    quantile_column,
)
from zonal.forecasting.features import FEATURE_GROUPS
from zonal.forecasting.synthetic import synthetic_counts

BRUSSELS = ZoneInfo("Europe/Brussels")
FACTORIES: dict[str, Callable[[], Forecaster]] = {
    "seasonal-naive": SeasonalNaive,
    "window-average": lambda: SeasonalWindowAverage(weeks=4),
    "croston": lambda: StatsForecastModel("croston_sba"),
    "auto-ets": lambda: StatsForecastModel("auto_ets", max_history=3 * 168),
    "mstl": lambda: StatsForecastModel("mstl", max_history=4 * 168),
    "gbm": lambda: GlobalGBM("2d", n_estimators=30, max_rows=20_000, random_state=7),
}


@pytest.fixture(scope="module")
def history() -> pl.DataFrame:
    return synthetic_counts([3.0, 0.4], start=datetime(2025, 1, 6, tzinfo=BRUSSELS), hours=9 * 168)


@pytest.fixture(scope="module", params=sorted(FACTORIES))
def fitted(request: pytest.FixtureRequest, history: pl.DataFrame) -> tuple[str, Forecaster]:
    model = FACTORIES[request.param]()
    assert model.fit(history) is model
    return request.param, model


def test_fit_returns_self_and_learns_state(fitted: tuple[str, Forecaster]) -> None:
    _, model = fitted
    learned = [name for name in vars(model) if name.endswith("_")]
    assert learned, "learned state must end in '_'"


def test_predict_gives_one_row_per_series_and_hour(fitted: tuple[str, Forecaster]) -> None:
    _, model = fitted
    forecast = model.predict("2d")
    expected = ["unique_id", "ds", "mean", *(quantile_column(t) for t in DEFAULT_QUANTILES)]
    assert forecast.columns == expected
    assert forecast.height == 2 * 48
    assert forecast.group_by("unique_id").len()["len"].to_list() == [48, 48]


def test_forecast_starts_the_hour_after_history(
    fitted: tuple[str, Forecaster], history: pl.DataFrame
) -> None:
    _, model = fitted
    forecast = model.predict(24)
    last = history["ds"].max()
    assert isinstance(last, datetime)
    first = forecast["ds"].min()
    assert isinstance(first, datetime)
    assert (first - last).total_seconds() == 3600
    assert forecast["ds"].dtype == history["ds"].dtype


def test_quantiles_are_ordered_and_non_negative(fitted: tuple[str, Forecaster]) -> None:
    _, model = fitted
    forecast = model.predict(48)
    columns = [quantile_column(t) for t in DEFAULT_QUANTILES]
    values = forecast.select(columns).to_numpy()
    assert (values >= 0).all() and (forecast["mean"] >= 0).all()
    assert (np.diff(values, axis=1) >= -1e-9).all()


def test_same_seed_same_forecast(fitted: tuple[str, Forecaster], history: pl.DataFrame) -> None:
    name, model = fitted
    again = FACTORIES[name]().fit(history).predict(48)
    assert again.equals(model.predict(48))


def test_predict_before_fit_is_refused() -> None:
    with pytest.raises(InputError, match="not fitted"):
        SeasonalNaive().predict(24)


@pytest.mark.parametrize(
    ("text", "hours"), [("7d", 168), ("48h", 48), ("36", 36), (12, 12), ("28d", 672)]
)
def test_horizon_accepts_hours_and_days(text: str | int, hours: int) -> None:
    assert parse_horizon(text) == hours


@pytest.mark.parametrize("text", ["0h", "29d", "a week", "-3"])
def test_horizon_outside_one_hour_to_28_days_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="horizon"):
        parse_horizon(text)


def test_gbm_refuses_a_horizon_longer_than_it_was_fitted_for(history: pl.DataFrame) -> None:
    model = GlobalGBM("1d", n_estimators=10, max_rows=5_000).fit(history)
    with pytest.raises(InputError, match="refit with a longer horizon"):
        model.predict("2d")


def test_every_model_says_what_it_leans_on_or_nothing(fitted: tuple[str, Forecaster]) -> None:
    name, model = fitted
    drivers = drivers_of(model)
    if name != "gbm":
        assert drivers == {}
        return
    assert set(drivers) == set(FEATURE_GROUPS)
    assert sum(drivers.values()) == pytest.approx(1.0)
    assert all(share >= 0 for share in drivers.values())


def test_a_gbm_that_fell_back_claims_no_drivers() -> None:
    short = synthetic_counts([3.0], start=datetime(2025, 1, 6, tzinfo=BRUSSELS), hours=3 * 168)
    model = GlobalGBM("2d").fit(short)
    assert model.fallback_ is not None and drivers_of(model) == {}
