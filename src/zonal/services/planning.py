"""Use case: the demand a stored forecast run puts on each zone, for planning to staff."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine

from zonal.planning.io import zone_demand
from zonal.storage import read_incidents
from zonal.storage.forecasts import StoredForecastRun, get_forecast_run, read_forecast_points


@dataclass(frozen=True)
class StoredDemand:
    """A run's zone demand (unique_id = zone, ds local, mean, q-...) and its dataset's calls."""

    run: StoredForecastRun
    zones: pl.DataFrame
    incidents: pl.DataFrame  # the dataset's incidents before the origin (service times)


def stored_zone_demand(engine: Engine, run_id: int) -> StoredDemand:
    """Zone totals of forecast run `run_id`, in the run's clock, and the history behind it.

    Raises:
        NotFoundError: no run `run_id`.
    """
    run = get_forecast_run(engine, run_id)
    points = read_forecast_points(engine, run_id)
    local = points.with_columns(pl.col("ds").dt.convert_time_zone(run.time_zone))
    incidents = read_incidents(engine, datasets=[run.dataset], end=run.origin)
    return StoredDemand(run, zone_demand(local), incidents)
