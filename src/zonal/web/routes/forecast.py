"""The forecast pages: a stored forecast's areas, one area's history and fan, cluster split and
the accuracy of the model's last backtest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo

import polars as pl
from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from zonal.services.forecasts import (
    StoredForecastRun,
    area_forecast,
    forecast_index,
    is_synthetic,
)
from zonal.taxonomy import CLUSTERS
from zonal.web.charts import DayTick, Tick, count_axis, day_ticks
from zonal.web.deps import LanguageDep, StoreDep
from zonal.web.routes.api_forecasts import LARGEST_ID
from zonal.web.templating import render

router = APIRouter(include_in_schema=False)

CHART_WIDTH, CHART_HEIGHT = 780, 240
# room around the plot for the axes: the count labels left, the unit above, the days below
CHART_MARGIN = {"left": 44, "top": 24, "right": 12, "bottom": 36}
RUNS_LISTED = 20


@dataclass(frozen=True)
class Chart:
    """SVG geometry: history line, forecast mean line, 80% and 95% bands, the two axes."""

    history: str  # polyline points
    mean: str
    band_80: str  # polygon points
    band_95: str
    split_x: float  # where the forecast starts
    days: list[DayTick]  # the time axis
    counts: list[Tick]  # the count axis, 0 at the bottom
    top: float  # the count at the top of the chart (its last tick)


RunQuery = Annotated[
    int | None, Query(alias="run", ge=1, le=LARGEST_ID, description="Stored forecast run id.")
]


@router.get("/forecast", response_class=HTMLResponse)
def forecast_page(request: Request, store: StoreDep, run_id: RunQuery = None) -> HTMLResponse:
    """A stored forecast: expected incidents per zone, the last backtest, the other runs."""
    index = forecast_index(store, run_id, RUNS_LISTED)
    run = index.run
    context = {
        "run": run,
        "runs": index.runs,
        "zones": _top_areas(index.areas),
        "accuracy": run.accuracy.get("by_level", []) if run else [],
        **_run_context(run),
    }
    return render(request, "forecast/index.html", context)


@router.get("/forecast/{area:path}", response_class=HTMLResponse)
def area_page(
    request: Request,
    area: str,
    store: StoreDep,
    language: LanguageDep,
    run_id: RunQuery = None,
) -> HTMLResponse:
    """One zone or sector: history and forecast fan, cluster split, backtest accuracy."""
    view = area_forecast(store, area, run_id)
    context = {
        "area": area,
        "area_name": f"{area} {view.zone.name(language)}" if view.zone else None,
        "cluster_names": {str(n): f"{n}. {c.label(language)}" for n, c in CLUSTERS.items()},
        "chart": chart(view.history, view.forecast),
        "size": {"width": CHART_WIDTH, "height": CHART_HEIGHT, **CHART_MARGIN},
        "clusters": view.clusters.to_dicts(),
        "accuracy": view.accuracy,
        "children": view.children,
        **_run_context(view.run),
    }
    return render(request, "forecast/area.html", context)


def _run_context(run: StoredForecastRun | None) -> dict[str, object]:
    """What every forecast page says about its run: which, from when, and on what data."""
    if run is None:
        return {"synthetic": False, "run_query": ""}
    local = run.origin.astimezone(ZoneInfo(run.time_zone))
    tested = (
        run.backtest_origin.astimezone(ZoneInfo(run.time_zone)) if run.backtest_origin else None
    )
    return {
        "run": run,
        "synthetic": is_synthetic(run),
        "origin": f"{local:%Y-%m-%d %H:%M}",
        "backtest_origin": f"{tested:%Y-%m-%d}" if tested else None,
        "horizon_days": run.horizon_hours / 24,
        "run_query": f"?run={run.id}",
    }


def _top_areas(areas: pl.DataFrame) -> list[dict[str, object]]:
    """The total, provinces and zones in the run's order (sectors: from their zone's page)."""
    return areas.filter(~pl.col("area").str.contains("/")).to_dicts()


def chart(history: pl.DataFrame, forecast: pl.DataFrame) -> Chart:
    """Chart geometry of two weeks of history followed by the forecast, on one count scale."""
    observed = history["y"].fill_nan(0.0).to_list()
    step = CHART_WIDTH / max(len(observed) + forecast.height, 1)
    highest = max([0.0, *observed, *forecast["q-0.975"].to_list()])
    top, counts = count_axis(highest, CHART_HEIGHT)
    scale = CHART_HEIGHT / top

    def line(values: list[float], offset: int) -> list[str]:
        return [
            f"{round((offset + i) * step, 1)},{round(CHART_HEIGHT - v * scale, 1)}"
            for i, v in enumerate(values)
        ]

    def band(lo: str, hi: str) -> str:
        upper = line(forecast[hi].to_list(), len(observed))
        lower = line(forecast[lo].to_list(), len(observed))
        return " ".join(upper + lower[::-1])

    return Chart(
        history=" ".join(line(observed, 0)),
        mean=" ".join(line(forecast["mean"].to_list(), len(observed))),
        band_80=band("q-0.1", "q-0.9"),
        band_95=band("q-0.025", "q-0.975"),
        split_x=round(len(observed) * step, 1),
        days=day_ticks(pl.concat([history["ds"], forecast["ds"]]).to_list(), step),
        counts=counts,
        top=top,
    )
