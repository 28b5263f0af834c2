"""Planning inputs for the synthetic Brussels demo zones, built from the shared demo generator.

Four weeks of synthetic incidents give the service times (their dispatch timestamps) and,
through a seasonal four-week average, next week's hourly demand per zone and per sector
(sector = municipality). Everything is seeded: the same call gives the same frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from zonal.forecasting.aggregate import hourly_counts
from zonal.forecasting.baselines import SeasonalWindowAverage
from zonal.geo.default import default_registry
from zonal.incidents.demo import DemoSpec, generate_demo
from zonal.planning.roster import Officer

DEMO_TIME_ZONE = "Europe/Brussels"
DEMO_START = date(2025, 1, 6)  # a Monday, so the planned week runs Monday to Sunday
DEMO_PLAN_START = date(2025, 2, 3)  # the Monday after four weeks of history


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
        zone_demand=_level(forecast, r"^\d+\|all$"),
        sector_demand=_level(forecast, r"^\d+/[^|]+\|all$"),
        sectors=_sectors(incidents),
        incidents=incidents,
    )


def _level(forecast: pl.DataFrame, pattern: str) -> pl.DataFrame:
    """Rows of one hierarchy level, named by their last area (zone or sector)."""
    area = pl.col("unique_id").str.replace(r"\|all$", "").str.split("/").list.last()
    return forecast.filter(pl.col("unique_id").str.contains(pattern)).with_columns(unique_id=area)


def _sectors(incidents: pl.DataFrame) -> pl.DataFrame:
    return (
        incidents.filter(pl.col("sector").is_not_null() & pl.col("lat").is_not_null())
        .group_by("sector", "zone")
        .agg(pl.col("lat").mean(), pl.col("lon").mean())
        .sort("zone", "sector")
    )


def demo_officers(weekly_officer_hours: float, seed: int = 0, margin: float = 1.1) -> list[Officer]:
    """A synthetic team large enough for `weekly_officer_hours` (times `margin` for leave).

    About 15% part-time, a third French-speaking and a third Dutch-speaking (Brussels is
    bilingual), 60% with an emergency-driving licence, a fifth in fixed pairs, and each
    officer with up to three days of leave in the first four weeks.
    """
    rng = np.random.default_rng(seed)
    count = max(2, math.ceil(weekly_officer_hours * margin / 36.0))
    officers = []
    for i in range(count):
        skills = {"driver"} if rng.random() < 0.6 else set()
        skills.add(str(rng.choice(["fr", "nl", "fr", "nl", "de"], p=[0.3, 0.3, 0.15, 0.15, 0.1])))
        leave = rng.choice(28, size=int(rng.integers(0, 4)), replace=False)
        officers.append(
            Officer(
                officer_id=f"P{i + 1:03d}",
                contract_hours=30.4 if rng.random() < 0.15 else 38.0,
                skills=frozenset(skills),
                team=f"pair-{i // 2 + 1}" if i < count // 5 * 2 else None,
                unavailable=frozenset(DEMO_PLAN_START + timedelta(days=int(d)) for d in leave),
            )
        )
    return officers
