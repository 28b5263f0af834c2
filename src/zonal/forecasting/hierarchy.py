"""The hierarchy of series and the summing matrix that ties them together.

Series are named by their key `AREA|CLUSTER` (zonal.forecasting.series_key): an area path
from the total down (`all`, zone `15`, sector `15/15E30`) by a cluster (or `all`). Zones may
also be grouped (their province or region, from the zone registry): a group is an area named
by its kind and code, `province:40000`, between the total and its zones. Every series is the
sum of the bottom series (deepest area, single cluster) below it, so a forecast at any level
can be made to agree with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from zonal.errors import InputError
from zonal.forecasting.series_key import TOTAL, SeriesKey, is_group


@dataclass(frozen=True)
class Hierarchy:
    """Bottom series, all series, and which bottom series each series sums."""

    ids: tuple[str, ...]  # every series, aggregates first then bottom, in a stable order
    bottom: tuple[str, ...]
    summing: np.ndarray  # (len(ids), len(bottom)) of 0/1

    @classmethod
    def from_bottom(
        cls,
        bottom: Iterable[str],
        *,
        clusters: bool = True,
        groups: Mapping[str, str] | None = None,
    ) -> Hierarchy:
        """The full hierarchy above `bottom` ids: every area prefix x (cluster, all).

        Args:
            groups: zone -> its group (`province:40000`); a group of two or more of the
                data's zones, but not all of them, becomes a level between total and zones.
        """
        leaves = tuple(sorted(set(bottom)))
        if not leaves:
            raise InputError("no bottom series: the data has no incidents to forecast")
        keys = [SeriesKey.parse(uid) for uid in leaves]
        members = _group_members({k.zone for k in keys}, groups or {})
        areas = {TOTAL} | set(members) | {a for k in keys for a in k.area_path}
        cluster_set = {k.cluster for k in keys} | {TOTAL} if clusters else {TOTAL}
        is_leaf = set(keys)
        nodes = sorted(
            {SeriesKey(a, c) for a in areas for c in cluster_set} | is_leaf,
            key=lambda k: (k in is_leaf, _depth(k), str(k)),
        )
        summing = np.array(
            [[_contains(node, leaf, members) for leaf in keys] for node in nodes], dtype=float
        )
        keep = summing.sum(axis=1) > 0
        ids = tuple(str(node) for node, kept in zip(nodes, keep, strict=True) if kept)
        return cls(ids, leaves, summing[keep])

    def level_of(self, unique_id: str) -> str:
        """A readable level name: 'total', a group's kind ('province'), 'zone', 'sector', each
        with '+cluster' when split."""
        return SeriesKey.parse(unique_id).level


def _group_members(zones: set[str], groups: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """group -> the data's zones in it, for groups that add a level (2+ zones, not all)."""
    found: dict[str, set[str]] = {}
    for zone in zones:
        if zone in groups and is_group(groups[zone]):
            found.setdefault(groups[zone], set()).add(zone)
    return {g: frozenset(m) for g, m in found.items() if 1 < len(m) < len(zones)}


def _depth(key: SeriesKey) -> int:
    """Order of levels: total, groups, zones, sectors; an area's total before its clusters."""
    level = 0 if key.area == TOTAL else 1 if key.is_group else key.depth + 1
    return level * 2 + (not key.is_area_total)


def _contains(node: SeriesKey, leaf: SeriesKey, members: Mapping[str, frozenset[str]]) -> bool:
    if node.cluster not in (TOTAL, leaf.cluster):
        return False
    if node.area in members:
        return leaf.zone in members[node.area]
    return node.covers_area(leaf)
