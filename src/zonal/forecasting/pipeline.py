"""Forecast incidents end to end: aggregate, fit, predict, reconcile. What the CLI and web call."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from zonal.errors import InputError
from zonal.forecasting.aggregate import HourlySeries, Level, hourly_counts
from zonal.forecasting.backtest import BacktestResult, backtest
from zonal.forecasting.base import MAX_HORIZON_HOURS, Forecaster, parse_horizon
from zonal.forecasting.baselines import SeasonalNaive, SeasonalWindowAverage, StatsForecastModel
from zonal.forecasting.gbm import GlobalGBM
from zonal.forecasting.reconcile import Method, reconcile
from zonal.forecasting.series_key import SeriesKey

MODELS: tuple[str, ...] = ("gbm", "seasonal-naive", "window-average", "auto-ets", "mstl")
BASELINE = "window-average"  # what analysts use today: the mean of the same hour, last 4 weeks
BACKTEST_HOURS = 168  # the last backtest scores the week before the origin


@dataclass(frozen=True)
class ForecastRun:
    """A forecast of every series of the hierarchy, with the history it was made from."""

    forecast: pl.DataFrame  # unique_id, area, cluster, level, ds, mean, q-...
    history: HourlySeries  # the series, cut at the origin
    model: Forecaster
    origin: datetime  # first forecast hour (local time zone)


def build_model(name: str, horizon: int | str, seed: int = 0) -> Forecaster:
    """A fresh estimator by its CLI name (see MODELS)."""
    builders: dict[str, Callable[[], Forecaster]] = {
        "gbm": lambda: GlobalGBM(horizon, random_state=seed),
        "seasonal-naive": SeasonalNaive,
        "window-average": lambda: SeasonalWindowAverage(weeks=4),
        "auto-ets": lambda: StatsForecastModel("auto_ets"),
        "mstl": lambda: StatsForecastModel("mstl"),
    }
    if name not in builders:
        raise InputError(f"model {name!r} is unknown; choose one of {list(MODELS)}")
    model: Forecaster = builders[name]()
    return model


def origin_at(day: date | datetime, time_zone: str) -> datetime:
    """Local midnight of `day` in `time_zone` (a datetime keeps its time, gains the zone)."""
    moment = day if isinstance(day, datetime) else datetime.combine(day, time())
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(time_zone))


def forecast_incidents(
    incidents: pl.DataFrame,
    *,
    time_zone: str,
    level: Level = "zone",
    horizon: int | str = "7d",
    origin: date | datetime | None = None,
    by_cluster: bool = True,
    origins: Collection[str] | None = None,
    model: str = "gbm",
    reconciliation: Method | None = "wls_var",
    seed: int = 0,
    groups: Mapping[str, str] | None = None,
) -> ForecastRun:
    """Forecast hourly demand per area and cluster from canonical incidents.

    Args:
        incidents: canonical incident frame.
        time_zone: the data's wall-clock zone.
        level: 'zone', 'sector' or 'total' (the bottom of the area tree).
        horizon: '7d', '28d', or hours.
        origin: forecast as if on this date, from data strictly before it; default: the
            hour after the last incident.
        by_cluster: split by security cluster.
        origins: Origin values counted as demand (default: all but officer-initiated).
        model: one of MODELS.
        reconciliation: 'wls_var', 'wls_struct', 'bottom_up' or None (keep base forecasts).
        groups: zone -> province or region, a level between the total and the zones.
    """
    hours = parse_horizon(horizon)
    series = hourly_counts(
        incidents,
        time_zone=time_zone,
        level=level,
        by_cluster=by_cluster,
        origins=origins,
        groups=groups,
    )
    history = _cut(series, origin)
    # an origin past the end of the data: forecast across the silent hours, keep from origin
    skip = _hours_after_data(history, origin)
    if hours + skip > MAX_HORIZON_HOURS:
        raise InputError(
            f"origin {origin} is {skip} hours after the data ends; forecasts reach at most "
            f"{MAX_HORIZON_HOURS // 24} days past the data: pick an earlier origin"
        )
    estimator = build_model(model, hours + skip, seed).fit(history.series)
    forecast = estimator.predict(hours + skip)
    if skip:
        forecast = forecast.filter(pl.col("ds").rank("dense").over("unique_id") > skip)
    if reconciliation is not None:
        forecast = reconcile(forecast, history.hierarchy, reconciliation)
    first = forecast["ds"].min()
    assert isinstance(first, datetime)
    return ForecastRun(_label(forecast, history), history, estimator, first)


def _hours_after_data(history: HourlySeries, origin: date | datetime | None) -> int:
    """Whole hours between the hour after the history's end and `origin` (0 when none)."""
    if origin is None:
        return 0
    last = history.series["ds"].max()
    assert isinstance(last, datetime)
    moment = origin_at(origin, history.time_zone)
    return max(0, int((moment - last).total_seconds() // 3600) - 1)


def _cut(series: HourlySeries, origin: date | datetime | None) -> HourlySeries:
    if origin is None:
        return series
    moment = origin_at(origin, series.time_zone)
    instant = int(moment.timestamp() * 1_000_000)
    cut = series.series.filter(pl.col("ds").dt.epoch("us") < instant)
    if cut.height == 0:
        first = series.series["ds"].min()
        raise InputError(f"origin {moment} is before the first data ({first!s}); pick a later date")
    return HourlySeries(cut, series.hierarchy, series.time_zone, series.notes)


def _label(forecast: pl.DataFrame, history: HourlySeries) -> pl.DataFrame:
    ids = forecast["unique_id"].unique().to_list()
    parsed = [SeriesKey.parse(uid) for uid in ids]
    keys = pl.DataFrame(
        {
            "unique_id": ids,
            "area": [k.area for k in parsed],
            "cluster": [k.cluster for k in parsed],
            "level": [history.hierarchy.level_of(uid) for uid in ids],
        }
    )
    labelled = forecast.join(keys, on="unique_id", how="left")
    first = ["unique_id", "area", "cluster", "level", "ds"]
    return labelled.select(first + [c for c in forecast.columns if c not in first])


def last_week_backtest(history: HourlySeries, model: str, seed: int = 0) -> BacktestResult | None:
    """`model` and the analysts' baseline refitted a week before the end, scored on that week.

    What a planner reads beside a forecast: how the same model did on the latest week it
    could be checked on. None when the history is too short to leave a week out.
    """
    last = history.series["ds"].max()
    first = history.series["ds"].min()
    assert isinstance(last, datetime) and isinstance(first, datetime)
    origin = last + timedelta(hours=1) - timedelta(hours=BACKTEST_HOURS)
    if origin - first < timedelta(hours=2 * BACKTEST_HOURS):
        return None
    names = dict.fromkeys([model, BASELINE])
    models = {name: build_model(name, BACKTEST_HOURS, seed) for name in names}
    return backtest(
        models, history.series, [origin], BACKTEST_HOURS, level_of=history.hierarchy.level_of
    )
