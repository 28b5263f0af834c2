"""Series ids that carry their place in the hierarchy, and the summing matrix built from them.

An id is `area|cluster`. The area is a path from the top: `all` (the whole data set),
`15` (a zone), `15/15E30` (a sector of zone 15); the cluster is a security cluster number,
`none` for unclassified incidents, or `all`. Every series is the sum of the bottom series
(deepest area, single cluster) below it in both trees, so a forecast at any level can be
made to agree with the others.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    def from_bottom(cls, bottom: Iterable[str], *, clusters: bool = True) -> Hierarchy:
        """The full hierarchy above `bottom` ids: every area prefix x (cluster, all)."""
        leaves = tuple(sorted(set(bottom)))
        if not leaves:
            raise InputError("no bottom series: the data has no incidents to forecast")
        keys = [split_id(uid) for uid in leaves]
        areas = {TOTAL} | {
            "/".join(a.split("/")[: i + 1]) for a, _ in keys for i in range(a.count("/") + 1)
        }
        cluster_set = {c for _, c in keys} | {TOTAL} if clusters else {TOTAL}
        nodes = sorted(
            {series_id(a, c) for a in areas for c in cluster_set} | set(leaves),
            key=lambda uid: (uid in leaves, _depth(uid), uid),
        )
        summing = np.array(
            [[_contains(node, leaf) for leaf in keys] for node in map(split_id, nodes)], dtype=float
        )
        keep = summing.sum(axis=1) > 0
        return cls(tuple(np.array(nodes)[keep].tolist()), leaves, summing[keep])

    def level_of(self, unique_id: str) -> str:
        """A readable level name: 'total', 'zone', 'sector', each with '+cluster' when split."""
        area, cluster = split_id(unique_id)
        depth = 0 if area == TOTAL else area.count("/") + 1
        name = ("total", "zone", "sector", "sub-sector")[min(depth, 3)]
        return name if cluster == TOTAL else f"{name}+cluster"


def _depth(unique_id: str) -> int:
    area, cluster = split_id(unique_id)
    return (0 if area == TOTAL else area.count("/") + 1) * 2 + (cluster != TOTAL)


def _contains(node: tuple[str, str], leaf: tuple[str, str]) -> bool:
    return _covers(node[0], leaf[0]) and node[1] in (TOTAL, leaf[1])
