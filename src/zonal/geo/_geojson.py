"""GeoJSON geometry checks and the few geometry reads the grid and the map need.

Only Polygon and MultiPolygon in WGS84 (lon, lat) are accepted: a zone is an area, and
RFC 7946 GeoJSON has no other coordinate system.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from zonal.errors import RegistryFormatError

Ring = npt.NDArray[np.float64]  # shape (n, 2): lon, lat
Bounds = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def check_geometry(geometry: Any, where: str) -> dict[str, Any]:
    """Return `geometry` as a plain Polygon/MultiPolygon dict, or raise naming `where`."""
    if not isinstance(geometry, dict):
        raise RegistryFormatError(
            f"{where}: the geometry is missing; give a Polygon or MultiPolygon"
        )
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return {"type": kind, "coordinates": _check_polygon(coordinates, where)}
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise RegistryFormatError(f"{where}: a MultiPolygon needs a non-empty list of polygons")
        parts = [
            _check_polygon(part, f"{where}, polygon {i + 1}") for i, part in enumerate(coordinates)
        ]
        return {"type": kind, "coordinates": parts}
    raise RegistryFormatError(
        f"{where}: geometry type {kind!r} is not an area; use Polygon or MultiPolygon"
    )


def _check_polygon(rings: Any, where: str) -> list[list[list[float]]]:
    if not isinstance(rings, list) or not rings:
        raise RegistryFormatError(f"{where}: a polygon needs a non-empty list of rings")
    return [_check_ring(ring, f"{where}, ring {i + 1}") for i, ring in enumerate(rings)]


def _check_ring(ring: Any, where: str) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise RegistryFormatError(f"{where}: a ring needs at least 4 positions (closed)")
    positions = [_check_position(position, where) for position in ring]
    if positions[0] != positions[-1]:
        raise RegistryFormatError(
            f"{where}: the ring is not closed; repeat its first position {positions[0]} at the end"
        )
    return positions


def _check_position(position: Any, where: str) -> list[float]:
    ok = isinstance(position, list) and len(position) in (2, 3)
    if not ok or not all(_is_number(value) for value in position):
        raise RegistryFormatError(f"{where}: position {position!r} is not [lon, lat]")
    lon, lat = float(position[0]), float(position[1])
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise RegistryFormatError(
            f"{where}: position {position!r} is not a WGS84 [lon, lat]; the file looks projected:"
            " reproject it to EPSG:4326"
        )
    return [lon, lat]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    """The polygons of a checked geometry, each a list of rings (outer ring first)."""
    parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[np.asarray(ring, dtype=np.float64)[:, :2] for ring in part] for part in parts]


def rings(geometry: dict[str, Any]) -> Iterator[Ring]:
    """Every ring of a checked geometry, outer and inner alike."""
    for part in polygons(geometry):
        yield from part


def bounds_of(geometries: Iterable[dict[str, Any]]) -> Bounds | None:
    """The lon/lat bounding box of the geometries, or None when there are none."""
    stacked = [ring for geometry in geometries for ring in rings(geometry)]
    if not stacked:
        return None
    points = np.concatenate(stacked)
    return _box(points)


def points_bounds(lon: Iterable[float], lat: Iterable[float]) -> Bounds | None:
    """The bounding box of points, or None when there are none."""
    points = np.column_stack([np.fromiter(lon, dtype=np.float64), np.fromiter(lat, np.float64)])
    return _box(points) if len(points) else None


def _box(points: npt.NDArray[np.float64]) -> Bounds:
    low, high = points.min(axis=0), points.max(axis=0)
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])
