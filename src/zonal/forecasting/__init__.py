"""Demand forecasting: hourly incident counts per area and cluster, with honest uncertainty.

    series = hourly_counts(incidents, time_zone="Europe/Brussels", level="zone")
    model = GlobalGBM("7d").fit(series.series)
    forecast = reconcile(model.predict("7d"), series.hierarchy)   # mean, q-0.025 ... q-0.975

Every model follows one estimator interface (`Forecaster`: fit(df) -> self, predict(h));
data between stages are long frames (`unique_id`, `ds`, `y` / `mean`, `q-<tau>`).
NumPy/Polars only: no I/O, no web or CLI imports.
"""

from __future__ import annotations

from zonal.forecasting.aggregate import (
    CITIZEN_DEMAND,
    DEMAND_ORIGINS,
    HourlySeries,
    Level,
    demand_origins,
    hourly_counts,
    parse_level,
)
from zonal.forecasting.backtest import BacktestResult, backtest
from zonal.forecasting.base import Forecaster, drivers_of, fallback_of, parse_horizon
from zonal.forecasting.baselines import SeasonalNaive, SeasonalWindowAverage, StatsForecastModel
from zonal.forecasting.distributions import DEFAULT_QUANTILES, quantile_column
from zonal.forecasting.gbm import GlobalGBM
from zonal.forecasting.hierarchy import Hierarchy
from zonal.forecasting.metrics import score_series, seasonal_scales
from zonal.forecasting.outliers import flag_outliers
from zonal.forecasting.pipeline import (
    MODELS,
    ForecastRun,
    build_model,
    forecast_incidents,
    last_week_backtest,
)
from zonal.forecasting.reconcile import METHODS, reconcile
from zonal.forecasting.series_key import SeriesKey

__all__ = [
    "CITIZEN_DEMAND",
    "DEFAULT_QUANTILES",
    "DEMAND_ORIGINS",
    "METHODS",
    "MODELS",
    "BacktestResult",
    "ForecastRun",
    "Forecaster",
    "GlobalGBM",
    "Hierarchy",
    "HourlySeries",
    "Level",
    "SeasonalNaive",
    "SeasonalWindowAverage",
    "SeriesKey",
    "StatsForecastModel",
    "backtest",
    "build_model",
    "demand_origins",
    "drivers_of",
    "fallback_of",
    "flag_outliers",
    "forecast_incidents",
    "hourly_counts",
    "last_week_backtest",
    "parse_horizon",
    "parse_level",
    "quantile_column",
    "reconcile",
    "score_series",
    "seasonal_scales",
]
