"""Erlang queueing formulas, vectorised over any array shape (all zones and hours at once).

Teams are the servers, calls the customers. A priority-1 call under head-of-line priority
with equal service rates waits only when every team is busy (probability Erlang C, the
same as first-come-first-served by PASTA), and then only behind earlier priority-1 calls,
so its wait given a wait is exponential with rate c*mu - lambda_1 (Cobham 1954; Kleinrock,
Queueing Systems II, 1976, section 3.6). Hence P(W1 > t) = C(c, a) * exp(-(c*mu - lambda_1) t).
"""

from __future__ import annotations

import numpy as np

from zonal.errors import InputError


def erlang_b(servers: np.ndarray | int, load: np.ndarray | float) -> np.ndarray:
    """Blocking probability B(c, a) of an M/M/c/c system, by the stable recursion.

    Args:
        servers: number of servers c (non-negative integers), broadcast against `load`.
        load: offered load a = lambda * mean service time, in Erlangs (non-negative).

    Returns:
        B(c, a) with the broadcast shape; B(0, a) = 1.
    """
    c, a = np.broadcast_arrays(np.asarray(servers, dtype=np.int64), np.asarray(load, float))
    _check_non_negative(c, a)
    blocking = np.ones(a.shape)
    for k in range(1, int(c.max(initial=0)) + 1):
        step = a * blocking / (k + a * blocking)
        blocking = np.where(k <= c, step, blocking)
    return blocking


def erlang_c(servers: np.ndarray | int, load: np.ndarray | float) -> np.ndarray:
    """Probability C(c, a) that an arriving call waits in an M/M/c queue (1 when c <= a)."""
    c, a = np.broadcast_arrays(np.asarray(servers, dtype=np.int64), np.asarray(load, float))
    return _erlang_c_from_b(c, a, erlang_b(c, a))


def _erlang_c_from_b(c: np.ndarray, a: np.ndarray, blocking: np.ndarray) -> np.ndarray:
    stable = c > a
    safe_denominator = np.where(stable, c - a * (1.0 - blocking), 1.0)
    return np.where(stable, c * blocking / safe_denominator, 1.0)


def p1_wait_within(
    servers: np.ndarray | int,
    load: np.ndarray | float,
    p1_rate: np.ndarray | float,
    mean_service_hours: np.ndarray | float,
    wait_hours: float,
) -> np.ndarray:
    """Probability that a priority-1 call finds a free team within `wait_hours`.

    Args:
        servers: teams on duty c.
        load: offered load a in Erlangs (all priorities; lagged if the caller corrects for it).
        p1_rate: priority-1 calls per hour lambda_1.
        mean_service_hours: mean time a call keeps a team busy (1 / mu), hours.
        wait_hours: the target wait t, hours.

    Returns:
        1 - C(c, a) * exp(-(c / s - lambda_1) * t); 0 where no team is on duty or c <= a.
    """
    c, a, rate, service = np.broadcast_arrays(
        np.asarray(servers, dtype=np.int64),
        np.asarray(load, float),
        np.asarray(p1_rate, float),
        np.asarray(mean_service_hours, float),
    )
    waiting = erlang_c(c, a)
    decay = np.exp(-np.maximum(c / service - rate, 0.0) * wait_hours)
    within = 1.0 - waiting * decay
    return np.where((c > a) & (c > 0), within, np.where(a == 0, 1.0 * (c > 0), 0.0))


def min_teams(
    load: np.ndarray,
    p1_rate: np.ndarray,
    mean_service_hours: float,
    wait_hours: float,
    target: float,
    max_teams: int = 500,
) -> np.ndarray:
    """Least teams per cell so that P(priority-1 wait <= wait_hours) >= target.

    One pass over c = 1, 2, ... updates Erlang B for every cell at once, so the cost is
    (largest answer) array operations, not one search per cell. Cells with no demand need 0.

    Raises:
        InputError: some cell needs more than `max_teams` (the load is implausible).
    """
    a = np.asarray(load, float)
    rate = np.broadcast_to(np.asarray(p1_rate, float), a.shape)
    _check_non_negative(np.zeros(1, dtype=np.int64), a)
    answer = np.where(a > 0, -1, 0)
    blocking = np.ones(a.shape)
    for c in range(1, max_teams + 1):
        blocking = a * blocking / (c + a * blocking)
        if (answer >= 0).all():
            break
        waiting = _erlang_c_from_b(np.full(a.shape, c), a, blocking)
        decay = np.exp(-np.maximum(c / mean_service_hours - rate, 0.0) * wait_hours)
        met = (c > a) & (1.0 - waiting * decay >= target)
        answer = np.where((answer < 0) & met, c, answer)
    if (answer < 0).any():
        raise InputError(
            f"a load of {a.max():.1f} Erlangs needs more than {max_teams} teams; check the "
            f"demand units (calls per hour) and the service time (minutes)"
        )
    return answer.astype(np.int64)


def _check_non_negative(servers: np.ndarray, load: np.ndarray) -> None:
    if (servers < 0).any():
        raise InputError(f"servers must be >= 0, got {int(servers.min())}")
    if not np.isfinite(load).all() or (load < 0).any():
        raise InputError(f"load must be finite and >= 0, got {load.min(initial=0):g}")
