"""The discrete-event check agrees with Erlang where Erlang is exact, and sees what it misses."""

from __future__ import annotations

import numpy as np
import pytest

from zonal.errors import InputError
from zonal.planning import p1_wait_within, simulate_plan


def test_steady_exponential_queue_matches_erlang() -> None:
    result = simulate_plan(np.full(168, 4.0), np.full(168, 5), 45.0, 0.1, 1.0, repeats=150)
    expected = float(p1_wait_within(5, 3.0, 0.4, 0.75, 1 / 60))
    assert result.p1_within_wait == pytest.approx(expected, abs=0.02)


def test_priority_one_jumps_the_queue() -> None:
    rate, teams = np.full(24, 6.0), np.full(24, 4)  # 4.5 Erlangs on 4 teams: a growing queue
    urgent = simulate_plan(rate, teams, 45.0, 0.1, 5.0, repeats=5)
    everyone = simulate_plan(rate, teams, 45.0, 1.0, 5.0, repeats=5)
    assert urgent.p1_mean_wait_minutes < everyone.p1_mean_wait_minutes


def test_more_teams_never_serve_worse() -> None:
    rate = np.full(48, 3.0)
    few = simulate_plan(rate, np.full(48, 3), 40.0, 0.2, 1.0, repeats=30, seed=4)
    many = simulate_plan(rate, np.full(48, 6), 40.0, 0.2, 1.0, repeats=30, seed=4)
    assert many.p1_within_wait > few.p1_within_wait


def test_observed_service_times_are_resampled() -> None:
    short = simulate_plan(np.full(24, 3.0), np.full(24, 2), np.array([5.0, 6.0]), 0.5, 1.0)
    long = simulate_plan(np.full(24, 3.0), np.full(24, 2), np.array([50.0, 60.0]), 0.5, 1.0)
    assert short.p1_within_wait > long.p1_within_wait


def test_hours_without_teams_leave_calls_waiting() -> None:
    result = simulate_plan(np.full(24, 2.0), np.zeros(24, np.int64), 30.0, 1.0, 1.0, repeats=3)
    assert result.p1_within_wait == 0.0 and result.p1_mean_wait_minutes == np.inf


@pytest.mark.parametrize(
    ("rate", "teams"), [(np.ones(3), np.ones(2, np.int64)), (-np.ones(3), np.ones(3, np.int64))]
)
def test_bad_profiles_are_refused(rate: np.ndarray, teams: np.ndarray) -> None:
    with pytest.raises(InputError, match="non-negative hourly profiles"):
        simulate_plan(rate, teams, 30.0, 0.1)
