"""Use cases: forecast a stored dataset and keep the forecast; read one back for a page.

The forecast pages read stored runs: fitting takes seconds to minutes, a page must not.
A dataset's clock is the time zone its import run recorded, so a Houston dataset is
forecast in Houston hours without the user repeating it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import Engine

from zonal.errors import InputError, NotFoundError
from zonal.forecasting import (
    BacktestResult,
    ForecastRun,
    Level,
    demand_origins,
    drivers_of,
    fallback_of,
    forecast_incidents,
    hourly_counts,
    last_week_backtest,
    parse_horizon,
    parse_level,
)
from zonal.forecasting.reconcile import Method
from zonal.forecasting.series_key import TOTAL, SeriesKey, is_group
from zonal.incidents.demo import DEMO_DATASET
from zonal.services.store import registry_of
from zonal.storage import dataset_counts, read_incidents
from zonal.storage.forecasts import (
    ForecastRunCreate,
    forecast_runs,
    forecast_sums,
    get_forecast_run,
    read_forecast_points,
    save_forecast_run,
)
from zonal.storage.forecasts import (
    StoredForecastRun as StoredForecastRun,
)
from zonal.storage.import_runs import dataset_time_zone as recorded_time_zone

HISTORY_SHOWN = timedelta(days=14)
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


def dataset_time_zone(engine: Engine, dataset: str) -> str:
    """The wall-clock time zone recorded by the dataset's latest import run.

    Raises:
        NotFoundError: the store holds no dataset `dataset` (the message lists those it has).
    """
    found = recorded_time_zone(engine, dataset)
    if found is None:
        raise NotFoundError(
            f"dataset {dataset!r} is not in the store; it holds {sorted(dataset_counts(engine))} "
            "(see `zonal import incidents`)"
        )
    return found


def load_dataset(engine: Engine, dataset: str) -> tuple[pl.DataFrame, str]:
    """The dataset's incidents and its time zone.

    Raises:
        NotFoundError: no such dataset, or it holds no incident.
    """
    time_zone = dataset_time_zone(engine, dataset)
    incidents = read_incidents(engine, datasets=[dataset])
    if incidents.height == 0:
        raise NotFoundError(f"dataset {dataset!r} holds no incidents; see `zonal import incidents`")
    return incidents, time_zone


@dataclass(frozen=True)
class SavedForecast:
    """A stored run and the forecast it holds, labelled (unique_id, area, cluster, level, ...)."""

    run: StoredForecastRun
    forecast: pl.DataFrame


def forecast_frame(
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


def forecast_dataset(engine: Engine, request: DatasetForecastRequest) -> SavedForecast:
    """Forecast a stored dataset, score the same model on the week before, store both."""
    incidents, time_zone = load_dataset(engine, request.dataset)
    run = forecast_frame(incidents, time_zone, request, zone_groups(engine))
    scored = last_week_backtest(run.history, request.model, request.seed)
    accuracy = _accuracy(scored) if scored is not None else {}
    backtest_origin = _first_origin(scored.scores) if scored is not None else None
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
        backtest_origin=backtest_origin,
        accuracy=accuracy,
        drivers=drivers_of(run.model),
    )
    stored = get_forecast_run(engine, save_forecast_run(engine, record, run.forecast))
    return SavedForecast(stored, run.forecast)


def zone_groups(engine: Engine) -> dict[str, str]:
    """Each registry zone's province or region (`province:40000`), the level above zones."""
    return {number: zone.parent for number, zone in registry_of(engine).zones.items()}


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


def recent_runs(engine: Engine, limit: int = 20) -> list[StoredForecastRun]:
    """The newest stored runs, newest first."""
    return forecast_runs(engine, limit=limit)


def get_run(engine: Engine, run_id: int) -> StoredForecastRun:
    """One stored run.

    Raises:
        NotFoundError: there is no run `run_id`.
    """
    return get_forecast_run(engine, run_id)


def is_synthetic(run: StoredForecastRun) -> bool:
    """Whether a run forecasts the synthetic demo, which every page showing it must say."""
    return run.dataset == DEMO_DATASET


def choose_run(engine: Engine, run_id: int | None = None) -> StoredForecastRun | None:
    """Run `run_id`, or the newest stored run when none is named (None if there is none)."""
    if run_id is not None:
        return get_forecast_run(engine, run_id)
    newest = recent_runs(engine, 1)
    return newest[0] if newest else None


@dataclass(frozen=True)
class AreaForecast:
    """What the forecast page shows of one area: history, fan, cluster split, accuracy."""

    run: StoredForecastRun
    area: str
    history: pl.DataFrame  # ds (local), y: the area's incidents per hour before the origin
    forecast: pl.DataFrame  # ds (local), mean, q-0.025 ... q-0.975 of the area's total
    clusters: pl.DataFrame  # cluster, expected over the horizon
    accuracy: list[dict[str, Any]]  # per model: the last backtest on this area's total
    children: list[str] = field(default_factory=list)


