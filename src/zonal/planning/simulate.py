"""A small discrete-event check of a plan: do priority-1 calls find a free team in time?

Poisson calls hour by hour at the demand rate, service times drawn from observed minutes
(or exponential), teams on duty changing with the plan's hourly coverage, non-preemptive
priority (priority 1 first, then first come first served). A team whose shift ends during
a call finishes it. This is planning's own check of the Erlang model, not the dispatch
simulation engine: no travel, no geography, no dispatch policy.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass

import numpy as np

from zonal.errors import InputError

_COMPLETION, _CAPACITY, _ARRIVAL = 0, 1, 2  # ties: free teams before new calls arrive


@dataclass(frozen=True)
class SimulationResult:
    """Priority-1 service in simulation.

    Attributes:
        p1_calls: priority-1 calls simulated.
        p1_within_wait: share of them that found a free team within the wait.
        p1_mean_wait_minutes: their mean wait.
        all_calls: calls of every priority simulated.
    """

    p1_calls: int
    p1_within_wait: float
    p1_mean_wait_minutes: float
    all_calls: int


def simulate_plan(
    rate: np.ndarray,
    teams: np.ndarray,
    service_minutes: np.ndarray | float,
    p1_share: float,
    wait_minutes: float = 1.0,
    repeats: int = 20,
    seed: int = 0,
) -> SimulationResult:
    """Simulate `repeats` back-to-back runs of an hourly demand and coverage profile.

    Args:
        rate: calls per hour, one value per hour of the profile (e.g. a week).
        teams: teams on duty in each of those hours.
        service_minutes: observed service times to draw from, or a mean (exponential).
        p1_share: share of calls that are priority 1.
        wait_minutes: the priority-1 wait target.
        repeats: how many times the profile is run in sequence (more = tighter estimate).
        seed: random seed.

    Raises:
        InputError: shapes differ, negative values, or no priority-1 call was simulated.
    """
    rate, teams = np.asarray(rate, float), np.asarray(teams, np.int64)
    if rate.shape != teams.shape or rate.ndim != 1 or (rate < 0).any() or (teams < 0).any():
        raise InputError("rate and teams must be equal-length, non-negative hourly profiles")
    rng = np.random.default_rng(seed)
    arrivals = _arrivals(np.tile(rate, repeats), rng)
    service = _service_hours(service_minutes, arrivals.size, rng)
    urgent = rng.random(arrivals.size) < p1_share
    waits = _run(arrivals, service, urgent, np.tile(teams, repeats))
    # The first run starts with every team free: leave it out as warm-up.
    counted = urgent & (arrivals >= rate.size) if repeats > 1 else urgent
    p1_waits = waits[counted] * 60.0
    if p1_waits.size == 0:
        raise InputError("no priority-1 call was simulated; raise repeats or the demand")
    return SimulationResult(
        p1_calls=int(p1_waits.size),
        p1_within_wait=float((p1_waits <= wait_minutes).mean()),
        p1_mean_wait_minutes=float(p1_waits.mean()),
        all_calls=int(arrivals.size),
    )


def _arrivals(rate: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    counts = rng.poisson(rate)
    hours = np.repeat(np.arange(rate.size), counts)
    return np.sort(hours + rng.random(hours.size))


def _service_hours(minutes: np.ndarray | float, count: int, rng: np.random.Generator) -> np.ndarray:
    observed = np.asarray(minutes, float)
    if observed.ndim == 0:
        return rng.exponential(float(observed) / 60.0, count)
    if observed.size == 0 or (observed <= 0).any():
        raise InputError("service minutes must be positive observations")
    return rng.choice(observed, count) / 60.0


def _run(
    arrivals: np.ndarray, service: np.ndarray, urgent: np.ndarray, teams: np.ndarray
) -> np.ndarray:
    """Wait (hours) of each call under non-preemptive priority with hourly capacity."""
    events: list[tuple[float, int, int]] = [(float(t), _ARRIVAL, i) for i, t in enumerate(arrivals)]
    events += [(float(h), _CAPACITY, int(c)) for h, c in enumerate(teams)]
    heapq.heapify(events)
    queues: tuple[deque[int], deque[int]] = (deque(), deque())
    waits = np.full(arrivals.size, np.inf)  # a call never served waits for ever
    busy, capacity = 0, 0
    while events:
        now, kind, value = heapq.heappop(events)
        if kind == _ARRIVAL:
            queues[0 if urgent[value] else 1].append(value)
        elif kind == _CAPACITY:
            capacity = value
        else:
            busy -= 1
        while busy < capacity and (queues[0] or queues[1]):
            call = (queues[0] or queues[1]).popleft()
            waits[call] = now - arrivals[call]
            busy += 1
            heapq.heappush(events, (now + float(service[call]), _COMPLETION, call))
    return waits
