"""Use cases: forecast or backtest a stored dataset or a file; keep a dataset's forecast.

A dataset's clock is the time zone its import run recorded, so a Houston dataset is
forecast in Houston hours without the user repeating it. Models are fitted outside any
transaction: reading and storing are two short ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from zonal.errors import InputError, NotFoundError
from zonal.forecasting import (
    BacktestResult,
    ForecastRun,
    Level,
    backtest,
    build_model,
    demand_origins,
    drivers_of,
    fallback_of,
    forecast_incidents,
    hourly_counts,
    last_week_backtest,
    parse_horizon,
)
from zonal.forecasting.pipeline import origin_at
from zonal.forecasting.reconcile import Method
from zonal.forecasting.runs import ForecastRunCreate, StoredForecastRun
from zonal.forecasting.series_key import SeriesKey
from zonal.services.imports import ImportRequest, read_file
from zonal.services.ports import StoreUnitOfWork
from zonal.services.zones import current_registry

SCORED = ("rmsse", "poisson_deviance", "pinball", "coverage_80", "coverage_95")


@dataclass(frozen=True)
class DatasetForecastRequest:
    """A forecast of a stored dataset (or of a file: `dataset` then names it only), as the CLI
    or a scheduled job asks for it."""

    dataset: str
    level: Level = "zone"
    horizon: int | str = "7d"
    origin: date | datetime | None = None
    by_cluster: bool = True
    demand: str = "citizen"
    model: str = "gbm"
    reconciliation: Method | None = "wls_var"
    seed: int = 0


@dataclass(frozen=True)
class BacktestRequest:
    """Models scored at origins (local dates or times of the data's clock), refit on earlier
    data at each one."""

    origins: tuple[date | datetime, ...]
    models: tuple[str, ...] = ("gbm", "seasonal-naive", "window-average")
    level: Level = "zone"
    horizon: int | str = "7d"
    by_cluster: bool = False
    demand: str = "citizen"


@dataclass(frozen=True)
class SavedForecast:
    """A stored run and the forecast it holds, labelled (unique_id, area, cluster, level, ...)."""

    run: StoredForecastRun
    forecast: pl.DataFrame


@dataclass(frozen=True)
class FileForecast:
    """A forecast of a file's incidents, and how many of its rows the import rejected."""

    run: ForecastRun
    rejected: int


@dataclass(frozen=True)
class FileBacktest:
    """A backtest on a file's incidents, and how many of its rows the import rejected."""

    result: BacktestResult
    rejected: int


def dataset_time_zone(uow: StoreUnitOfWork, dataset: str) -> str:
    """The wall-clock time zone recorded by the dataset's latest import run.

    Raises:
        NotFoundError: the store holds no dataset `dataset` (the message lists those it has).
    """
    with uow:
        return _time_zone(uow, dataset)


def forecast_dataset(uow: StoreUnitOfWork, request: DatasetForecastRequest) -> SavedForecast:
    """Forecast a stored dataset, score the same model on the week before, store both.

    Raises:
        NotFoundError: no such dataset, or it holds no incident.
    """
    with uow:
        incidents, time_zone = _incidents(uow, request.dataset)
        groups = zone_groups(uow)
    run = _forecast(incidents, time_zone, request, groups)
    scored = last_week_backtest(run.history, request.model, request.seed)
    record = ForecastRunCreate(
        dataset=request.dataset,
        model=request.model,
        fallback=fallback_of(run.model),
        level=request.level,
        by_cluster=request.by_cluster,
        demand=request.demand,
        reconciliation=request.reconciliation,
        horizon_hours=parse_horizon(request.horizon),
        origin=run.origin,
        time_zone=time_zone,
        backtest_origin=_first_origin(scored.scores) if scored is not None else None,
        accuracy=_accuracy(scored) if scored is not None else {},
        drivers=drivers_of(run.model),
    )
    with uow:
        stored = uow.forecasts.get(uow.forecasts.add(record, run.forecast))
        uow.commit()
    assert stored is not None
    return SavedForecast(stored, run.forecast)


def forecast_stored_dataset(
    uow: StoreUnitOfWork, request: DatasetForecastRequest, time_zone: str | None = None
) -> ForecastRun:
    """Forecast a stored dataset without keeping it, in `time_zone` (default: its own)."""
    with uow:
        incidents, recorded = _incidents(uow, request.dataset)
    return _forecast(incidents, time_zone or recorded, request)


def forecast_file(source: ImportRequest, request: DatasetForecastRequest) -> FileForecast:
    """Read a file as `source` says and forecast its incidents; nothing is stored."""
    found = read_file(source)
    run = _forecast(found.result.incidents, found.time_zone, request)
    return FileForecast(run, sum(found.result.reasons.values()))


def backtest_dataset(
    uow: StoreUnitOfWork, dataset: str, request: BacktestRequest, time_zone: str | None = None
) -> BacktestResult:
    """Score models on a stored dataset in `time_zone` (default: its own).

    Raises:
        InputError: no origin given. NotFoundError: no such dataset.
    """
    with uow:
        incidents, recorded = _incidents(uow, dataset)
    return _backtest(incidents, time_zone or recorded, request)


def backtest_file(source: ImportRequest, request: BacktestRequest) -> FileBacktest:
    """Read a file as `source` says and score models on its incidents; nothing is stored."""
    found = read_file(source)
    result = _backtest(found.result.incidents, found.time_zone, request)
    return FileBacktest(result, sum(found.result.reasons.values()))


def zone_groups(uow: StoreUnitOfWork) -> dict[str, str]:
    """Each registry zone's province or region (`province:40000`), the level above zones; of
    a unit of work already open."""
    return {number: zone.parent for number, zone in current_registry(uow).zones.items()}


def _time_zone(uow: StoreUnitOfWork, dataset: str) -> str:
    found = uow.imports.recorded_time_zone(dataset)
    if found is None:
        raise NotFoundError(
            f"dataset {dataset!r} is not in the store; it holds "
            f"{sorted(uow.incidents.dataset_counts())} (see `zonal import incidents`)"
        )
    return found


def _incidents(uow: StoreUnitOfWork, dataset: str) -> tuple[pl.DataFrame, str]:
    time_zone = _time_zone(uow, dataset)
    incidents = uow.incidents.read(datasets=[dataset])
    if incidents.height == 0:
        raise NotFoundError(f"dataset {dataset!r} holds no incidents; see `zonal import incidents`")
    return incidents, time_zone


def _forecast(
    incidents: pl.DataFrame,
    time_zone: str,
    request: DatasetForecastRequest,
    groups: dict[str, str] | None = None,
) -> ForecastRun:
    """Forecast incidents already loaded (a file, or a dataset) as `request` asks."""
    return forecast_incidents(
        incidents,
        time_zone=time_zone,
        level=request.level,
        horizon=request.horizon,
        origin=request.origin,
        by_cluster=request.by_cluster,
        origins=demand_origins(request.demand),
        model=request.model,
        reconciliation=request.reconciliation,
        seed=request.seed,
        groups=groups,
    )


def _backtest(incidents: pl.DataFrame, time_zone: str, request: BacktestRequest) -> BacktestResult:
    if not request.origins:
        raise InputError("give --origins, e.g. --origins 2010-08-01,2010-08-08")
    series = hourly_counts(
        incidents,
        time_zone=time_zone,
        level=request.level,
        by_cluster=request.by_cluster,
        origins=demand_origins(request.demand),
    )
    hours = parse_horizon(request.horizon)
    models = {name: build_model(name, hours) for name in request.models}
    moments = [origin_at(origin, time_zone) for origin in request.origins]
    return backtest(models, series.series, moments, hours, level_of=series.hierarchy.level_of)


def _first_origin(scores: pl.DataFrame) -> datetime | None:
    first = scores["origin"].min() if scores.height else None
    return first if isinstance(first, datetime) else None


def _accuracy(scored: BacktestResult) -> dict[str, Any]:
    """Backtest scores per level and per area total, JSON-ready (NaN becomes null), and the
    models that fell back on a simpler one for lack of history."""
    present = [c for c in SCORED if c in scored.scores.columns]
    by_level = scored.by_level().select("model", "level", *present)
    by_area = scored.scores.filter(SeriesKey.is_area_total_expr()).select(
        "model", "unique_id", *present
    )
    timings = scored.timings
    fell_back = timings.filter(pl.col("fallback").is_not_null()).select("model", "fallback")
    return {
        "by_level": _json_rows(by_level),
        "by_series": _json_rows(by_area),
        "fallback": dict(fell_back.iter_rows()),
    }


def _json_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
        for row in frame.to_dicts()
    ]
