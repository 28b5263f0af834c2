"""From the canonical incident frame to hourly counts per (area, cluster), in the data's wall clock.

Counts are binned on local hours of `time_zone`; DST days keep their 23 or 25 real hours.
Citizen-generated demand is the default: officer-initiated work reflects where police chose
to look, and forecasting it as demand feeds a runaway loop (Ensign et al. 2018), so it is
only counted when asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl
from scipy import sparse

from zonal.errors import InputError
from zonal.forecasting._panel import Panel, from_panel, to_panel
from zonal.forecasting.hierarchy import Hierarchy
from zonal.forecasting.series_key import TOTAL, SeriesKey
from zonal.incidents.schema import Origin, TimeResolution

Level = Literal["total", "zone", "sector"]
LEVEL_ALIASES: dict[str, Level] = {
    "total": "total",
    "city": "total",
    "zone": "zone",
    "district": "zone",
    "sector": "sector",
    "beat": "sector",
}
CITIZEN_DEMAND: frozenset[str] = frozenset(o.value for o in Origin) - {Origin.OFFICER_INITIATED}
DEMAND_ORIGINS: dict[str, frozenset[str]] = {
    "citizen": CITIZEN_DEMAND,
    "officer": frozenset({Origin.OFFICER_INITIATED.value}),
    "all": frozenset(o.value for o in Origin),
}
LATE_START_HOURS = 7 * 24  # an area whose first incident comes later than this started late
ENDED_HOURS = 8 * 168  # an area silent this long before the end no longer exists
GAP_EXPECTED = 10.0  # incidents the mean rate would put in a run before it counts as a gap
GAP_HOURS = 24  # shortest run of empty hours that can be a gap in the data


@dataclass(frozen=True)
class HourlySeries:
    """Hourly counts of every series of the hierarchy, and what was left out and why."""

    series: pl.DataFrame  # unique_id, ds (local time zone), y (NaN in data gaps)
    hierarchy: Hierarchy
    time_zone: str
    notes: dict[str, int] = field(default_factory=dict)


def parse_level(text: str) -> Level:
    """'zone', 'sector' or 'total', also under their local names ('district', 'beat', 'city')."""
    level = LEVEL_ALIASES.get(text.strip().lower())
    if level is None:
        raise InputError(f"level {text!r} is unknown; choose one of {sorted(LEVEL_ALIASES)}")
    return level


def demand_origins(name: str) -> frozenset[str]:
    """The Origin values counted by a named demand: citizen (default), officer or all."""
    if name not in DEMAND_ORIGINS:
        raise InputError(f"demand {name!r} is unknown; choose {', '.join(DEMAND_ORIGINS)}")
    return DEMAND_ORIGINS[name]


def hourly_counts(
    incidents: pl.DataFrame | Iterable[pl.DataFrame],
    *,
    time_zone: str,
    level: Level = "zone",
    by_cluster: bool = True,
    origins: Collection[str] | None = None,
    groups: Mapping[str, str] | None = None,
) -> HourlySeries:
    """Hourly incident counts of each area and cluster, with every aggregate above them.

    Args:
        incidents: canonical incident frame (zonal.incidents.schema), or an iterable of
            such frames (e.g. one per zone) counted chunk by chunk to bound memory.
        time_zone: IANA zone of the data's wall clock, e.g. 'Europe/Brussels'.
        level: bottom area level: 'zone', 'sector' (within zone) or 'total'.
        by_cluster: split every area by security cluster (and give cluster totals).
        origins: Origin values to count; default all but officer-initiated.
        groups: zone -> its province or region (`province:40000`, the registry's `parent`):
            adds that level between the total and the zones (see Hierarchy.from_bottom).

    Raises:
        InputError: no usable incident, only date-resolution times, an unknown time zone.
    """
    notes: dict[str, int] = {"origin_excluded": 0, "date_only_excluded": 0}
    chunks = [incidents] if isinstance(incidents, pl.DataFrame) else incidents
    wanted = origins or CITIZEN_DEMAND
    parts = [_chunk_counts(c, time_zone, level, by_cluster, wanted, notes) for c in chunks]
    if not parts or sum(p.height for p in parts) == 0:
        raise InputError(
            f"no incident left to forecast: {notes['origin_excluded']} excluded by origin, "
            f"{notes['date_only_excluded']} have a date but no time; hourly forecasts need times "
            "(to forecast officer-initiated work, ask for it with origins)"
        )
    bottom = _trim_sparse_start(pl.concat(parts).group_by("unique_id", "ds").sum(), notes)
    hierarchy = Hierarchy.from_bottom(
        bottom["unique_id"].unique().to_list(), clusters=by_cluster, groups=groups
    )
    panel = _mark_gaps(_area_lifetimes(to_panel(bottom), notes), notes)
    full = Panel(hierarchy.ids, panel.start_us, _sum_up(panel, hierarchy), time_zone)
    return HourlySeries(from_panel(full, keep_nan=True), hierarchy, time_zone, notes)


def _chunk_counts(
    incidents: pl.DataFrame,
    time_zone: str,
    level: Level,
    by_cluster: bool,
    origins: Collection[str],
    notes: dict[str, int],
) -> pl.DataFrame:
    kept = _select(incidents, origins, notes)
    return _bottom_counts(_local_hours(kept, time_zone), level, by_cluster)


def _select(
    incidents: pl.DataFrame, origins: Collection[str], notes: dict[str, int]
) -> pl.DataFrame:
    unknown = set(origins) - {o.value for o in Origin}
    if unknown:
        raise InputError(f"unknown origin(s) {sorted(unknown)}; use {[o.value for o in Origin]}")
    frame = incidents.filter(pl.col("occurred_at").is_not_null())
    wanted = pl.col("origin").is_in(list(origins))
    notes["origin_excluded"] += int(frame.filter(~wanted).height)
    day_only = pl.col("time_resolution") == TimeResolution.DAY.value
    frame = frame.filter(wanted)
    notes["date_only_excluded"] += int(frame.filter(day_only).height)
    return frame.filter(~day_only | pl.col("time_resolution").is_null())


def _local_hours(frame: pl.DataFrame, time_zone: str) -> pl.DataFrame:
    try:
        frame["occurred_at"].head(1).dt.convert_time_zone(time_zone)
    except Exception as exc:  # polars raises its own error type for unknown zones
        raise InputError(f"time zone {time_zone!r} is unknown; use an IANA name") from exc
    # Bin on UTC hours shown in local time: whole-hour zones get exact local hours and
    # DST days keep 23 or 25 distinct bins instead of merging the repeated hour.
    ds = frame["occurred_at"].dt.truncate("1h").dt.convert_time_zone(time_zone)
    return frame.with_columns(ds=ds)


def _bottom_counts(frame: pl.DataFrame, level: Level, by_cluster: bool) -> pl.DataFrame:
    zone = pl.col("zone").fill_null("unknown")
    sector = pl.col("sector").fill_null("unknown")
    # Data with sectors (beats) but no zones at all: the sectors are the top areas, not
    # sectors of one zone named 'unknown'.
    no_zones = frame.height > 0 and frame["zone"].null_count() == frame.height
    area = {
        "total": pl.lit(TOTAL),
        "zone": zone,
        "sector": sector if no_zones else pl.concat_str([zone, pl.lit("/"), sector]),
    }[level]
    cluster = pl.col("cluster").cast(pl.String).fill_null("none") if by_cluster else pl.lit(TOTAL)
    uid = SeriesKey.build_expr(area, cluster).alias("unique_id")
    counts = frame.group_by(uid, "ds").agg(pl.len().cast(pl.Float64).alias("y"))
    return counts.sort("unique_id", "ds")


def _trim_sparse_start(counts: pl.DataFrame, notes: dict[str, int]) -> pl.DataFrame:
    """Drop the stray early records before the data really starts (e.g. dates in 1900).

    The history starts with the first week holding a tenth of a busy week's incidents (the
    90th percentile of weeks with records); earlier incidents are counted in
    notes['before_history_start'], not forecast from.
    """
    weeks = counts.group_by(pl.col("ds").dt.truncate("1w").alias("week")).agg(pl.col("y").sum())
    threshold = 0.1 * float(weeks["y"].quantile(0.9) or 0.0)
    start = weeks.filter(pl.col("y") >= threshold)["week"].min()
    kept = counts.filter(pl.col("ds") >= start)
    notes["before_history_start"] = int(counts["y"].sum()) - int(kept["y"].sum())
    return kept


def _area_lifetimes(panel: Panel, notes: dict[str, int]) -> Panel:
    """Zero-fill each area's series between its first and last incident; NaN outside.

    An area that appears mid-history (a new zone) has no past, and one whose incidents
    stop long before the end (a merged or reorganised district) has no present: neither
    is a run of zeros. A quiet first or last week is not mistaken for either.
    """
    areas = np.array([SeriesKey.parse(uid).area for uid in panel.ids])
    values = panel.values.copy()
    late = ended = 0
    for area in np.unique(areas):
        rows = areas == area
        seen = np.flatnonzero(np.isfinite(values[rows]).any(axis=0))
        first = int(seen[0]) if seen[0] >= LATE_START_HOURS else 0
        last = int(seen[-1]) + 1
        last = last if panel.n_hours - last >= ENDED_HOURS else panel.n_hours
        block = values[rows]
        block[:, first:last] = np.nan_to_num(block[:, first:last])
        values[rows] = block
        late += int(first > 0)
        ended += int(last < panel.n_hours)
    notes["areas_starting_late"] = late
    notes["areas_ended"] = ended
    return Panel(panel.ids, panel.start_us, values, panel.time_zone)


def _mark_gaps(panel: Panel, notes: dict[str, int]) -> Panel:
    """Runs of empty hours that chance cannot explain are missing data (NaN), not zeros.

    A run counts when it lasts GAP_HOURS or more and the data's mean rate would have put
    GAP_EXPECTED incidents or more in it (a quiet night is no gap; a silent day in a city is).
    """
    total = np.nansum(panel.values, axis=0)
    rate = float(total.mean())
    empty = np.concatenate([[0], (total == 0).astype(int), [0]])
    edges = np.flatnonzero(np.diff(empty))
    values = panel.values.copy()
    gap_hours = 0
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if stop - start >= GAP_HOURS and (stop - start) * rate >= GAP_EXPECTED:
            values[:, start:stop] = np.nan
            gap_hours += int(stop - start)
    notes["gap_hours"] = gap_hours
    return Panel(panel.ids, panel.start_us, values, panel.time_zone)


def _sum_up(panel: Panel, hierarchy: Hierarchy) -> np.ndarray:
    """Every hierarchy series as the sum of its bottom series (NaN where none is observed)."""
    order = [panel.ids.index(uid) for uid in hierarchy.bottom]
    bottom = panel.values[order]
    summing = sparse.csr_matrix(hierarchy.summing)  # a few entries per row: stay sparse
    sums = np.asarray(summing @ np.nan_to_num(bottom))
    observed = np.asarray(summing @ np.isfinite(bottom).astype(np.float32))
    return np.where(observed > 0, sums, np.nan)
