"""The planning pages: the plan of a stored forecast's zones, one zone's curve, shifts and
roster, exports. They plan the same stored run the forecast pages show (`?run=ID`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal
from urllib.parse import urlencode

import polars as pl
from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, Response

from zonal.errors import NotReady
from zonal.planning.plans import ZonePlan
from zonal.planning.roster import RosterResult, to_csv, to_ical
from zonal.services.forecasts import StoredForecastRun, is_synthetic
from zonal.services.planning import STAFF_TO, ZonePlanView
from zonal.web.charts import DayTick, Tick, count_axis, day_ticks
from zonal.web.deps import PlannerDep
from zonal.web.routes.forecast import RunQuery
from zonal.web.templating import render

router = APIRouter(include_in_schema=False)

CHART_WIDTH, CHART_HEIGHT = 780, 220
CHART_MARGIN = {"left": 44, "top": 24, "right": 12, "bottom": 36}  # room for the axes
ROSTER_DAYS = 7
REFRESH_SECONDS = 3  # how soon a download of a roster being computed may be asked again
PLAN_STATE_HEADER = "X-Zonal-Plan-State"


@dataclass(frozen=True)
class Bar:
    """One hour on the chart: planned teams as a bar, the requirement as a step."""

    x: float
    width: float
    planned_y: float
    required_y: float
    short: bool
    weekday: int  # 0 = Monday, for a translated label
    hour: int
    required: int
    planned: int


@dataclass(frozen=True)
class BarChart:
    """The hours of the plan's week as bars, on a count axis and the week's own days."""

    bars: list[Bar]
    counts: list[Tick]
    days: list[DayTick]  # from the forecast's first day
    top: float


StaffTo = Annotated[
    Literal["mean", "q-0.8", "q-0.9"],
    Query(alias="staff_to", description="Staff to the mean or a quantile of the forecast."),
]


@router.get("/planning", response_class=HTMLResponse)
def planning_page(
    request: Request, planner: PlannerDep, run_id: RunQuery = None, staff_to: StaffTo = "mean"
) -> HTMLResponse:
    """A stored forecast's zones: designed shifts against a flat 24/7 plan."""
    view = planner.overview(run_id, staff_to)
    if view is None:
        return render(request, "planning/index.html", {"run": None, "rows": []})
    rows = view.summary.zones.to_dicts() if view.summary is not None else []
    context = {"rows": rows, **_state(view.state, view.message), **_run_context(view.run, staff_to)}
    return _with_state(render(request, "planning/index.html", context), view.state)


@router.get("/planning/{zone}", response_class=HTMLResponse)
def zone_plan_page(
    request: Request,
    zone: str,
    planner: PlannerDep,
    run_id: RunQuery = None,
    staff_to: StaffTo = "mean",
) -> HTMLResponse:
    """One zone: requirement against coverage per hour, the shifts, the roster, shortfalls."""
    view = planner.zone(zone, run_id, staff_to)
    context = {
        "zone": zone,
        **_state(view.state, view.message),
        **_run_context(view.run, staff_to),
        **(_zone_context(view.plan) if view.plan is not None else {"plan": None}),
    }
    return _with_state(render(request, "planning/zone.html", context), view.state)


@router.get("/planning/{zone}/roster.csv")
def roster_csv(
    zone: str, planner: PlannerDep, run_id: RunQuery = None, staff_to: StaffTo = "mean"
) -> Response:
    """The zone's four-week roster as CSV."""
    plan = _ready(planner.zone(zone, run_id, staff_to))
    text = to_csv(plan.roster, plan.time_zone)
    return _download(text, "text/csv; charset=utf-8", f"roster-{zone}.csv")


@router.get("/planning/{zone}/roster.ics")
def roster_ics(
    zone: str, planner: PlannerDep, run_id: RunQuery = None, staff_to: StaffTo = "mean"
) -> Response:
    """The zone's four-week roster as an iCalendar file."""
    plan = _ready(planner.zone(zone, run_id, staff_to))
    text = to_ical(plan.roster)
    return _download(text, "text/calendar; charset=utf-8", f"roster-{zone}.ics")


