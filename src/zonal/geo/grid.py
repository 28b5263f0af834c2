"""A square metric grid over lon/lat data, for hotspot counts and patrol cells.

Cells are squares of `cell_size_m` metres in a projected coordinate system: Belgian Lambert
2008 (EPSG:3812) when all the data lies in Belgium, else the UTM zone of the data's centre, so
that a 250 m cell is 250 m on the ground. Cells are aligned on multiples of the cell size: the
cell of a point (x, y) has its lower-left corner at (floor(x / size) * size, floor(y / size) *
size), so a point on a boundary belongs to the cell that starts there. The cell id is made of
those two whole numbers (`cell_key`), not of the fitted extent, so that two runs, two zones or
another tool's grid with the same CRS and cell size give a place the same id. -1 marks a point
with no cell. Within one fitted grid, row 0 is the southernmost row and column 0 the
westernmost.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from zonal.errors import InputError, ZonalError
from zonal.geo._geojson import Bounds, polygons, rings
from zonal.geo._raster import crossed_cells, inside
from zonal.geo.model import Zone
from zonal.geo.registry import ZoneRegistry

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

BELGIAN_LAMBERT_2008 = 3812
# An id packs (row, column) of the global cell lattice into 64 bits: row * 2^32 + column + 2^31.
_COLUMN_SPAN = 2**32
_COLUMN_OFFSET = 2**31
_MAX_INDEX = 2**31 - 2  # keeps every id clear of -1, which marks "no cell"
BELGIUM_BOUNDS: Bounds = (2.5, 49.5, 6.4, 51.51)  # EPSG:3812's area of use


def cell_key(row: npt.ArrayLike, col: npt.ArrayLike) -> Ints:
    """The id of the cells whose lower-left corners are (col * size, row * size) in the CRS."""
    rows, cols = np.asarray(row, dtype=np.int64), np.asarray(col, dtype=np.int64)
    return rows * _COLUMN_SPAN + (cols + _COLUMN_OFFSET)


def key_row_col(cell_ids: npt.ArrayLike) -> tuple[Ints, Ints]:
    """(row, column) on the global lattice of cell ids: the inverse of `cell_key`."""
    ids = np.asarray(cell_ids, dtype=np.int64)
    return ids // _COLUMN_SPAN, ids % _COLUMN_SPAN - _COLUMN_OFFSET


def choose_crs(lon: Floats, lat: Floats) -> CRS:
    """EPSG:3812 when every point is in Belgium, else the UTM zone of the points' centre."""
    west, south, east, north = BELGIUM_BOUNDS
    in_belgium = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    if in_belgium.all():
        return CRS.from_epsg(BELGIAN_LAMBERT_2008)
    centre_lon, centre_lat = float(np.mean(lon)), float(np.mean(lat))
    utm_zone = min(int((centre_lon + 180.0) // 6.0) + 1, 60)
    return CRS.from_epsg((32600 if centre_lat >= 0 else 32700) + utm_zone)


class MetricGrid:
    """Square cells of `cell_size_m` metres; fit on points, a geometry, bounds or a zone.

    Args:
        cell_size_m: side of a cell in metres, > 0.
        crs: a projected CRS in metres (EPSG code or pyproj string) to use instead of the
            automatic choice.

    Fitted attributes: `crs_`, `x0_`/`y0_` (south-west corner, metres, multiples of the cell
    size), `row0_`/`col0_` (the lattice row and column of that corner: x0_ = col0_ * size),
    `n_rows_`, `n_cols_`, `n_skipped_` (points without coordinates ignored by `fit`).
    """

    def __init__(self, cell_size_m: float = 250.0, crs: str | int | None = None) -> None:
        self.cell_size_m = cell_size_m
        self.crs = crs

    def fit(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> MetricGrid:
        """Cover the points; NaN coordinates are skipped and counted in `n_skipped_`."""
        x_lon, y_lat = _coordinates(lon, lat)
        if len(x_lon) == 0:
            raise InputError("no points given; the grid needs at least one lon/lat point")
        usable = np.isfinite(x_lon) & np.isfinite(y_lat)
        _check_degrees(x_lon, y_lat)
        if not usable.any():
            raise InputError(
                f"no usable coordinates to fit the grid: {len(x_lon)} points, all missing/NaN"
            )
        self._start(x_lon[usable], y_lat[usable])
        x, y = self._to_xy_.transform(x_lon[usable], y_lat[usable])
        self._set_extent(float(x.min()), float(y.min()), float(x.max()), float(y.max()))
        self.n_skipped_ = int((~usable).sum())
        return self

    def fit_bounds(self, bounds: Bounds) -> MetricGrid:
        """Cover a (min lon, min lat, max lon, max lat) box."""
        west, south, east, north = bounds
        # Parallels curve once projected: sample the box's edges, not just its corners.
        steps = np.linspace(0.0, 1.0, 33)
        lon = west + (east - west) * np.concatenate([steps, steps, np.zeros(33), np.ones(33)])
        lat = south + (north - south) * np.concatenate([np.zeros(33), np.ones(33), steps, steps])
        return self.fit(lon, lat)

    def fit_geometry(self, geometry: dict[str, Any]) -> MetricGrid:
        """Cover a GeoJSON Polygon or MultiPolygon (WGS84)."""
        points = np.concatenate(list(rings(geometry)))
        return self.fit(points[:, 0], points[:, 1])

    def fit_zone(self, zone: Zone, registry: ZoneRegistry | None = None) -> MetricGrid:
        """Cover a zone: its boundary, else (with `registry`) discs of its municipalities' area."""
        if zone.geometry is not None:
            return self.fit_geometry(zone.geometry)
        members = registry.municipalities_of(zone.number) if registry is not None else ()
        located = [m for m in members if m.lon is not None and m.lat is not None]
        if not located:
            raise InputError(
                f"zone {zone.number} has no boundary and no municipality centroids to fit on;"
                " give the registry that holds its municipalities, or a boundary"
            )
        lon = np.array([m.lon for m in located], dtype=np.float64)
        lat = np.array([m.lat for m in located], dtype=np.float64)
        # Without a boundary, a disc of each municipality's area stands in for its territory.
        radius = np.array([math.sqrt((m.area_km2 or 0.0) / math.pi) * 1000 for m in located])
        self._start(lon, lat)
        x, y = self._to_xy_.transform(lon, lat)
        low_x, low_y = float((x - radius).min()), float((y - radius).min())
        self._set_extent(low_x, low_y, float((x + radius).max()), float((y + radius).max()))
        self.n_skipped_ = 0
        return self

    @property
    def n_cells_(self) -> int:
        """How many cells the grid has."""
        self._check_fitted()
        return self.n_rows_ * self.n_cols_

    def assign(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike, on_invalid: Literal["mark", "raise"] = "mark"
    ) -> Ints:
        """The cell id of each point; -1 for NaN coordinates and points outside the grid.

        With `on_invalid="raise"`, such points raise InputError saying how many and where.
        """
        self._check_fitted()
        x_lon, y_lat = _coordinates(lon, lat)
        ids = np.full(len(x_lon), -1, dtype=np.int64)
        usable = (np.abs(x_lon) <= 180) & (np.abs(y_lat) <= 90)  # False for NaN and inf
        x, y = self._to_xy_.transform(x_lon[usable], y_lat[usable])
        ids[usable] = self._ids_of(np.asarray(x), np.asarray(y))
        if on_invalid == "raise" and (ids < 0).any():
            raise InputError(_invalid_points(usable, ids))
        return ids

    def assign_xy(self, x: npt.ArrayLike, y: npt.ArrayLike) -> Ints:
        """The cell id of points given in the grid's CRS (metres); -1 outside the grid or NaN."""
        self._check_fitted()
        x_m, y_m = _coordinates(x, y)
        return self._ids_of(x_m, y_m)

    def assign_frame(
        self, frame: pl.DataFrame, lon: str = "lon", lat: str = "lat", name: str = "cell_id"
    ) -> pl.DataFrame:
        """`frame` with a `name` column of cell ids (-1 where a point has no cell)."""
        missing = [column for column in (lon, lat) if column not in frame.columns]
        if missing:
            raise InputError(
                f"column(s) {', '.join(missing)} not in the frame; name the lon/lat columns"
            )
        ids = self.assign(
            frame[lon].cast(pl.Float64).to_numpy(), frame[lat].cast(pl.Float64).to_numpy()
        )
        return frame.with_columns(pl.Series(name, ids, dtype=pl.Int64))

    def cell_id(self, row: npt.ArrayLike, col: npt.ArrayLike) -> Ints:
        """Cell ids of (row, col) positions in this grid; InputError for one outside it."""
        self._check_fitted()
        rows, cols = np.asarray(row, dtype=np.int64), np.asarray(col, dtype=np.int64)
        bad = (rows < 0) | (rows >= self.n_rows_) | (cols < 0) | (cols >= self.n_cols_)
        if bad.any():
            first = int(np.argmax(bad.ravel()))
            raise InputError(
                f"cell (row {rows.ravel()[first]}, col {cols.ravel()[first]}) is outside the"
                f" grid of {self.n_rows_} rows x {self.n_cols_} columns"
            )
        return cell_key(rows + self.row0_, cols + self.col0_)

    def row_col(self, cell_ids: npt.ArrayLike) -> tuple[Ints, Ints]:
        """(rows, cols) of cell ids in this grid; InputError for an id that is not one of its
        cells."""
        rows, cols = key_row_col(self._check_ids(cell_ids))
        return rows - self.row0_, cols - self.col0_

    def cell_corners(self, cell_ids: npt.ArrayLike) -> tuple[Floats, Floats]:
        """(x, y) of the lower-left corners of cells, in the grid's CRS (metres)."""
        rows, cols = key_row_col(self._check_ids(cell_ids))
        size = self.cell_size_m
        return (cols * size).astype(np.float64), (rows * size).astype(np.float64)

    def cell_centres(self, cell_ids: npt.ArrayLike) -> tuple[Floats, Floats]:
        """(lon, lat) of the centres of cells."""
        x, y = self.cell_corners(cell_ids)
        half = self.cell_size_m / 2
        lon, lat = self._to_lonlat_.transform(x + half, y + half)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def cell_polygon(self, cell_id: int) -> dict[str, Any]:
        """A cell as a GeoJSON Polygon in lon/lat (its corners; edges are straight in metres)."""
        corner_x, corner_y = self.cell_corners([cell_id])
        x = corner_x[0] + np.array([0, 1, 1, 0, 0]) * self.cell_size_m
        y = corner_y[0] + np.array([0, 0, 1, 1, 0]) * self.cell_size_m
        lon, lat = self._to_lonlat_.transform(x, y)
        ring = [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]
        return {"type": "Polygon", "coordinates": [ring]}

    def cells_covering(self, target: Zone | dict[str, Any]) -> Ints:
        """Sorted ids of the grid cells that overlap a zone's boundary or a GeoJSON geometry."""
        self._check_fitted()
        geometry = target.geometry if isinstance(target, Zone) else target
        if geometry is None:
            raise InputError(
                f"zone {getattr(target, 'number', '?')} has no boundary; load a registry with"
                " zones.geojson to find the cells covering it"
            )
        grid_rings = [self._to_grid(ring) for part in polygons(geometry) for ring in part]
        found = [np.column_stack(crossed_cells(ring)) for ring in grid_rings]
        found.append(self._centre_cells(grid_rings))
        cells = np.unique(np.concatenate(found), axis=0)
        ok = (cells[:, 0] >= 0) & (cells[:, 0] < self.n_rows_)
        ok &= (cells[:, 1] >= 0) & (cells[:, 1] < self.n_cols_)
        return np.unique(self.cell_id(cells[ok, 0], cells[ok, 1]))

    def cells_frame(self) -> pl.DataFrame:
        """Every cell: cell_id, row, col, x, y (lower-left corner, metres), and the lon/lat of
        its centre."""
        self._check_fitted()
        rows, cols = np.divmod(np.arange(self.n_cells_, dtype=np.int64), self.n_cols_)
        ids = self.cell_id(rows, cols)
        x, y = self.cell_corners(ids)
        lon, lat = self.cell_centres(ids)
        columns = {"cell_id": ids, "row": rows, "col": cols, "x": x, "y": y}
        return pl.DataFrame({**columns, "lon": lon, "lat": lat})

    def _ids_of(self, x: Floats, y: Floats) -> Ints:
        # Floor on the global lattice, then keep what falls within the fitted extent.
        with np.errstate(invalid="ignore"):
            col = np.floor(x / self.cell_size_m) - self.col0_
            row = np.floor(y / self.cell_size_m) - self.row0_
        within = (col >= 0) & (col < self.n_cols_) & (row >= 0) & (row < self.n_rows_)
        ids = np.full(len(x), -1, dtype=np.int64)
        ids[within] = self.cell_id(row[within].astype(np.int64), col[within].astype(np.int64))
        return ids

    def _centre_cells(self, grid_rings: list[Floats]) -> Ints:
        points = np.concatenate(grid_rings)
        low = np.maximum(np.floor(points.min(axis=0)), 0).astype(np.int64)
        high = np.minimum(np.floor(points.max(axis=0)), [self.n_cols_ - 1, self.n_rows_ - 1])
        col_grid, row_grid = np.meshgrid(
            np.arange(low[0], high[0] + 1), np.arange(low[1], high[1] + 1)
        )
        cols, rows = col_grid.ravel().astype(np.int64), row_grid.ravel().astype(np.int64)
        centres_x, centres_y = cols.astype(np.float64) + 0.5, rows.astype(np.float64) + 0.5
        hit = inside(centres_x, centres_y, grid_rings)
        return np.column_stack([rows[hit], cols[hit]])

    def _to_grid(self, ring: Floats) -> Floats:
        x, y = self._to_xy_.transform(ring[:, 0], ring[:, 1])
        return np.column_stack(
            [(x - self.x0_) / self.cell_size_m, (y - self.y0_) / self.cell_size_m]
        )

    def _start(self, lon: Floats, lat: Floats) -> None:
        size = self.cell_size_m
        if not (isinstance(size, int | float) and math.isfinite(size) and size > 0):
            raise InputError(f"cell_size_m {size!r} must be a number of metres > 0, e.g. 250")
        self.crs_ = _projected(self.crs) if self.crs is not None else choose_crs(lon, lat)
        self._to_xy_ = Transformer.from_crs(4326, self.crs_, always_xy=True)
        self._to_lonlat_ = Transformer.from_crs(self.crs_, 4326, always_xy=True)

    def _set_extent(self, min_x: float, min_y: float, max_x: float, max_y: float) -> None:
        # Whole cells of the global lattice, with the floors `assign` uses, so that every
        # point fitted on gets a cell and grids of one size and CRS line up.
        size = self.cell_size_m
        self.col0_, last_col = math.floor(min_x / size), math.floor(max_x / size)
        self.row0_, last_row = math.floor(min_y / size), math.floor(max_y / size)
        if max(abs(self.col0_), abs(last_col), abs(self.row0_), abs(last_row)) > _MAX_INDEX:
            reach = max(abs(min_x), abs(max_x), abs(min_y), abs(max_y))
            raise InputError(
                f"cells of {size!r} m are too small for coordinates of {reach:.0f} m in"
                f" {self.crs_.name}; use larger cells"
            )
        self.x0_, self.y0_ = self.col0_ * size, self.row0_ * size
        self.n_cols_ = last_col - self.col0_ + 1
        self.n_rows_ = last_row - self.row0_ + 1

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_rows_"):
            raise ZonalError("this MetricGrid is not fitted yet; call fit (or fit_zone) first")

    def _check_ids(self, cell_ids: npt.ArrayLike) -> Ints:
        self._check_fitted()
        ids = np.asarray(cell_ids, dtype=np.int64)
        rows, cols = key_row_col(ids)
        rows, cols = rows - self.row0_, cols - self.col0_
        bad = (rows < 0) | (rows >= self.n_rows_) | (cols < 0) | (cols >= self.n_cols_)
        if bad.any():
            raise InputError(
                f"cell id {ids.ravel()[np.argmax(bad.ravel())]} is not a cell of this grid"
                " (take ids from assign, cell_id or cells_frame; -1 marks a point with no cell)"
            )
        return ids


def _coordinates(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Floats, Floats]:
    x_lon = np.asarray(lon, dtype=np.float64).ravel()
    y_lat = np.asarray(lat, dtype=np.float64).ravel()
    if len(x_lon) != len(y_lat):
        raise InputError(
            f"{len(x_lon)} longitudes but {len(y_lat)} latitudes; give one of each per point"
        )
    return x_lon, y_lat


def _check_degrees(lon: Floats, lat: Floats) -> None:
    bad = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if bad.any():
        first = int(np.argmax(bad))
        raise InputError(
            f"point {first} ({lon[first]}, {lat[first]}) is not lon/lat in degrees;"
            " reproject projected coordinates to WGS84 first"
        )


def _projected(crs: str | int) -> CRS:
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError:
        raise InputError(
            f"crs {crs!r} is not a coordinate system pyproj knows; e.g. 3812"
        ) from None
    unit = parsed.axis_info[0].unit_name if parsed.axis_info else ""
    if not parsed.is_projected or unit != "metre":
        raise InputError(f"crs {crs!r} is not projected in metres; use e.g. 3812 or a UTM zone")
    return parsed


def _invalid_points(usable: npt.NDArray[np.bool_], ids: Ints) -> str:
    unusable = int((~usable).sum())
    outside = int((ids < 0).sum()) - unusable
    first = int(np.argmax(ids < 0))
    return (
        f"{unusable} point(s) with missing, NaN or out-of-range coordinates and {outside}"
        f" outside the grid (first at index {first}); drop them, refit the grid, or use"
        " on_invalid='mark'"
    )
