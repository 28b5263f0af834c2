"""Use cases of forecasting: make a forecast of a stored dataset or a file and keep it
(`_fitting`), and read stored runs back for the pages, the API and exports (`_views`)."""

from __future__ import annotations

from zonal.forecasting.runs import StoredForecastRun
from zonal.services.forecasts._fitting import (
    BacktestRequest,
    DatasetForecastRequest,
    FileBacktest,
    FileForecast,
    SavedForecast,
    backtest_dataset,
    backtest_file,
    dataset_time_zone,
    forecast_dataset,
    forecast_file,
    forecast_stored_dataset,
)
from zonal.services.forecasts._views import (
    NO_RUN,
    AreaForecast,
    ForecastIndex,
    area_forecast,
    area_history,
    area_order,
    choose_run,
    forecast_index,
    get_run,
    is_synthetic,
    recent_runs,
    run_areas,
    run_points,
)

__all__ = [
    "NO_RUN",
    "AreaForecast",
    "BacktestRequest",
    "DatasetForecastRequest",
    "FileBacktest",
    "FileForecast",
    "ForecastIndex",
    "SavedForecast",
    "StoredForecastRun",
    "area_forecast",
    "area_history",
    "area_order",
    "backtest_dataset",
    "backtest_file",
    "choose_run",
    "dataset_time_zone",
    "forecast_dataset",
    "forecast_file",
    "forecast_index",
    "forecast_stored_dataset",
    "get_run",
    "is_synthetic",
    "recent_runs",
    "run_areas",
    "run_points",
]