def _ready(view: ZonePlanView) -> ZonePlan:
    """The zone's plan for a download; a roster still being computed is not there yet."""
    if view.plan is None:
        raise NotReady(
            f"the roster of zone {view.zone} is being computed; open /planning/{view.zone} "
            "and download it when the page shows it",
            retry_after=REFRESH_SECONDS,
        )
    return view.plan


def _state(state: str, message: str | None) -> dict[str, object]:
    """Whether the page shows a plan, says it is being computed, or says why it failed."""
    return {"state": str(state), "failure": message}


def _with_state(page: HTMLResponse, state: str) -> HTMLResponse:
    # static/plan-state.js reads it to show the page again once the plan is there
    page.headers[PLAN_STATE_HEADER] = str(state)
    return page


def _zone_context(plan: ZonePlan) -> dict[str, object]:
    first = _first_day(plan.roster, plan.time_zone)
    return {
        "plan": plan,
        "curve": chart_bars(plan.curve),
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, **CHART_MARGIN},
        "days": [first + timedelta(days=k) for k in range(ROSTER_DAYS)] if first else [],
        "grid": roster_grid(plan.roster, first, plan.time_zone),
        "uncovered": _local(plan.roster.uncovered, plan.time_zone).to_dicts(),
        "starts": plan.starts.to_dicts(),
    }


def _run_context(run: StoredForecastRun, staff_to: str) -> dict[str, object]:
    """Which stored forecast the plan staffs, to what, and whether its data are synthetic."""
    return {
        "run": run,
        "synthetic": is_synthetic(run),
        "staff_to": staff_to,
        "staff_choices": STAFF_TO,
        "run_query": f"?{urlencode({'run': run.id, 'staff_to': staff_to})}",
        "forecast_query": f"?run={run.id}",
    }


def chart_bars(curve: pl.DataFrame) -> BarChart:
    """Chart geometry: one bar per hour in the curve's order, on a whole-team count axis."""
    highest = float(max([0, *curve["required"].to_list(), *curve["planned"].to_list()]))
    top, counts = count_axis(highest, CHART_HEIGHT, least_step=1)
    width = CHART_WIDTH / max(curve.height, 1)
    scale = CHART_HEIGHT / top
    bars = [
        Bar(
            x=round(i * width, 2),
            width=round(width, 2),
            planned_y=round(CHART_HEIGHT - row["planned"] * scale, 2),
            required_y=round(CHART_HEIGHT - row["required"] * scale, 2),
            short=row["planned"] < row["required"],
            weekday=row["ds"].weekday(),
            hour=row["ds"].hour,
            required=row["required"],
            planned=row["planned"],
        )
        for i, row in enumerate(curve.iter_rows(named=True))
    ]
    return BarChart(bars, counts, day_ticks(curve["ds"].to_list(), width), top)


def roster_grid(
    roster: RosterResult, first: date | None, time_zone: str
) -> list[dict[str, object]]:
    """Officer rows with their shifts ("06-14") on each of the first week's local days."""
    frame = _local(roster.assignments, time_zone)
    if first is None or frame.height == 0:
        return []
    frame = frame.with_columns(
        day=(pl.col("start").dt.date() - pl.lit(first)).dt.total_days(),
        label=pl.col("start").dt.strftime("%H") + "-" + pl.col("end").dt.strftime("%H"),
    ).filter(pl.col("day") < ROSTER_DAYS)
    rows = []
    for (officer, team), shifts in frame.group_by("officer_id", "team", maintain_order=True):
        cells = dict(zip(shifts["day"].to_list(), shifts["label"].to_list(), strict=True))
        days = [cells.get(day, "") for day in range(ROSTER_DAYS)]
        rows.append({"officer": officer, "team": team, "cells": days})
    return sorted(rows, key=lambda row: str(row["officer"]))


def _first_day(roster: RosterResult, time_zone: str) -> date | None:
    first = _local(roster.coverage, time_zone)["start"].min()
    return first.date() if first is not None else None  # type: ignore[union-attr]


def _local(frame: pl.DataFrame, time_zone: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("start").dt.convert_time_zone(time_zone),
        pl.col("end").dt.convert_time_zone(time_zone),
    )


def _download(text: str, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type=media_type, headers=headers)
