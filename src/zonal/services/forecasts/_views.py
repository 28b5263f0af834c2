"""Use cases: read stored forecast runs back as the pages, the API and the exports show them.

The forecast pages read stored runs: fitting takes seconds to minutes, a page must not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import polars as pl

from zonal.errors import InputError, NotFoundError
from zonal.forecasting import demand_origins, hourly_counts, parse_level
from zonal.forecasting.runs import StoredForecastRun
from zonal.forecasting.series_key import TOTAL, SeriesKey, is_group
from zonal.geo import Zone
from zonal.incidents.demo import DEMO_DATASET
from zonal.services.forecasts._fitting import zone_groups
from zonal.services.ports import StoreUnitOfWork
from zonal.services.zones import current_registry

HISTORY_SHOWN = timedelta(days=14)
NO_RUN = "no forecast is stored yet: make one with `zonal forecast --dataset NAME --save`"


def recent_runs(uow: StoreUnitOfWork, limit: int = 20) -> list[StoredForecastRun]:
    """The newest stored runs, newest first."""
    with uow:
        return uow.forecasts.newest(limit=limit)


def get_run(uow: StoreUnitOfWork, run_id: int) -> StoredForecastRun:
    """One stored run.

    Raises:
        NotFoundError: there is no run `run_id`.
    """
    with uow:
        return _get(uow, run_id)


def is_synthetic(run: StoredForecastRun) -> bool:
    """Whether a run forecasts the synthetic demo, which every page showing it must say."""
    return run.dataset == DEMO_DATASET


def choose_run(uow: StoreUnitOfWork, run_id: int | None = None) -> StoredForecastRun | None:
    """Run `run_id`, or the newest stored run when none is named (None if there is none).

    Raises:
        NotFoundError: there is no run `run_id`.
    """
    with uow:
        return _choose(uow, run_id)


@dataclass(frozen=True)
class ForecastIndex:
    """What the forecast index shows: the chosen run, its areas, the newest runs."""

    run: StoredForecastRun | None  # None: the store holds no run
    areas: pl.DataFrame  # area, expected over the horizon (empty without a run)
    runs: list[StoredForecastRun]


def forecast_index(
    uow: StoreUnitOfWork, run_id: int | None = None, listed: int = 20
) -> ForecastIndex:
    """Run `run_id` (default: the newest) with its areas, and the `listed` newest runs."""
    with uow:
        run = _choose(uow, run_id)
        areas = _areas(uow, run) if run else pl.DataFrame(schema=_AREAS)
        return ForecastIndex(run, areas, uow.forecasts.newest(limit=listed))


def run_areas(uow: StoreUnitOfWork, run: StoredForecastRun) -> pl.DataFrame:
    """Every area of a run with its expected incidents over the horizon: area, expected."""
    with uow:
        return _areas(uow, run)


def area_order(area: str) -> tuple[object, ...]:
    """How areas are listed: the total, provinces, then zones and sectors with their numbers
    in numeric order (district 2 before 10)."""
    parts = re.split(r"(\d+)", area)
    natural = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)
    return (area != TOTAL, not is_group(area), natural)


@dataclass(frozen=True)
class AreaForecast:
    """What the forecast page shows of one area: history, fan, cluster split, accuracy."""

    run: StoredForecastRun
    area: str
    zone: Zone | None  # the registry's zone when the area is one (for its name)
    history: pl.DataFrame  # ds (local), y: the area's incidents per hour before the origin
    forecast: pl.DataFrame  # ds (local), mean, q-0.025 ... q-0.975 of the area's total
    clusters: pl.DataFrame  # cluster, expected over the horizon
    accuracy: list[dict[str, Any]]  # per model: the last backtest on this area's total
    children: list[str] = field(default_factory=list)


def area_forecast(uow: StoreUnitOfWork, area: str, run_id: int | None = None) -> AreaForecast:
    """One area of run `run_id` (default: the newest), with its recent history read from the
    stored incidents.

    Raises:
        NotFoundError: no run is stored, there is no run `run_id`, or the run has no area
            `area` (the message lists its zones).
    """
    with uow:
        run = _choose(uow, run_id)
        if run is None:
            raise NotFoundError(NO_RUN)
        sums = uow.forecasts.sums(run.id)
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
        forecast = uow.forecasts.points(run.id, [total]).drop("unique_id")
        return AreaForecast(
            run=run,
            area=area,
            zone=current_registry(uow).zones.get(area),
            history=_history(uow, run, area),
            forecast=forecast.with_columns(pl.col("ds").dt.convert_time_zone(run.time_zone)),
            clusters=clusters,
            accuracy=[r for r in run.accuracy.get("by_series", []) if r["unique_id"] == total],
            children=_children(area, areas),
        )


def run_points(uow: StoreUnitOfWork, run_id: int, area: str | None = None) -> pl.DataFrame:
    """A run's points in its own clock, as `zonal forecast --out` writes them: unique_id, area,
    cluster, ds, mean, q-...; those of one area (its total and clusters) when `area` is given.

    Raises:
        NotFoundError: there is no run `run_id`, or it has no area `area`.
    """
    with uow:
        run = _get(uow, run_id)
        ids = uow.forecasts.sums(run.id)["unique_id"]
        if area is not None:
            ids = ids.to_frame().filter(SeriesKey.of_area_expr(area)).to_series()
            if ids.len() == 0:
                raise NotFoundError(f"area {area!r} is not in forecast run {run.id}")
        points = uow.forecasts.points(run.id, None if area is None else ids.to_list())
    return points.select(
        "unique_id",
        SeriesKey.area_expr().alias("area"),
        SeriesKey.cluster_expr().alias("cluster"),
        pl.col("ds").dt.convert_time_zone(run.time_zone),
        pl.exclude("unique_id", "ds"),
    )


def area_history(uow: StoreUnitOfWork, run: StoredForecastRun, area: str) -> pl.DataFrame:
    """The area's counted incidents per hour over the two weeks before the run's origin.

    Counted as the run counted them (level, demand) from the incidents stored now; hours
    without an incident are zeros. Columns: ds (local), y.
    """
    with uow:
        return _history(uow, run, area)


_AREAS = {"area": pl.String, "expected": pl.Float64}


def _get(uow: StoreUnitOfWork, run_id: int) -> StoredForecastRun:
    run = uow.forecasts.get(run_id)
    if run is None:
        raise NotFoundError(f"forecast run {run_id} does not exist; see /forecast for runs")
    return run


def _choose(uow: StoreUnitOfWork, run_id: int | None) -> StoredForecastRun | None:
    if run_id is not None:
        return _get(uow, run_id)
    newest = uow.forecasts.newest(limit=1)
    return newest[0] if newest else None


def _areas(uow: StoreUnitOfWork, run: StoredForecastRun) -> pl.DataFrame:
    totals = uow.forecasts.sums(run.id).filter(SeriesKey.is_area_total_expr())
    area = SeriesKey.area_expr().alias("area")
    found = totals.select(area, "expected")
    order = sorted(found["area"].to_list(), key=area_order)
    return found.sort(pl.col("area").replace_strict(order, list(range(len(order)))))


def _history(uow: StoreUnitOfWork, run: StoredForecastRun, area: str) -> pl.DataFrame:
    end = run.origin
    start = end - HISTORY_SHOWN
    hours = pl.datetime_range(start, end, "1h", closed="left", time_unit="us", eager=True)
    grid = pl.DataFrame({"ds": hours.dt.convert_time_zone(run.time_zone)})
    zone = area.split("/")[0]
    zones = None if zone in (TOTAL, "unknown") or is_group(zone) else [zone]
    incidents = uow.incidents.read(datasets=[run.dataset], zones=zones, start=start, end=end)
    groups = zone_groups(uow) if is_group(zone) else None
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
