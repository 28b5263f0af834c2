"""Staffing requirements: teams each zone needs on duty each hour.

For every series and hour at once: the offered load from the demand and the service-time
profile (lagged, so the load of the hours after a rise or a peak is not understated: the
Lag-SIPP / modified-offered-load correction of Green, Kolesar and Soares 2001), the least
teams meeting the priority-1 target by Erlang C, the teams keeping utilisation under the
cap (time left for proactive and administrative work), and the legal floors. The
requirement is the largest of the three; `binding` says which one decided.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import polars as pl

from zonal.errors import InputError
from zonal.planning.demand import (
    HOURS_PER_WEEK,
    HourlyMatrix,
    demand_column,
    hour_of_week,
    to_hourly_matrix,
)
from zonal.planning.erlang import min_teams, p1_wait_within
from zonal.planning.floors import MinimumService
from zonal.planning.service_times import ServiceProfile

LEGAL_MINIMUM = MinimumService()
DEFAULT_SERVICE = ServiceProfile.exponential(mean_minutes=45.0, p1_share=0.1)


class StaffingRequirements:
    """Teams needed per series (zone or sector) and hour so priority-1 calls find a free team.

    Args:
        service: service-time profile of the call mix (see ServiceTimeEstimator).
        target: share of priority-1 calls that must find a free team within `wait_minutes`.
        wait_minutes: the priority-1 wait target, minutes.
        utilisation_cap: most of a team's time that calls may take (0.6: the rest is
            proactive and administrative work).
        lag: apply the lag correction (False gives plain SIPP, hour by hour).
        floors: legal minimum teams; MinimumService.none() for no floors.
        column: demand column (calls per hour); None takes `mean`, else `y`.
        time_zone: wall clock of the zones (busiest hours of the week, shift starts).
        cyclic: treat the horizon as a repeating week (default: when it is whole weeks).
        max_teams: refuse loads needing more teams than this.
    """

    def __init__(
        self,
        *,
        service: ServiceProfile = DEFAULT_SERVICE,
        target: float = 0.9,
        wait_minutes: float = 1.0,
        utilisation_cap: float = 0.6,
        lag: bool = True,
        floors: MinimumService = LEGAL_MINIMUM,
        column: str | None = None,
        time_zone: str = "Europe/Brussels",
        cyclic: bool | None = None,
        max_teams: int = 500,
    ) -> None:
        self.service = service
        self.target = target
        self.wait_minutes = wait_minutes
        self.utilisation_cap = utilisation_cap
        self.lag = lag
        self.floors = floors
        self.column = column
        self.time_zone = time_zone
        self.cyclic = cyclic
        self.max_teams = max_teams

    def fit(self, demand: pl.DataFrame) -> Self:
        """Compute requirements for a long demand frame; returns self.

        Sets `matrix_` (the demand grid), `load_`, `teams_` (series x hours arrays) and
        `requirements_`: a long frame unique_id, ds, demand, load, teams_queue,
        teams_utilisation, teams_floor, teams, binding, p1_within_target.

        Raises:
            InputError: bad parameters or a demand frame breaking the contract
                (see zonal.planning.demand).
        """
        self._check_parameters()
        column = demand_column(demand, self.column)
        matrix = to_hourly_matrix(demand, column)
        rate = matrix.values
        load = self.offered_load(matrix)
        p1_rate = rate * self.service.p1_share
        queue = min_teams(
            load, p1_rate, self.service.mean_hours, self._wait_hours, self.target, self.max_teams
        )
        utilisation = np.ceil(load / self.utilisation_cap - 1e-9).astype(np.int64)
        floor = self.floors.floors(load, hour_of_week(matrix.ds, self.time_zone))
        teams = np.maximum.reduce([queue, utilisation, floor])
        self.matrix_, self.load_, self.teams_ = matrix, load, teams
        self.requirements_ = matrix.to_frame(
            demand=rate,
            load=load,
            teams_queue=queue,
            teams_utilisation=utilisation,
            teams_floor=floor,
            teams=teams,
            binding=_binding(queue, utilisation, floor),
            p1_within_target=self.service_level(teams),
        )
        return self

    def offered_load(self, matrix: HourlyMatrix) -> np.ndarray:
        """Load in Erlangs per cell: lagged by the service-time kernel, or rate x mean (SIPP)."""
        if not self.lag:
            return matrix.values * self.service.mean_hours
        cyclic = self.cyclic if self.cyclic is not None else matrix.n_hours % HOURS_PER_WEEK == 0
        return lagged_load(matrix.values, self.service.kernel, cyclic)

    def service_level(self, teams: np.ndarray) -> np.ndarray:
        """Share of priority-1 calls finding a free team within the wait, per fitted cell."""
        if not hasattr(self, "load_"):
            raise InputError("StaffingRequirements is not fitted: call fit(demand) first")
        p1_rate = self.matrix_.values * self.service.p1_share
        return p1_wait_within(teams, self.load_, p1_rate, self.service.mean_hours, self._wait_hours)

    @property
    def _wait_hours(self) -> float:
        return self.wait_minutes / 60.0

    def _check_parameters(self) -> None:
        if not 0.0 < self.target < 1.0:
            raise InputError(f"target {self.target!r} must lie strictly between 0 and 1, e.g. 0.9")
        if self.wait_minutes < 0:
            raise InputError(f"wait_minutes {self.wait_minutes!r} must be >= 0")
        if not 0.0 < self.utilisation_cap <= 1.0:
            raise InputError(
                f"utilisation_cap {self.utilisation_cap!r} must lie in (0, 1], e.g. 0.6"
            )


def lagged_load(rate: np.ndarray, kernel: np.ndarray, cyclic: bool) -> np.ndarray:
    """Expected busy teams per hour in an infinite-server system: sum_k rate[h-k] kernel[k].

    Cyclic wraps the horizon (a repeating week); otherwise the hours before the horizon
    are taken to equal its first hour (a steady start).
    """
    hours, lags = rate.shape[1], kernel.size
    if cyclic:
        return sum((np.roll(rate, k, axis=1) * kernel[k] for k in range(lags)), np.zeros_like(rate))
    padded = np.concatenate([np.repeat(rate[:, :1], lags, axis=1), rate], axis=1)
    load = np.zeros_like(rate)
    for k in range(lags):
        load += padded[:, lags - k : lags - k + hours] * kernel[k]
    return load


def _binding(queue: np.ndarray, utilisation: np.ndarray, floor: np.ndarray) -> np.ndarray:
    teams = np.maximum.reduce([queue, utilisation, floor])
    labels = np.where(floor == teams, "floor", "utilisation")
    labels = np.where(utilisation == teams, "utilisation", labels)
    return np.where(queue == teams, "queue", labels)
