"""Planning on the reference data: real service times and a real hourly demand profile."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from zonal.forecasting.aggregate import hourly_counts
from zonal.forecasting.baselines import SeasonalWindowAverage
from zonal.incidents.presets import read_with_preset
from zonal.planning import (
    ServiceTimeEstimator,
    ShiftDesigner,
    StaffingRequirements,
    plan_versus_flat,
)

pytestmark = pytest.mark.shared_data
DISPATCH_ZONE = "America/New_York"


@pytest.fixture(scope="module")
def dispatch_incidents(shared_data: Path) -> pl.DataFrame:
    path = shared_data / "dispatch_center_2025h2.csv.gz"
    return read_with_preset(path, "dispatch-center").incidents


def test_real_service_times_are_those_of_police_calls(dispatch_incidents: pl.DataFrame) -> None:
    fitted = ServiceTimeEstimator().fit(dispatch_incidents)
    table = fitted.table_
    assert {1, 2, 3, 4} <= set(table["priority"].to_list())
    # Police calls keep a unit 30 to 60 minutes on average (Green, Kolesar and Soares 2001).
    assert 20.0 < fitted.profile_.mean_hours * 60 < 90.0
    assert 0.0 < fitted.profile_.p1_share < 0.2
    assert fitted.dropped_ < 0.1 * dispatch_incidents.height


def test_a_real_demand_profile_is_planned_under_a_flat_plan(
    dispatch_incidents: pl.DataFrame,
) -> None:
    counts = hourly_counts(
        dispatch_incidents, time_zone=DISPATCH_ZONE, level="total", by_cluster=False
    )
    demand = SeasonalWindowAverage(weeks=8).fit(counts.series).predict("7d")
    service = ServiceTimeEstimator().fit(dispatch_incidents).profile_
    requirements = StaffingRequirements(service=service, time_zone=DISPATCH_ZONE, column="q-0.9")
    plan = ShiftDesigner(time_zone=DISPATCH_ZONE).fit(requirements.fit(demand).requirements_).plan_
    row = plan_versus_flat(requirements, plan).row(0, named=True)
    assert row["plan_hours_below"] == 0 and row["flat_hours_below"] == 0
    assert row["plan_officer_hours"] < row["flat_officer_hours"]
