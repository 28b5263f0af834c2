"""Erlang formulas against textbook values and an independent factorial formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonal.errors import InputError
from zonal.planning import erlang_b, erlang_c, min_teams, p1_wait_within


def erlang_c_by_factorials(c: int, a: float) -> float:
    """Erlang C from its closed form, the way textbooks print it."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize(
    ("servers", "load", "expected"),
    [(1, 1.0, 0.5), (2, 1.0, 0.2), (3, 2.0, 4 / 19), (0, 3.0, 1.0)],
)
def test_erlang_b_matches_known_values(servers: int, load: float, expected: float) -> None:
    assert erlang_b(servers, load) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("servers", "load", "expected"),
    # (2, 1) and (3, 2) by hand; (10, 8) is the classic call-centre table value 0.4092.
    [(2, 1.0, 1 / 3), (3, 2.0, 4 / 9), (10, 8.0, 0.4092)],
)
def test_erlang_c_matches_known_values(servers: int, load: float, expected: float) -> None:
    assert erlang_c(servers, load) == pytest.approx(expected, abs=1e-4)


@given(st.integers(1, 40), st.floats(0.01, 0.99))
def test_erlang_c_agrees_with_the_closed_form(servers: int, utilisation: float) -> None:
    load = servers * utilisation
    assert erlang_c(servers, load) == pytest.approx(erlang_c_by_factorials(servers, load), rel=1e-6)


def test_erlang_c_is_one_when_the_queue_is_unstable() -> None:
    assert erlang_c(np.array([2, 3]), np.array([2.0, 5.0])).tolist() == [1.0, 1.0]


def test_erlang_works_on_whole_matrices_at_once() -> None:
    loads = np.array([[1.0, 2.0], [8.0, 0.5]])
    servers = np.array([[2, 3], [10, 1]])
    cells = [erlang_c(int(c), float(a)) for c, a in zip(servers.flat, loads.flat, strict=True)]
    assert erlang_c(servers, loads) == pytest.approx(np.array(cells, dtype=float).reshape(2, 2))


def test_p1_wait_within_zero_minutes_is_the_chance_of_a_free_team() -> None:
    assert p1_wait_within(3, 2.0, 0.2, 0.75, 0.0) == pytest.approx(1 - 4 / 9)


def test_p1_wait_shrinks_by_the_priority_departure_rate() -> None:
    # Given a wait, P1 waits Exp(c / s - lambda_1): 3 teams, 45 min, 0.2 P1 calls/h, t = 0.5 h.
    expected = 1 - 4 / 9 * math.exp(-(3 / 0.75 - 0.2) * 0.5)
    assert p1_wait_within(3, 2.0, 0.2, 0.75, 0.5) == pytest.approx(expected)


def test_no_team_on_duty_serves_nobody() -> None:
    assert p1_wait_within(0, 1.0, 0.1, 0.75, 1.0) == 0.0


@given(st.floats(0.0, 30.0), st.floats(0.5, 0.99))
def test_min_teams_is_the_least_meeting_the_target(load: float, target: float) -> None:
    rate = load / 0.75 * 0.1
    teams = int(min_teams(np.array([load]), np.array([rate]), 0.75, 1 / 60, target)[0])
    meets = [p1_wait_within(c, load, rate, 0.75, 1 / 60) >= target for c in range(teams + 1)]
    if load == 0:
        assert teams == 0
    else:
        assert meets[teams] and not any(meets[:teams])


def test_min_teams_refuses_an_implausible_load() -> None:
    with pytest.raises(InputError, match="more than 5 teams"):
        min_teams(np.array([40.0]), np.array([1.0]), 0.75, 1 / 60, 0.9, max_teams=5)


def test_negative_load_is_refused_with_its_value() -> None:
    with pytest.raises(InputError, match="-1"):
        erlang_c(2, -1.0)
