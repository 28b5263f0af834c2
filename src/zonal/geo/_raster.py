"""Polygon tests on a regular grid, vectorised with NumPy (no GEOS needed).

Coordinates here are grid units: x = (easting - x0) / cell size, so cell (row, col) is the
unit square [col, col + 1) x [row, row + 1).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

_CHUNK = 2_000_000  # points x edges per block: bounds the memory of the crossing matrix


def inside(px: Floats, py: Floats, rings: list[Floats]) -> npt.NDArray[np.bool_]:
    """Whether each point lies inside the rings by the even-odd rule (holes are rings too)."""
    result = np.zeros(len(px), dtype=bool)
    for ring in rings:
        xa, ya, xb, yb = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
        step = max(1, _CHUNK // max(len(xa), 1))
        for start in range(0, len(px), step):
            x, y = px[start : start + step, None], py[start : start + step, None]
            spans = (ya > y) != (yb > y)
            dy = np.where(yb == ya, 1.0, yb - ya)  # never used where equal: spans is False
            hits = spans & (x < xa + (y - ya) * (xb - xa) / dy)
            result[start : start + step] ^= hits.sum(axis=1) % 2 == 1
    return result


def crossed_cells(ring: Floats) -> tuple[Ints, Ints]:
    """(rows, cols) of every cell a ring's edges pass through, exactly, with repeats."""
    ax, ay, bx, by = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    n = len(ax)
    segments = [np.arange(n), np.arange(n)]
    params = [np.zeros(n), np.ones(n)]
    for a, b in ((ax, bx), (ay, by)):
        segment, t = _line_crossings(a, b)
        segments.append(segment)
        params.append(t)
    seg, t = np.concatenate(segments), np.concatenate(params)
    order = np.lexsort((t, seg))
    seg, t = seg[order], t[order]
    same = seg[1:] == seg[:-1]
    # Between two consecutive crossings an edge stays in one cell: its midpoint names it.
    mid, owner = ((t[1:] + t[:-1]) / 2)[same], seg[1:][same]
    x = ax[owner] + mid * (bx - ax)[owner]
    y = ay[owner] + mid * (by - ay)[owner]
    return np.floor(y).astype(np.int64), np.floor(x).astype(np.int64)


def _line_crossings(a: Floats, b: Floats) -> tuple[Ints, Floats]:
    """For edges from a to b along one axis: (edge index, parameter t) of each grid line crossed."""
    low, high = np.ceil(np.minimum(a, b)), np.floor(np.maximum(a, b))
    count = np.where(a == b, 0, np.maximum(high - low + 1, 0)).astype(np.int64)
    segment = np.repeat(np.arange(len(a)), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    line = np.repeat(low, count) + offset
    return segment, (line - a[segment]) / (b - a)[segment]
