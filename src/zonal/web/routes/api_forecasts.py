"""The JSON API of stored forecasts: the runs, and their points as CSV for spreadsheets."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from starlette.responses import Response

from zonal.services.forecasts import StoredForecastRun, get_run, recent_runs, run_points
from zonal.web.deps import StoreDep

router = APIRouter(tags=["forecasts"])
RunId = Annotated[int, Path(ge=1, description="Stored forecast run id.")]


class ForecastRunPublic(BaseModel):
    id: int
    dataset: str
    created_at: datetime
    model: str
    fallback: str | None
    level: str
    by_cluster: bool
    demand: str
    reconciliation: str | None
    horizon_hours: int
    origin: datetime
    time_zone: str
    series: int
    backtest_origin: datetime | None
    accuracy: dict[str, Any]


@router.get("/api/forecasts")
def list_forecasts(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[ForecastRunPublic]:
    """Stored forecast runs, newest first, with the accuracy of their last backtest."""
    return [_public(run) for run in recent_runs(store, limit)]


@router.get("/api/forecasts/{run_id}")
def get_forecast(store: StoreDep, run_id: RunId) -> ForecastRunPublic:
    """One stored forecast run."""
    return _public(get_run(store, run_id))


@router.get("/api/forecasts/{run_id}/points.csv", response_class=Response)
def forecast_points_csv(
    store: StoreDep,
    run_id: RunId,
    area: Annotated[str | None, Query(max_length=100, description="e.g. 5339")] = None,
) -> Response:
    """The run's forecast as CSV in the long format of `zonal forecast --out` (local times)."""
    run = get_run(store, run_id)
    buffer = io.BytesIO()
    run_points(store, run, area).write_csv(buffer)
    name = f"forecast-run{run.id}{'-' + area.replace('/', '-') if area else ''}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _public(run: StoredForecastRun) -> ForecastRunPublic:
    return ForecastRunPublic(**vars(run))
