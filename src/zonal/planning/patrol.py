"""Patrol allocation: where the teams on duty patrol, sector by sector, hour by hour.

A maximal covering location problem (Church and ReVelle 1974) with backup coverage: a
sector is covered when a patrol is within `reach_minutes`; the first patrol in reach
counts its demand in full, each further one `backup_weight` times less (so crowding one
sector pays ever less). A small bonus per covered sector keeps quiet neighbourhoods in
reach, `min_presence` patrols per sector are a floor (penalised when the patrols cannot
all be met), and no sector takes more than `max_share` of the zone's patrols.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Self

import numpy as np
import polars as pl

from zonal.errors import InputError
from zonal.planning.demand import HourlyMatrix, demand_column, to_hourly_matrix
from zonal.planning.solvers import HighsSolver, MipProblem, MipSolver


@dataclass(frozen=True)
class _Hour:
    """One zone-hour to allocate: reach[i, j] is True when a patrol in j reaches i."""

    patrols: int
    demand: np.ndarray
    reach: np.ndarray
    floor: np.ndarray
    cap: int


class PatrolAllocator:
    """Spread each zone's patrols across its sectors, every hour.

    Args:
        reach_minutes: travel time within which a patrol covers a sector.
        min_presence: patrols each sector should hold whenever the zone has enough.
        max_share: most of a zone's patrols one sector may hold.
        backup_weight: value of each further patrol in reach relative to the previous one.
        levels: patrols in reach that count (1 = plain maximal covering).
        solver: a MipSolver (default HiGHS); the greedy allocation takes over if it fails.
        time_limit: seconds per zone-hour.
        column: demand column; None takes `mean`, else `y`.
        n_jobs: zone-hours solved at once.
    """

    def __init__(
        self,
        *,
        reach_minutes: float = 10.0,
        min_presence: int = 0,
        max_share: float = 0.5,
        backup_weight: float = 0.5,
        levels: int = 3,
        solver: MipSolver | None = None,
        time_limit: float = 2.0,
        column: str | None = None,
        n_jobs: int = 2,
    ) -> None:
        self.reach_minutes = reach_minutes
        self.min_presence = min_presence
        self.max_share = max_share
        self.backup_weight = backup_weight
        self.levels = levels
        self.solver = solver
        self.time_limit = time_limit
        self.column = column
        self.n_jobs = n_jobs

    def fit(
        self,
        demand: pl.DataFrame,
        patrols: pl.DataFrame,
        sectors: pl.DataFrame,
        travel: pl.DataFrame,
    ) -> Self:
        """Allocate; returns self with `allocation_` and `summary_`.

        Args:
            demand: unique_id (sector), ds, demand column: calls per hour per sector.
            patrols: unique_id (zone), ds, patrols: teams on patrol per zone and hour.
            sectors: sector, zone: which zone each sector belongs to.
            travel: from_sector, to_sector, minutes (see travel_minutes).

        Raises:
            InputError: inconsistent frames (sectors without demand, other hours, ...).
        """
        self._check_parameters()
        sector_demand = to_hourly_matrix(demand, demand_column(demand, self.column))
        teams = to_hourly_matrix(patrols, "patrols")
        _check_same_hours(sector_demand, teams)
        zone_of = _zone_of(sectors, sector_demand.ids, teams.ids)
        reach = _reach(travel, sector_demand.ids, self.reach_minutes)
        jobs = [
            (zone, h, members)
            for zone, members in _members(zone_of, sector_demand.ids).items()
            for h in range(teams.n_hours)
        ]
        hours = [self._hour(teams, sector_demand, reach, job) for job in jobs]
        with ThreadPoolExecutor(max_workers=max(1, self.n_jobs)) as pool:
            counts = list(pool.map(self._allocate, hours))
        self.allocation_ = _allocation_frame(sector_demand, jobs, hours, counts)
        self.summary_ = _summary(self.allocation_)
        return self

    def _hour(
        self,
        teams: HourlyMatrix,
        demand: HourlyMatrix,
        reach: np.ndarray,
        job: tuple[str, int, np.ndarray],
    ) -> _Hour:
        zone, h, members = job
        patrols = int(round(teams.values[teams.ids.index(zone), h]))
        return _Hour(
            patrols=patrols,
            demand=demand.values[members, h],
            reach=reach[np.ix_(members, members)],
            floor=np.full(members.size, self.min_presence),
            cap=max(1, math.ceil(self.max_share * patrols)),
        )

    def _allocate(self, hour: _Hour) -> np.ndarray:
        if hour.patrols == 0:
            return np.zeros(hour.demand.size, dtype=np.int64)
        weights = self._weights(hour.demand)
        solver = self.solver if self.solver is not None else HighsSolver()
        solution = solver.solve(_program(hour, weights), self.time_limit)
        if solution.status.has_solution and solution.x is not None:
            return np.round(solution.x[: hour.demand.size]).astype(np.int64)
        return greedy_allocation(hour.patrols, weights, hour.reach, hour.floor, hour.cap)

    def _weights(self, demand: np.ndarray) -> np.ndarray:
        """(sectors, levels) value of the m-th patrol in reach of each sector."""
        bonus = 0.05 * max(float(demand.mean()), 1e-3)
        decay = self.backup_weight ** np.arange(self.levels)
        return (demand + bonus)[:, None] * decay[None, :]

    def _check_parameters(self) -> None:
        if self.reach_minutes <= 0 or self.levels < 1 or self.min_presence < 0:
            raise InputError(
                f"reach_minutes ({self.reach_minutes}) must be > 0, levels ({self.levels}) "
                f">= 1 and min_presence ({self.min_presence}) >= 0"
            )
        if not 0 < self.max_share <= 1 or not 0 <= self.backup_weight <= 1:
            raise InputError(
                f"max_share ({self.max_share}) must lie in (0, 1] and backup_weight "
                f"({self.backup_weight}) in [0, 1]"
            )


def _program(hour: _Hour, weights: np.ndarray) -> MipProblem:
    """Variables: patrols n (n), coverage levels z (n x L), presence shortfall s (n)."""
    n, levels = weights.shape
    big = 10.0 * (float(weights.sum()) + 1.0)
    z_cols = n + np.arange(n * levels).reshape(n, levels)
    s_cols = n + n * levels + np.arange(n)
    covered_i, by_j = np.nonzero(hour.reach)
    rows = [np.repeat(np.arange(n), levels), covered_i, n + np.arange(n), n + np.arange(n)]
    cols = [z_cols.reshape(-1), by_j, np.arange(n), s_cols]
    values = [np.ones(n * levels), -np.ones(covered_i.size), np.ones(n), np.ones(n)]
    rows.append(np.full(n, 2 * n))
    cols.append(np.arange(n))
    values.append(np.ones(n))
    placed = float(min(hour.patrols, hour.cap * n))
    return MipProblem.from_triplets(
        np.concatenate(rows),
        np.concatenate(cols),
        np.concatenate(values),
        cost=np.concatenate([np.zeros(n), weights.reshape(-1), np.full(n, -big)]),
        row_lower=np.concatenate([np.full(n, -np.inf), hour.floor.astype(float), [placed]]),
        row_upper=np.concatenate([np.zeros(n), np.full(n, np.inf), [placed]]),
        col_lower=np.zeros(n + n * levels + n),
        col_upper=np.concatenate(
            [np.full(n, float(hour.cap)), np.ones(n * levels), hour.floor.astype(float)]
        ),
        integer=np.concatenate([np.ones(n, bool), np.zeros(n * levels + n, bool)]),
        maximize=True,
    )


def greedy_allocation(
    patrols: int, weights: np.ndarray, reach: np.ndarray, floor: np.ndarray, cap: int
) -> np.ndarray:
    """Place patrols one at a time where they add most coverage, floors first.

    Args:
        patrols: patrols to place.
        weights: (sectors, levels) value of the m-th patrol in reach of each sector.
        reach: reach[i, j] when a patrol in sector j reaches sector i.
        floor: patrols each sector should hold.
        cap: most patrols in one sector.
    """
    n, levels = weights.shape
    count = np.zeros(n, dtype=np.int64)
    in_reach = np.zeros(n, dtype=np.int64)
    for _ in range(min(patrols, cap * n)):
        level = np.minimum(in_reach, levels - 1)
        gain_i = np.where(in_reach < levels, weights[np.arange(n), level], 0.0)
        gain = reach.T.astype(float) @ gain_i
        gain += np.where(count < floor, 1e9, 0.0)
        gain[count >= cap] = -np.inf
        best = int(np.argmax(gain))
        count[best] += 1
        in_reach += reach[:, best].astype(np.int64)
    return count


def _check_same_hours(demand: HourlyMatrix, teams: HourlyMatrix) -> None:
    if demand.n_hours != teams.n_hours or not (demand.ds == teams.ds).all():
        raise InputError(
            "sector demand and zone patrols cover different hours; give both on the same "
            "hourly grid (same forecast horizon)"
        )


def _zone_of(sectors: pl.DataFrame, sector_ids: list[str], zone_ids: list[str]) -> dict[str, str]:
    missing = [c for c in ("sector", "zone") if c not in sectors.columns]
    if missing:
        raise InputError(f"sector table lacks {missing}; give sector and zone columns")
    mapping = dict(
        zip(
            sectors["sector"].cast(pl.String).to_list(),
            sectors["zone"].cast(pl.String).to_list(),
            strict=True,
        )
    )
    unknown = [s for s in sector_ids if s not in mapping]
    if unknown:
        raise InputError(f"demand for sectors {unknown[:5]} that the sector table does not list")
    no_patrols = sorted({mapping[s] for s in sector_ids} - set(zone_ids))
    if no_patrols:
        raise InputError(f"zones {no_patrols[:5]} have sectors with demand but no patrol counts")
    return {s: mapping[s] for s in sector_ids}


def _members(zone_of: dict[str, str], sector_ids: list[str]) -> dict[str, np.ndarray]:
    groups: dict[str, list[int]] = {}
    for index, sector in enumerate(sector_ids):
        groups.setdefault(zone_of[sector], []).append(index)
    return {zone: np.array(indices, dtype=np.int64) for zone, indices in groups.items()}


def _reach(travel: pl.DataFrame, sector_ids: list[str], minutes: float) -> np.ndarray:
    missing = [c for c in ("from_sector", "to_sector", "minutes") if c not in travel.columns]
    if missing:
        raise InputError(f"travel table lacks {missing}; see zonal.planning.travel_minutes")
    position = {sector: i for i, sector in enumerate(sector_ids)}
    reach = np.eye(len(sector_ids), dtype=bool)
    near = travel.filter(pl.col("minutes") <= minutes)
    for source, target in zip(
        near["from_sector"].to_list(), near["to_sector"].to_list(), strict=True
    ):
        if source in position and target in position:
            # A patrol posted in `source` reaches `target`: column = post, row = covered.
            reach[position[target], position[source]] = True
    return reach


def _allocation_frame(
    demand: HourlyMatrix,
    jobs: list[tuple[str, int, np.ndarray]],
    hours: list[_Hour],
    counts: list[np.ndarray],
) -> pl.DataFrame:
    parts = []
    for (zone, h, members), hour, count in zip(jobs, hours, counts, strict=True):
        in_reach = hour.reach.astype(np.int64) @ count
        parts.append(
            pl.DataFrame(
                {
                    "zone": [zone] * members.size,
                    "sector": [demand.ids[i] for i in members],
                    "ds": [demand.ds[h]] * members.size,
                    "demand": hour.demand,
                    "patrols": count,
                    "in_reach": in_reach,
                },
                schema_overrides={"ds": demand.ds.dtype},
            )
        )
    return pl.concat(parts).sort("zone", "ds", "sector")


def _summary(allocation: pl.DataFrame) -> pl.DataFrame:
    covered = pl.col("in_reach") > 0
    return (
        allocation.group_by("zone", "ds")
        .agg(
            pl.col("patrols").sum(),
            pl.len().alias("sectors"),
            covered.sum().alias("sectors_covered"),
            pl.when(pl.col("demand").sum() > 0)
            .then(pl.col("demand").filter(covered).sum() / pl.col("demand").sum())
            .otherwise(None)
            .alias("demand_covered_share"),
        )
        .sort("zone", "ds")
    )