def run_areas(engine: Engine, run: StoredForecastRun) -> pl.DataFrame:
    """Every area of a run with its expected incidents over the horizon: area, expected."""
    totals = forecast_sums(engine, run.id).filter(SeriesKey.is_area_total_expr())
    area = SeriesKey.area_expr().alias("area")
    found = totals.select(area, "expected")
    order = sorted(found["area"].to_list(), key=area_order)
    return found.sort(pl.col("area").replace_strict(order, list(range(len(order)))))


def area_order(area: str) -> tuple[object, ...]:
    """How areas are listed: the total, provinces, then zones and sectors with their numbers
    in numeric order (district 2 before 10)."""
    parts = re.split(r"(\d+)", area)
    natural = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)
    return (area != TOTAL, not is_group(area), natural)


def area_forecast(engine: Engine, run: StoredForecastRun, area: str) -> AreaForecast:
    """One area of a stored run, with its recent history read from the stored incidents.

    Raises:
        NotFoundError: the run has no area `area` (the message lists its zones).
    """
    sums = forecast_sums(engine, run.id)
    areas = sorted({SeriesKey.parse(uid).area for uid in sums["unique_id"]}, key=area_order)
    if area not in areas:
        zones = [a for a in areas if "/" not in a]
        raise NotFoundError(f"area {area!r} is not in forecast run {run.id}; zones: {zones}")
    total = str(SeriesKey(area, TOTAL))
    clusters = (
        sums.filter(SeriesKey.of_area_expr(area) & (pl.col("unique_id") != total))
        .select(SeriesKey.cluster_expr().alias("cluster"), "expected")
        .sort("expected", descending=True)
    )
    forecast = read_forecast_points(engine, run.id, [total]).drop("unique_id")
    accuracy = [r for r in run.accuracy.get("by_series", []) if r["unique_id"] == total]
    return AreaForecast(
        run=run,
        area=area,
        history=area_history(engine, run, area),
        forecast=forecast.with_columns(pl.col("ds").dt.convert_time_zone(run.time_zone)),
        clusters=clusters,
        accuracy=accuracy,
        children=_children(area, areas),
    )


def run_points(engine: Engine, run: StoredForecastRun, area: str | None = None) -> pl.DataFrame:
    """A run's points in its own clock, as `zonal forecast --out` writes them: unique_id, area,
    cluster, ds, mean, q-...; those of one area (its total and clusters) when `area` is given.

    Raises:
        NotFoundError: the run has no area `area`.
    """
    ids = forecast_sums(engine, run.id)["unique_id"]
    if area is not None:
        ids = ids.to_frame().filter(SeriesKey.of_area_expr(area)).to_series()
        if ids.len() == 0:
            raise NotFoundError(f"area {area!r} is not in forecast run {run.id}")
    points = read_forecast_points(engine, run.id, None if area is None else ids.to_list())
    return points.select(
        "unique_id",
        SeriesKey.area_expr().alias("area"),
        SeriesKey.cluster_expr().alias("cluster"),
        pl.col("ds").dt.convert_time_zone(run.time_zone),
        pl.exclude("unique_id", "ds"),
    )


def area_history(engine: Engine, run: StoredForecastRun, area: str) -> pl.DataFrame:
    """The area's counted incidents per hour over the two weeks before the run's origin.

    Counted as the run counted them (level, demand) from the incidents stored now; hours
    without an incident are zeros. Columns: ds (local), y.
    """
    end = run.origin
    start = end - HISTORY_SHOWN
    hours = pl.datetime_range(start, end, "1h", closed="left", time_unit="us", eager=True)
    grid = pl.DataFrame({"ds": hours.dt.convert_time_zone(run.time_zone)})
    zone = area.split("/")[0]
    zones = None if zone in (TOTAL, "unknown") or is_group(zone) else [zone]
    incidents = read_incidents(engine, datasets=[run.dataset], zones=zones, start=start, end=end)
    groups = zone_groups(engine) if is_group(zone) else None
    counted = _counts(incidents, run, str(SeriesKey(area, TOTAL)), groups)
    return grid.join(counted, on="ds", how="left").with_columns(pl.col("y").fill_null(0.0))


def _counts(
    incidents: pl.DataFrame,
    run: StoredForecastRun,
    unique_id: str,
    groups: dict[str, str] | None,
) -> pl.DataFrame:
    empty = pl.DataFrame(schema={"ds": pl.Datetime("us", run.time_zone), "y": pl.Float64})
    try:
        series = hourly_counts(
            incidents,
            time_zone=run.time_zone,
            level=parse_level(run.level),
            by_cluster=False,
            origins=demand_origins(run.demand),
            groups=groups,
        )
    except InputError:  # no incident counted in the window: an empty history, not an error
        return empty
    found = series.series.filter(pl.col("unique_id") == unique_id).select("ds", "y")
    return found if found.height else empty


def _children(area: str, areas: list[str]) -> list[str]:
    """Areas one level below `area`: the zones under the total, the sectors under a zone."""
    if area == TOTAL:
        return [a for a in areas if a != TOTAL and "/" not in a]
    return [a for a in areas if a.startswith(f"{area}/") and "/" not in a[len(area) + 1 :]]
