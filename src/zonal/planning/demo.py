"""Planning inputs for the synthetic Brussels demo zones, built from the shared demo generator.

Four weeks of synthetic incidents give the service times (their dispatch timestamps) and,
through a seasonal four-week average, next week's hourly demand per zone and per sector
(sector = municipality). Everything is seeded: the same call gives the same frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import polars as pl

from zonal.forecasting.aggregate import hourly_counts
from zonal.forecasting.baselines import SeasonalWindowAverage
from zonal.forecasting.series_key import SeriesKey
from zonal.geo.default import default_registry
from zonal.incidents.demo import DemoSpec, generate_demo
from zonal.planning.plans import PlanOutcome, plan_zones
from zonal.planning.service_times import ServiceTimeEstimator

DEMO_TIME_ZONE = "Europe/Brussels"
DEMO_START = date(2025, 1, 6)  # a Monday, so the planned week runs Monday to Sunday


@dataclass(frozen=True)
class PlanningDemo:
    """Inputs for every planning step on the demo zones.

    Attributes:
        zone_demand: unique_id (zone number), ds, mean, q-... for the planned week.
        sector_demand: the same per sector (municipality NIS code).
        sectors: sector, zone, lat, lon (incident centroids).
        incidents: the canonical incident history (service times come from it).
    """

    zone_demand: pl.DataFrame
    sector_demand: pl.DataFrame
    sectors: pl.DataFrame
    incidents: pl.DataFrame


def planning_demo(weeks: int = 4, seed: int = 2016) -> PlanningDemo:
    """Build the demo inputs from `weeks` of synthetic history (seeded)."""
    incidents = generate_demo(
        default_registry(), DemoSpec(start=DEMO_START, days=7 * weeks, seed=seed)
    )
    counts = hourly_counts(incidents, time_zone=DEMO_TIME_ZONE, level="sector", by_cluster=False)
    forecast = SeasonalWindowAverage(weeks=weeks).fit(counts.series).predict("7d")
    return PlanningDemo(
        zone_demand=_level(forecast, "zone"),
        sector_demand=_level(forecast, "sector"),
        sectors=_sectors(incidents),
        incidents=incidents,
    )


def _level(forecast: pl.DataFrame, level: str) -> pl.DataFrame:
    """Rows of one hierarchy level, named by their last area (zone or sector)."""
    rows = forecast.filter(SeriesKey.level_expr() == level)
    return rows.with_columns(unique_id=SeriesKey.area_name_expr())


def _sectors(incidents: pl.DataFrame) -> pl.DataFrame:
    return (
        incidents.filter(pl.col("sector").is_not_null() & pl.col("lat").is_not_null())
        .group_by("sector", "zone")
        .agg(pl.col("lat").mean(), pl.col("lon").mean())
        .sort("zone", "sector")
    )


@cache
def demo_outcome() -> PlanOutcome:
    """The plan of the six demo zones from four weeks of synthetic history, in memory."""
    data = planning_demo()
    service = ServiceTimeEstimator().fit(data.incidents).profile_
    return plan_zones(data.zone_demand, service, DEMO_TIME_ZONE)
