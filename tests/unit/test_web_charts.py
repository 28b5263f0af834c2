"""Chart axes: round ticks (1, 2, 5 x 10^k) worked out by hand, and one tick per day."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from zonal.web.charts import DayTick, Tick, count_axis, day_ticks, nice_ticks


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (31, [0, 10, 20, 30, 40]),  # 31 / 5 = 6.2 -> step 10
        (30, [0, 10, 20, 30]),  # a top on a tick ends there
        (7, [0, 2, 4, 6, 8]),  # 1.4 -> 2
        (100, [0, 20, 40, 60, 80, 100]),  # 20 -> 20
        (4.2, [0, 1, 2, 3, 4, 5]),  # 0.84 -> 1
        (0.8, [0, 0.2, 0.4, 0.6, 0.8]),  # 0.16 -> 0.2
        (0.3, [0, 0.1, 0.2, 0.3]),  # 0.06 -> 0.1, and 3 x 0.1 prints as 0.3
        (1234, [0, 500, 1000, 1500]),  # 246.8 -> 500
        (0, [0, 0.2, 0.4, 0.6, 0.8, 1]),  # nothing to show: an axis up to 1
    ],
)
def test_ticks_are_round_and_reach_the_top(top: float, expected: list[float]) -> None:
    assert nice_ticks(top) == expected


def test_whole_counts_never_get_a_fractional_step() -> None:
    assert nice_ticks(3, least_step=1) == [0, 1, 2, 3]
    assert nice_ticks(1, least_step=1) == [0, 1]


def test_the_count_axis_ends_on_its_last_tick_and_places_0_at_the_bottom() -> None:
    top, ticks = count_axis(31, 200)
    assert top == 40
    assert ticks[0] == Tick(200, 0) and ticks[2] == Tick(100, 20) and ticks[-1] == Tick(0, 40)


def test_days_start_at_the_first_point_and_at_each_midnight() -> None:
    thursday = datetime(2025, 10, 2, 0)  # a Thursday
    hours = [thursday + timedelta(hours=h) for h in range(48)]
    assert day_ticks(hours, 10) == [DayTick(0, 240, 3, "02/10"), DayTick(240, 240, 4, "03/10")]


def test_a_first_day_that_starts_late_is_a_short_tick() -> None:
    start = datetime(2025, 10, 5, 18)  # a Sunday evening
    hours = [start + timedelta(hours=h) for h in range(12)]
    assert day_ticks(hours, 2) == [DayTick(0, 12, 6, "05/10"), DayTick(12, 12, 0, "06/10")]
