"""The forecast pages: a demo area's history and forecast fan, cluster split and accuracy."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from zonal.forecasting.hierarchy import TOTAL
from zonal.forecasting.showcase import area_view, areas, demo_forecast
from zonal.geo import default_registry
from zonal.taxonomy import CLUSTERS
from zonal.web.deps import LanguageDep
from zonal.web.templating import render

router = APIRouter(include_in_schema=False)

CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 840, 240, 10


@dataclass(frozen=True)
class Chart:
    """SVG geometry: history line, forecast mean line, 80% and 95% bands, day ticks."""

    history: str  # polyline points
    mean: str
    band_80: str  # polygon points
    band_95: str
    split_x: float  # where the forecast starts
    ticks: list[tuple[float, str]]
    top: float  # the count at the top of the chart


@router.get("/forecast", response_class=HTMLResponse)
def forecast_page(request: Request) -> HTMLResponse:
    """The demo zones' expected incidents next week and the last backtest's accuracy."""
    demo = demo_forecast()
    totals = (
        demo.forecast.filter(pl.col("unique_id").str.ends_with(f"|{TOTAL}"))
        .group_by("unique_id")
        .agg(pl.col("mean").sum().alias("expected"))
        .with_columns(area=pl.col("unique_id").str.split("|").list.first())
        .filter(~pl.col("area").str.contains("/"))
        .sort("area")
    )
    context = {
        "zones": totals.to_dicts(),
        "accuracy": demo.accuracy.sort("level", "model").to_dicts(),
        "origin": demo.backtest_origin,
        "sectors": [a for a in areas() if "/" in a],
    }
    return render(request, "forecast/index.html", context)


@router.get("/forecast/{area:path}", response_class=HTMLResponse)
def area_page(request: Request, area: str, language: LanguageDep) -> HTMLResponse:
    """One zone or sector: history and forecast fan, cluster split, backtest accuracy."""
    view = area_view(area)
    zones = default_registry().zones  # the page forecasts the demo's Brussels zones
    context = {
        "area": area,
        "area_name": f"{area} {zones[area].name(language)}" if area in zones else None,
        "cluster_names": {str(n): f"{n}. {c.label(language)}" for n, c in CLUSTERS.items()},
        "chart": chart(view["history"], view["forecast"]),
        "size": {"width": CHART_WIDTH, "height": CHART_HEIGHT},
        "clusters": view["clusters"].to_dicts(),
        "accuracy": view["accuracy"].to_dicts(),
        "children": _children(area),
        "origin": demo_forecast().backtest_origin,
    }
    return render(request, "forecast/area.html", context)


def _children(area: str) -> list[str]:
    """Areas one level below `area`: the zones under the total, the sectors under a zone."""
    if area == TOTAL:
        return [a for a in areas() if a != TOTAL and "/" not in a]
    return [a for a in areas() if a.startswith(f"{area}/") and "/" not in a[len(area) + 1 :]]


def chart(history: pl.DataFrame, forecast: pl.DataFrame) -> Chart:
    """Chart geometry of two weeks of history followed by the forecast, on one count scale."""
    observed = history["y"].fill_nan(0.0).to_list()
    step = CHART_WIDTH / max(len(observed) + forecast.height, 1)
    top = max([1.0, *observed, *forecast["q-0.975"].to_list()])
    scale = (CHART_HEIGHT - CHART_TOP) / top

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
        ticks=_ticks(pl.concat([history["ds"], forecast["ds"]]), step),
        top=top,
    )


def _ticks(ds: pl.Series, step: float) -> list[tuple[float, str]]:
    """One tick per local midnight, labelled day/month."""
    midnight = (ds.dt.hour() == 0).to_list()
    labels = ds.dt.strftime("%d/%m").to_list()
    return [(round(i * step, 1), labels[i]) for i, flag in enumerate(midnight) if flag]
