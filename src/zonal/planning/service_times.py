"""How long a call keeps a team busy: service-time profiles and their estimation.

A profile carries the mean service time (for Erlang) and the hourly lag kernel of the
infinite-server approximation (for the lag correction of Green, Kolesar and Soares 2001):
kernel[k] = E[min(max(S - k, 0), 1)], the share of an hour k hours after arrival that a call
still occupies its team; the kernel sums to E[S] in hours, so a steady demand keeps its load.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Self

import numpy as np
import polars as pl

from zonal.errors import InputError

MAX_LAG_HOURS = 24


# When calls carry no dispatch times: a typical police call and its share of priority 1
DEFAULT_SERVICE_MINUTES = 45.0
DEFAULT_P1_SHARE = 0.1


@dataclass(frozen=True)
class ServiceProfile:
    """The service-time distribution of the call mix and its priority-1 share.

    Attributes:
        mean_hours: mean time a call keeps one team busy, hours.
        kernel: lag weights per hour since arrival (sums to mean_hours).
        p1_share: share of calls that are priority 1 (they get the target).
    """

    mean_hours: float
    kernel: np.ndarray
    p1_share: float

    def __post_init__(self) -> None:
        if not 0.0 < self.mean_hours <= MAX_LAG_HOURS:
            raise InputError(
                f"mean service time {self.mean_hours * 60:g} minutes is outside (0, "
                f"{MAX_LAG_HOURS * 60}]; give minutes per call, e.g. 45"
            )
        if not 0.0 <= self.p1_share <= 1.0:
            raise InputError(f"priority-1 share {self.p1_share!r} must lie in [0, 1]")

    @classmethod
    def exponential(
        cls, mean_minutes: float = DEFAULT_SERVICE_MINUTES, p1_share: float = DEFAULT_P1_SHARE
    ) -> ServiceProfile:
        """Exponential service times with `mean_minutes` (the Erlang C assumption)."""
        if not mean_minutes > 0:
            raise InputError(f"mean service time must be > 0 minutes, got {mean_minutes!r}")
        mean = mean_minutes / 60.0
        edges = np.arange(MAX_LAG_HOURS + 1, dtype=float)
        kernel = mean * (np.exp(-edges[:-1] / mean) - np.exp(-edges[1:] / mean))
        return cls(mean_hours=mean, kernel=kernel, p1_share=p1_share)

    @classmethod
    def from_minutes(cls, minutes: np.ndarray, p1_share: float) -> ServiceProfile:
        """The empirical profile of observed service times in minutes."""
        hours = np.asarray(minutes, float) / 60.0
        if hours.size == 0:
            raise InputError("no service times to estimate from: give calls with both timestamps")
        lags = np.arange(MAX_LAG_HOURS, dtype=float)
        kernel = np.clip(hours[:, None] - lags[None, :], 0.0, 1.0).mean(axis=0)
        return cls(mean_hours=float(hours.mean()), kernel=kernel, p1_share=p1_share)


class ServiceTimeEstimator:
    """Service times per priority and security cluster from dispatch timestamps.

    A call keeps its team from `start` (dispatch) until `end` (cleared). Durations that are
    missing, not positive or above `max_minutes` are ignored (counted in `dropped_`).
    Groups with fewer than `min_calls` calls borrow their priority's figures.

    Args:
        start: the canonical timestamp the team is committed at.
        end: the canonical timestamp the team is free again.
        min_calls: calls a (priority, cluster) group needs for its own figures.
        max_minutes: longest credible service time; longer ones are data errors.
    """

    def __init__(
        self,
        start: str = "dispatched_at",
        end: str = "cleared_at",
        min_calls: int = 30,
        max_minutes: float = 720.0,
    ) -> None:
        self.start = start
        self.end = end
        self.min_calls = min_calls
        self.max_minutes = max_minutes

    def fit(self, incidents: pl.DataFrame) -> Self:
        """Estimate from a canonical incident frame; returns self.

        Sets `table_` (priority, cluster, calls, mean/median/p90 minutes, pooled),
        `samples_` (priority, cluster, minutes), `dropped_` and `profile_` (the whole mix).

        Raises:
            InputError: timestamps absent, or no call has a usable service time.
        """
        missing = [c for c in (self.start, self.end, "priority") if c not in incidents.columns]
        if missing:
            raise InputError(
                f"incident frame lacks {missing}: service times need dispatch timestamps "
                f"(import a dispatch file, e.g. preset 'dispatch-center')"
            )
        minutes = (pl.col(self.end) - pl.col(self.start)).dt.total_seconds() / 60.0
        frame = incidents.select(
            pl.col("priority").cast(pl.Int64),
            _cluster_column(incidents),
            minutes.alias("minutes"),
        )
        valid = frame.filter(pl.col("minutes").is_between(0.0, self.max_minutes, closed="right"))
        self.dropped_ = frame.height - valid.height
        if valid.height == 0:
            raise InputError(
                f"none of {frame.height} calls has a usable {self.start} -> {self.end} "
                f"duration (0 to {self.max_minutes:g} minutes)"
            )
        self.samples_ = valid
        self.table_ = self._table(valid)
        self.profile_ = self.profile()
        return self

    def profile(
        self, priorities: Collection[int] | None = None, clusters: Collection[int] | None = None
    ) -> ServiceProfile:
        """The profile of the calls of the given priorities and clusters (None = all).

        Raises:
            InputError: not fitted, or no call matches.
        """
        if not hasattr(self, "samples_"):
            raise InputError("ServiceTimeEstimator is not fitted: call fit(incidents) first")
        chosen = self.samples_
        if priorities is not None:
            chosen = chosen.filter(pl.col("priority").is_in(list(priorities)))
        if clusters is not None:
            chosen = chosen.filter(pl.col("cluster").is_in(list(clusters)))
        if chosen.height == 0:
            raise InputError(f"no calls of priorities {priorities} and clusters {clusters}")
        p1_share = float(np.mean(chosen["priority"].to_numpy() == 1))
        return ServiceProfile.from_minutes(chosen["minutes"].to_numpy(), p1_share)

    def _table(self, valid: pl.DataFrame) -> pl.DataFrame:
        stats = [
            pl.len().alias("calls"),
            pl.col("minutes").mean().alias("mean_minutes"),
            pl.col("minutes").median().alias("median_minutes"),
            pl.col("minutes").quantile(0.9).alias("p90_minutes"),
        ]
        by_priority = valid.group_by("priority").agg(stats)
        groups = valid.group_by("priority", "cluster").agg(stats)
        pooled = groups.join(by_priority, on="priority", suffix="_priority", nulls_equal=True)
        small = pl.col("calls") < self.min_calls
        return pooled.select(
            "priority",
            "cluster",
            "calls",
            *[
                pl.when(small).then(pl.col(f"{name}_priority")).otherwise(pl.col(name)).alias(name)
                for name in ("mean_minutes", "median_minutes", "p90_minutes")
            ],
            small.alias("pooled"),
        ).sort("priority", "cluster", nulls_last=True)


def _cluster_column(incidents: pl.DataFrame) -> pl.Expr:
    if "cluster" in incidents.columns:
        return pl.col("cluster").cast(pl.Int64)
    return pl.lit(None, dtype=pl.Int64).alias("cluster")
