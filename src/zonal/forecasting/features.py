"""Features of the production model, each valid at the horizon: known before the origin.

For an origin o and a target hour t = o + j, a row holds what was known at o (profiles of
the same wall-clock hour of week over the last 1, 4, 13 and 52 weeks, recent levels, the
change a year earlier over the same stretch) and what is known about t in advance (hour of
week, public holiday, month edge, days ahead). Counts are divided by the series' recent
level so that one model serves the city total and a sparse zone x cluster cell alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zonal.forecasting._panel import Panel, nan_mean
from zonal.forecasting.calendar import HOURS_PER_WEEK, calendar_features
from zonal.forecasting.outliers import outlier_mask
from zonal.forecasting.series_key import SeriesKey

PROFILE_WEEKS = (1, 4, 13, 52)
LEVEL_HOURS = (24, 168, 2184)
YEAR_HOURS = 364 * 24  # 52 weeks: same weekday a year ago
SCALE_FLOOR = 0.01
FEATURES: tuple[str, ...] = (
    *(f"profile_{k}w" for k in PROFILE_WEEKS),
    "daily_7d",
    *(f"level_{h}h" for h in LEVEL_HOURS),
    "year_ago_ratio",
    "log_scale",
    "how",
    "hour",
    "dow",
    "holiday",
    "month_edge",
    "days_ahead",
    "cluster",
    "depth",
    "area",
)
CATEGORICAL: tuple[str, ...] = ("cluster", "area")
# What each feature tells the model, in words a planner reads: the groups of `drivers`.
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "recent_level": ("daily_7d", *(f"level_{h}h" for h in LEVEL_HOURS), "log_scale"),
    "same_hour_recent_weeks": tuple(f"profile_{k}w" for k in PROFILE_WEEKS if k < 52),
    "past_year": ("profile_52w", "year_ago_ratio"),  # long-run weekly pattern and seasons
    "hour_and_weekday": ("how", "hour", "dow"),
    "holidays_and_month_ends": ("holiday", "month_edge"),
    "days_ahead": ("days_ahead",),
    "area_and_cluster": ("cluster", "depth", "area"),
}


def static_codes(ids: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Cluster code (cluster + 1; 0 for all or none), area depth (0 = total), area code."""
    keys = [SeriesKey.parse_or_area(uid) for uid in ids]
    clusters = np.array([int(k.cluster) + 1 if k.cluster.isdigit() else 0 for k in keys])
    depth = np.array([k.depth for k in keys])
    _, area = np.unique([k.area for k in keys], return_inverse=True)
    return {"cluster": clusters, "depth": depth, "area": np.asarray(area)}


@dataclass
class OriginState:
    """Everything known at an origin, per series."""

    origin: int
    scale: np.ndarray  # (S,)
    profiles: np.ndarray  # (S, len(PROFILE_WEEKS), 168), already divided by scale
    daily: np.ndarray  # (S, 24) / scale
    levels: np.ndarray  # (S, len(LEVEL_HOURS)) / scale
    year_level: np.ndarray  # (S,) mean over the 4 weeks before o, a year earlier


