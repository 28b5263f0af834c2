"""The JSON API of stored forecasts: the runs (their stored description, as it is), and
their points as CSV for spreadsheets."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from zonal.services.forecasts import StoredForecastRun, get_run, recent_runs, run_points
from zonal.web.deps import StoreDep

router = APIRouter(tags=["forecasts"])
# Ids are 32-bit in PostgreSQL: a larger number is a bad request (422), not a database error.
LARGEST_ID = 2**31 - 1
RunId = Annotated[int, Path(ge=1, le=LARGEST_ID, description="Stored forecast run id.")]


@router.get("/api/forecasts")
def list_forecasts(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[StoredForecastRun]:
    """Stored forecast runs, newest first, with the accuracy of their last backtest."""
    return recent_runs(store, limit)


@router.get("/api/forecasts/{run_id}")
def get_forecast(store: StoreDep, run_id: RunId) -> StoredForecastRun:
    """One stored forecast run."""
    return get_run(store, run_id)


@router.get("/api/forecasts/{run_id}/points.csv", response_class=Response)
def forecast_points_csv(
    store: StoreDep,
    run_id: RunId,
    area: Annotated[str | None, Query(max_length=100, description="e.g. 5339")] = None,
) -> Response:
    """The run's forecast as CSV in the long format of `zonal forecast --out` (local times)."""
    buffer = io.BytesIO()
    run_points(store, run_id, area).write_csv(buffer)
    name = f"forecast-run{run_id}{'-' + area.replace('/', '-') if area else ''}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
