"""Legal minimum service: hard floors on teams on duty, whatever the demand says.

The Royal Decree of 17 September 2001 (minimum organisation and service of the local police)
asks every zone for one intervention team on duty around the clock plus a second team for
84 hours a week. The defaults encode that; every number is configurable, and `none()` turns
the floors off (for sectors, or a country with other rules).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from zonal.errors import InputError
from zonal.planning.demand import HOURS_PER_WEEK


@dataclass(frozen=True)
class MinimumService:
    """Hard floors on teams on duty per series and hour.

    Attributes:
        teams_always: teams on duty every hour.
        extra_teams: additional teams during `extra_hours_per_week` hours of each week.
        extra_hours_per_week: how many hours a week get the extra teams.
        extra_hours: the local hours of the week (0 = Monday 00:00) that get them; None
            picks each series' busiest hours of the week (by offered load).
    """

    teams_always: int = 1
    extra_teams: int = 1
    extra_hours_per_week: int = 84
    extra_hours: Collection[int] | None = None

    def __post_init__(self) -> None:
        if self.teams_always < 0 or self.extra_teams < 0:
            raise InputError(
                f"floors must be >= 0 teams, got teams_always={self.teams_always}, "
                f"extra_teams={self.extra_teams}"
            )
        if not 0 <= self.extra_hours_per_week <= HOURS_PER_WEEK:
            raise InputError(f"extra_hours_per_week={self.extra_hours_per_week} must lie in 0..168")
        bad = [h for h in self.extra_hours or () if not 0 <= h < HOURS_PER_WEEK]
        if bad:
            raise InputError(f"extra_hours {bad} are not hours of the week (0..167)")

    @classmethod
    def none(cls) -> MinimumService:
        """No floors at all."""
        return cls(teams_always=0, extra_teams=0, extra_hours_per_week=0)

    def floors(self, load: np.ndarray, week_hours: np.ndarray) -> np.ndarray:
        """Floor per cell of a (series x hours) load matrix.

        Args:
            load: offered load per series and hour (picks the busiest hours).
            week_hours: local hour of the week of each column.

        Returns:
            Integer matrix shaped like `load`.
        """
        floor = np.full(load.shape, self.teams_always, dtype=np.int64)
        if self.extra_teams == 0 or self.extra_hours_per_week == 0:
            return floor
        if self.extra_hours is not None:
            extra = np.isin(week_hours, list(self.extra_hours))[None, :]
        else:
            extra = _busiest_hours(load, week_hours, self.extra_hours_per_week)
        return floor + self.extra_teams * extra.astype(np.int64)


def _busiest_hours(load: np.ndarray, week_hours: np.ndarray, hours: int) -> np.ndarray:
    """Mask of each series' `hours` busiest hours of the week, by mean load per hour of week."""
    sums = np.zeros((HOURS_PER_WEEK, load.shape[0]))
    np.add.at(sums, week_hours, load.T)
    sums = sums.T
    counts = np.bincount(week_hours, minlength=HOURS_PER_WEEK).astype(float)
    present = counts > 0
    means = np.where(present[None, :], sums / np.maximum(counts, 1.0)[None, :], -np.inf)
    # A horizon shorter than a week gets the same share of its hours, not 84 of them.
    share = min(hours, int(round(hours * present.sum() / HOURS_PER_WEEK)))
    order = np.argsort(-means, axis=1, kind="stable")[:, :share]
    chosen = np.zeros((load.shape[0], HOURS_PER_WEEK), dtype=bool)
    np.put_along_axis(chosen, order, True, axis=1)
    return chosen[:, week_hours]