class FeatureBuilder:
    """Precomputed sums over a panel, to build feature rows at any origin quickly."""

    def __init__(self, panel: Panel, country: str | None, horizon: int) -> None:
        self.panel = panel
        calendar = calendar_features(panel.times(0, panel.n_hours + horizon), country)
        self.calendar = calendar
        hour = calendar["hour"][: panel.n_hours]
        self.flagged, clean = outlier_mask(panel.values, hour)
        seen = np.isfinite(clean)
        filled = np.where(seen, clean, 0.0)
        del clean
        self.csum = _cumulative(filled)
        self.ccnt = _cumulative(seen, np.int32)  # exact counts at half the memory
        self._build_grid(filled, seen, calendar)
        self.statics = static_codes(panel.ids)

    def _build_grid(
        self, filled: np.ndarray, seen: np.ndarray, calendar: dict[str, np.ndarray]
    ) -> None:
        """Sums and counts per (series, local week, hour of week): DST-correct profiles."""
        days = (calendar["dow"] == 0) & (calendar["hour"] == 0)
        week = np.cumsum(days)  # local week number of each column, 0 before the first Monday
        self.week = week
        n = self.panel.n_hours
        how = calendar["how"][:n]
        shape = (filled.shape[0], int(week[n - 1]) + 2, HOURS_PER_WEEK)
        self.grid_sum = np.zeros(shape, dtype=np.float32)
        self.grid_cnt = np.zeros(shape, dtype=np.float32)
        index = (slice(None), week[:n], how)
        np.add.at(self.grid_sum, index, filled.astype(np.float32))  # type: ignore[arg-type]
        np.add.at(self.grid_cnt, index, seen.astype(np.float32))  # type: ignore[arg-type]

    def window_mean(self, origin: int, hours: int) -> np.ndarray:
        """Mean of each series over the `hours` before `origin` (NaN when nothing was seen)."""
        lo = max(origin - hours, 0)
        count = self.ccnt[:, origin] - self.ccnt[:, lo]
        total = self.csum[:, origin] - self.csum[:, lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def state(self, origin: int) -> OriginState:
        """What is known at `origin` (a column index: data strictly before it)."""
        level_28 = self.window_mean(origin, 672)
        level_91 = self.window_mean(origin, 2184)
        base = np.where(np.isfinite(level_28), level_28, level_91)
        scale = np.nan_to_num(base, nan=0.0) + SCALE_FLOOR
        profiles = np.stack([self._profile(origin, k) for k in PROFILE_WEEKS], axis=1)
        profiles /= scale[:, None, None]
        daily = nan_mean(profiles[:, 0].reshape(-1, 7, 24), axis=1)
        levels = np.stack([self.window_mean(origin, h) for h in LEVEL_HOURS], axis=1)
        year = self.window_mean(max(origin - YEAR_HOURS, 0), 672) if origin > YEAR_HOURS else None
        year_level = np.full(scale.shape, np.nan) if year is None else year
        return OriginState(origin, scale, profiles, daily, levels / scale[:, None], year_level)

    def _profile(self, origin: int, weeks: int) -> np.ndarray:
        """Mean count per hour of week over the `weeks` weeks before origin, by local wall clock."""
        w0 = int(self.week[origin])
        how0 = int(self.calendar["how"][origin])  # hours of the current week before origin
        before = np.arange(HOURS_PER_WEEK) < how0
        first = w0 - weeks
        total = self._grid_range(w0 - weeks + 1, w0, self.grid_sum)
        count = self._grid_range(w0 - weeks + 1, w0, self.grid_cnt)
        total, count = total.copy(), count.copy()
        total[:, before] += self.grid_sum[:, w0, before]
        count[:, before] += self.grid_cnt[:, w0, before]
        if first >= 0:
            total[:, ~before] += self.grid_sum[:, first, ~before]
            count[:, ~before] += self.grid_cnt[:, first, ~before]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def _grid_range(self, lo: int, hi: int, grid: np.ndarray) -> np.ndarray:
        lo = max(lo, 0)
        if hi <= lo:
            return np.zeros((grid.shape[0], HOURS_PER_WEEK))
        return np.asarray(grid[:, lo:hi].sum(axis=1, dtype=np.float64))

    def rows(self, state: OriginState, series: np.ndarray, ahead: np.ndarray) -> np.ndarray:
        """Feature matrix (len(series), len(FEATURES)) for target hours origin + ahead."""
        target = state.origin + ahead
        cal = {k: v[target] for k, v in self.calendar.items()}
        how, hour = cal["how"], cal["hour"]
        year_ratio = self._year_ratio(state, series, target)
        columns = [
            *(state.profiles[series, i, how] for i in range(len(PROFILE_WEEKS))),
            state.daily[series, hour],
            *(state.levels[series, i] for i in range(len(LEVEL_HOURS))),
            year_ratio,
            np.log(state.scale[series]),
            how,
            hour,
            cal["dow"],
            cal["holiday"],
            cal["month_edge"],
            ahead // 24,
            *(self.statics[name][series] for name in ("cluster", "depth", "area")),
        ]
        return np.column_stack(columns).astype(np.float32)

    def _year_ratio(self, state: OriginState, series: np.ndarray, target: np.ndarray) -> np.ndarray:
        """Level a year before the target week over level a year before the origin."""
        if state.origin <= YEAR_HOURS:
            return np.full(series.shape, np.nan)
        center = target - YEAR_HOURS
        lo, hi = np.clip(center - 84, 0, None), np.clip(center + 84, 0, self.panel.n_hours)
        count = self.ccnt[series, hi] - self.ccnt[series, lo]
        total = self.csum[series, hi] - self.csum[series, lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            then = np.where(count > 0, total / np.maximum(count, 1), np.nan)
            return np.asarray(then / (state.year_level[series] + SCALE_FLOOR))


def _cumulative(values: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    """Running sums along time with a leading zero column: window sums by two lookups."""
    out = np.zeros((values.shape[0], values.shape[1] + 1), dtype=dtype)
    np.cumsum(values, axis=1, out=out[:, 1:])
    return out
