"""The demo zones' demand forecast and its last backtest, computed once per process for the page.

The forecast page has no stored forecasts to read yet, so it shows the synthetic Brussels
demo: sixteen weeks of seeded incidents, forecast a week ahead per zone, sector and cluster
with the production model, and scored at the week before against the four-week average.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import polars as pl

from zonal.errors import NotFoundError
from zonal.forecasting.aggregate import HourlySeries, hourly_counts
from zonal.forecasting.backtest import backtest
from zonal.forecasting.baselines import SeasonalWindowAverage
from zonal.forecasting.gbm import GlobalGBM
from zonal.forecasting.hierarchy import TOTAL, split_id
from zonal.forecasting.reconcile import reconcile
from zonal.geo.default import default_registry
from zonal.incidents.demo import DemoSpec, generate_demo

DEMO_TIME_ZONE = "Europe/Brussels"
DEMO_START = date(2025, 1, 6)
DEMO_DAYS = 16 * 7
HISTORY_SHOWN_DAYS = 14


@dataclass(frozen=True)
class DemoForecast:
    """Everything the forecast pages show, for every area of the demo."""

    series: HourlySeries  # hourly history of every area x cluster
    forecast: pl.DataFrame  # reconciled: unique_id, ds, mean, q-...
    accuracy: pl.DataFrame  # model, level, rmsse, coverage_80, coverage_95, ... (last backtest)
    accuracy_by_series: pl.DataFrame  # model, unique_id, rmsse, coverage_80, ...
    backtest_origin: str


def _model() -> GlobalGBM:
    return GlobalGBM("7d", max_rows=60_000, random_state=0)


@cache
def demo_forecast() -> DemoForecast:
    """The seeded demo: a week ahead from the end of the history, and last week's backtest."""
    spec = DemoSpec(start=DEMO_START, days=DEMO_DAYS, seed=2016)
    incidents = generate_demo(default_registry(), spec)
    series = hourly_counts(incidents, time_zone=DEMO_TIME_ZONE, level="sector")
    base = _model().fit(series.series).predict("7d")
    forecast = reconcile(base, series.hierarchy)
    last = series.series["ds"].max()
    assert isinstance(last, datetime)
    origin = last - timedelta(days=7) + timedelta(hours=1)
    models = {"Zonal GlobalGBM": _model(), "mean of last 4 weeks": SeasonalWindowAverage(4)}
    result = backtest(models, series.series, [origin], "7d", level_of=series.hierarchy.level_of)
    return DemoForecast(
        series=series,
        forecast=forecast,
        accuracy=result.by_level(),
        accuracy_by_series=result.scores,
        backtest_origin=f"{origin:%Y-%m-%d}",
    )


def areas() -> list[str]:
    """Area paths of the demo, the total first, then zones and their sectors in order."""
    ids = demo_forecast().series.hierarchy.ids
    found = sorted({split_id(uid)[0] for uid in ids} - {TOTAL})
    return [TOTAL, *found]


def area_view(area: str) -> dict[str, pl.DataFrame]:
    """History (last two weeks), forecast, cluster split and accuracy of one area.

    Raises:
        NotFoundError: `area` is not an area of the demo (the message lists the zones).
    """
    demo = demo_forecast()
    known = areas()
    if area not in known:
        zones = [a for a in known if "/" not in a]
        raise NotFoundError(f"area {area!r} is not in the demo; zones: {zones}")
    total = f"{area}|{TOTAL}"
    history = demo.series.series.filter(pl.col("unique_id") == total).tail(HISTORY_SHOWN_DAYS * 24)
    forecast = demo.forecast.filter(pl.col("unique_id") == total)
    clusters = (
        demo.forecast.filter(pl.col("unique_id").str.starts_with(f"{area}|"))
        .filter(pl.col("unique_id") != total)
        .group_by("unique_id")
        .agg(pl.col("mean").sum().alias("expected"))
        .with_columns(cluster=pl.col("unique_id").str.split("|").list.last())
        .sort("expected", descending=True)
    )
    accuracy = demo.accuracy_by_series.filter(pl.col("unique_id") == total)
    return {"history": history, "forecast": forecast, "clusters": clusters, "accuracy": accuracy}
