"""Series ids that carry their place in the hierarchy, and the summing matrix built from them.

An id is `area|cluster`. The area is a path from the top: `all` (the whole data set),
`15` (a zone), `15/15E30` (a sector of zone 15); the cluster is a security cluster number,
`none` for unclassified incidents, or `all`. Zones may also be grouped (their province or
region, from the zone registry): a group is an area named by its kind and code, with a colon,
`province:40000`, between the total and its zones. Every series is the sum of the bottom
series (deepest area, single cluster) below it, so a forecast at any level can be made to
agree with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from zonal.errors import InputError

TOTAL = "all"


def series_id(area: str, cluster: str) -> str:
    """The id of `area` (a path or 'all') x `cluster` (a number, 'none' or 'all')."""
    return f"{area}|{cluster}"


def split_id(unique_id: str) -> tuple[str, str]:
    """(area, cluster) of a hierarchical id; raises InputError on an id without '|'."""
    area, sep, cluster = unique_id.partition("|")
    if not sep:
        raise InputError(
            f"series id {unique_id!r} is not 'area|cluster' (e.g. '15|3' or 'all|all')"
        )
    return area, cluster


def _covers(node: str, leaf: str) -> bool:
    return node == TOTAL or leaf == node or leaf.startswith(node + "/")


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
        keys = [split_id(uid) for uid in leaves]
        members = _group_members({a.split("/")[0] for a, _ in keys}, groups or {})
        areas = (
            {TOTAL}
            | set(members)
            | {"/".join(a.split("/")[: i + 1]) for a, _ in keys for i in range(a.count("/") + 1)}
        )
        cluster_set = {c for _, c in keys} | {TOTAL} if clusters else {TOTAL}
        nodes = sorted(
            {series_id(a, c) for a in areas for c in cluster_set} | set(leaves),
            key=lambda uid: (uid in leaves, _depth(uid), uid),
        )
        summing = np.array(
            [[_contains(node, leaf, members) for leaf in keys] for node in map(split_id, nodes)],
            dtype=float,
        )
        keep = summing.sum(axis=1) > 0
        return cls(tuple(np.array(nodes)[keep].tolist()), leaves, summing[keep])

    def level_of(self, unique_id: str) -> str:
        """A readable level name: 'total', a group's kind ('province'), 'zone', 'sector', each
        with '+cluster' when split."""
        area, cluster = split_id(unique_id)
        if is_group(area):
            name = area.partition(":")[0]
        else:
            depth = 0 if area == TOTAL else area.count("/") + 1
            name = ("total", "zone", "sector", "sub-sector")[min(depth, 3)]
        return name if cluster == TOTAL else f"{name}+cluster"


def is_group(area: str) -> bool:
    """Whether an area is a group of zones (`province:40000`) rather than a zone path."""
    return ":" in area


def _group_members(zones: set[str], groups: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """group -> the data's zones in it, for groups that add a level (2+ zones, not all)."""
    found: dict[str, set[str]] = {}
    for zone in zones:
        if zone in groups and is_group(groups[zone]):
            found.setdefault(groups[zone], set()).add(zone)
    return {g: frozenset(m) for g, m in found.items() if 1 < len(m) < len(zones)}


def _depth(unique_id: str) -> int:
    area, cluster = split_id(unique_id)
    if area == TOTAL:
        level = 0
    elif is_group(area):
        level = 1
    else:
        level = area.count("/") + 2
    return level * 2 + (cluster != TOTAL)


def _contains(
    node: tuple[str, str], leaf: tuple[str, str], members: Mapping[str, frozenset[str]]
) -> bool:
    if node[1] not in (TOTAL, leaf[1]):
        return False
    if node[0] in members:
        return leaf[0].split("/")[0] in members[node[0]]
    return _covers(node[0], leaf[0])
