"""Patrol allocation with the greedy fallback (no solver): floors, caps, coverage."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import polars as pl
import pytest

from tests.factories import hourly_frame
from zonal.errors import InputError
from zonal.planning import PatrolAllocator, greedy_allocation, travel_minutes
from zonal.planning.solvers import MipSolution, ScriptedSolver, SolveStatus

START = datetime(2025, 3, 3, tzinfo=UTC)
NOTHING = MipSolution(SolveStatus.NO_SOLUTION, None, None, None, None, 0.0, "scripted")
# Three sectors on a line, 0.03 degrees of latitude (3.3 km, about 8.5 minutes) apart.
SECTORS = pl.DataFrame(
    {"sector": ["a", "b", "c"], "zone": "z", "lat": [50.80, 50.83, 50.86], "lon": 4.35}
)


def frame(ids: list[str], column: str, values: list[list[float]]) -> pl.DataFrame:
    return hourly_frame(dict(zip(ids, values, strict=True)), column, start=START)


def allocate(patrols: int, demand: list[float], **kwargs: object) -> pl.DataFrame:
    allocator = PatrolAllocator(solver=ScriptedSolver([NOTHING]), n_jobs=1, **kwargs)  # type: ignore[arg-type]
    fitted = allocator.fit(
        frame(["a", "b", "c"], "mean", [[d] for d in demand]),
        frame(["z"], "patrols", [[float(patrols)]]),
        SECTORS,
        travel_minutes(SECTORS),
    )
    return fitted.allocation_


def test_travel_times_are_symmetric_and_grow_with_distance() -> None:
    times = travel_minutes(SECTORS)["minutes"].to_numpy().reshape(3, 3)
    assert times == pytest.approx(times.T)
    assert times[0, 0] == 2.0 and times[0, 1] < times[0, 2]


def test_one_patrol_goes_to_the_middle_where_it_reaches_every_sector() -> None:
    allocation = allocate(1, [1.0, 1.0, 1.0])
    assert allocation["patrols"].to_list() == [0, 1, 0]
    assert allocation["in_reach"].min() == 1


def test_patrols_follow_demand_but_a_busy_sector_is_not_saturated() -> None:
    allocation = allocate(4, [10.0, 0.1, 0.1], max_share=0.5, reach_minutes=5.0)
    assert allocation["patrols"].to_list()[0] == 2  # capped at half of the four
    assert allocation["patrols"].sum() == 4


def test_minimum_presence_puts_a_patrol_in_every_sector() -> None:
    allocation = allocate(3, [10.0, 0.0, 0.0], min_presence=1)
    assert allocation["patrols"].to_list() == [1, 1, 1]


def test_zero_patrols_allocate_nothing() -> None:
    assert allocate(0, [1.0, 2.0, 3.0])["patrols"].sum() == 0


def test_summary_reports_demand_in_reach() -> None:
    allocator = PatrolAllocator(solver=ScriptedSolver([NOTHING]), reach_minutes=5.0, n_jobs=1)
    fitted = allocator.fit(
        frame(["a", "b", "c"], "mean", [[3.0], [1.0], [0.0]]),
        frame(["z"], "patrols", [[1.0]]),
        SECTORS,
        travel_minutes(SECTORS),
    )
    summary = fitted.summary_.row(0, named=True)
    assert summary["sectors_covered"] == 1 and summary["demand_covered_share"] == 0.75


def test_greedy_allocation_respects_floor_and_cap() -> None:
    reach = np.eye(3, dtype=bool)
    weights = np.array([[5.0, 2.5], [1.0, 0.5], [0.1, 0.05]])
    counts = greedy_allocation(4, weights, reach, floor=np.array([0, 0, 1]), cap=2)
    assert counts.tolist() == [2, 1, 1]


def test_sector_without_a_zone_is_refused() -> None:
    with pytest.raises(InputError, match="does not list"):
        PatrolAllocator().fit(
            frame(["a", "x"], "mean", [[1.0], [1.0]]),
            frame(["z"], "patrols", [[1.0]]),
            SECTORS,
            travel_minutes(SECTORS),
        )


def test_patrols_on_other_hours_are_refused() -> None:
    with pytest.raises(InputError, match="different hours"):
        PatrolAllocator().fit(
            frame(["a", "b", "c"], "mean", [[1.0, 1.0]] * 3),
            frame(["z"], "patrols", [[1.0]]),
            SECTORS,
            travel_minutes(SECTORS),
        )


def test_bad_coordinates_are_refused() -> None:
    with pytest.raises(InputError, match="WGS84"):
        travel_minutes(SECTORS.with_columns(lat=pl.lit(95.0)))


@pytest.mark.parametrize("kwargs", [{"reach_minutes": 0}, {"max_share": 0}, {"levels": 0}])
def test_impossible_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(InputError):
        allocate(1, [1.0, 1.0, 1.0], **kwargs)
