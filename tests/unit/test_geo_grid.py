"""The metric grid: projection choice, aligned cells with stable ids, cell geometry and zone
coverage."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonal.errors import InputError, ZonalError
from zonal.geo import MetricGrid, default_registry
from zonal.geo.grid import cell_key, key_row_col
from zonal.geo.model import Zone

BRUSSELS_LON = np.array([4.30, 4.35, 4.40, 4.42])
BRUSSELS_LAT = np.array([50.80, 50.85, 50.88, 50.83])


def fitted(cell_size_m: float = 250.0) -> MetricGrid:
    return MetricGrid(cell_size_m).fit(BRUSSELS_LON, BRUSSELS_LAT)


def metres_between(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> float:
    """Great-circle distance: independent of the projection the grid uses."""
    phi_a, phi_b = math.radians(lat_a), math.radians(lat_b)
    d_phi, d_lambda = phi_b - phi_a, math.radians(lon_b - lon_a)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def test_belgian_data_uses_belgian_lambert_2008() -> None:
    assert fitted().crs_.to_epsg() == 3812


def test_data_elsewhere_uses_the_utm_zone_of_its_centre() -> None:
    houston = MetricGrid().fit([-95.5, -95.2], [29.6, 29.9])
    assert houston.crs_.to_epsg() == 32615
    assert MetricGrid().fit([151.2], [-33.9]).crs_.to_epsg() == 32756  # Sydney, south


def test_a_given_crs_is_used_and_must_be_metric() -> None:
    assert MetricGrid(crs=31370).fit(BRUSSELS_LON, BRUSSELS_LAT).crs_.to_epsg() == 31370
    with pytest.raises(InputError, match="crs 4326 is not projected in metres"):
        MetricGrid(crs=4326).fit(BRUSSELS_LON, BRUSSELS_LAT)
    with pytest.raises(InputError, match="'EPSG:nope' is not a coordinate system"):
        MetricGrid(crs="EPSG:nope").fit(BRUSSELS_LON, BRUSSELS_LAT)


def test_cells_are_the_requested_size_on_the_ground() -> None:
    grid = fitted(500)
    row, col = 3, 4
    west = grid.cell_centres(grid.cell_id([row], [col]))
    east = grid.cell_centres(grid.cell_id([row], [col + 1]))
    north = grid.cell_centres(grid.cell_id([row + 1], [col]))
    assert metres_between(west[0][0], west[1][0], east[0][0], east[1][0]) == pytest.approx(
        500, rel=0.01
    )
    assert metres_between(west[0][0], west[1][0], north[0][0], north[1][0]) == pytest.approx(
        500, rel=0.01
    )
    assert north[1][0] > west[1][0] and east[0][0] > west[0][0]  # row 0 south, col 0 west


def test_every_fitted_point_gets_a_cell_and_centres_map_back_to_their_cell() -> None:
    grid = fitted()
    ids = grid.assign(BRUSSELS_LON, BRUSSELS_LAT)
    assert (ids >= 0).all()
    lon, lat = grid.cell_centres(ids)
    assert (grid.assign(lon, lat) == ids).all()


def test_ids_rows_and_columns_convert_both_ways() -> None:
    grid = fitted()
    ids = grid.cells_frame()["cell_id"].to_numpy()
    rows, cols = grid.row_col(ids)
    assert (grid.cell_id(rows, cols) == ids).all()
    assert rows.max() == grid.n_rows_ - 1 and cols.max() == grid.n_cols_ - 1


@settings(max_examples=50, deadline=None)
@given(st.floats(4.30, 4.42), st.floats(50.80, 50.88))
def test_a_point_lies_inside_the_polygon_of_its_cell(lon: float, lat: float) -> None:
    grid = fitted()
    (cell,) = grid.assign([lon], [lat])
    ring = np.asarray(grid.cell_polygon(int(cell))["coordinates"][0])
    # cells are near-rectangles in lon/lat at this scale: compare with their corner box
    assert ring[:, 0].min() - 1e-6 <= lon <= ring[:, 0].max() + 1e-6
    assert ring[:, 1].min() - 1e-6 <= lat <= ring[:, 1].max() + 1e-6


def test_nan_coordinates_are_marked_not_fatal() -> None:
    grid = fitted()
    ids = grid.assign([4.35, math.nan, 4.35, 9.0], [50.85, 50.85, math.nan, 50.85])
    assert ids[0] >= 0 and list(ids[1:]) == [-1, -1, -1]


def test_nan_and_outside_points_are_reported_when_asked_to_raise() -> None:
    with pytest.raises(
        InputError,
        match=r"2 point\(s\) with missing, NaN .* 1 outside the grid \(first at index 1\)",
    ):
        fitted().assign(
            [4.35, math.nan, 4.35, 9.0], [50.85, 50.85, math.nan, 50.85], on_invalid="raise"
        )


def test_fit_skips_nan_points_and_counts_them() -> None:
    grid = MetricGrid().fit([4.3, math.nan, 4.4], [50.8, 50.9, 50.9])
    assert grid.n_skipped_ == 1


@pytest.mark.parametrize(
    ("lon", "lat", "match"),
    [
        ([], [], "no points given"),
        ([math.nan], [math.nan], "all missing/NaN"),
        ([4.3, 4.4], [50.8], "2 longitudes but 1 latitudes"),
        ([150000.0], [170000.0], r"point 0 \(150000.0, 170000.0\) is not lon/lat"),
    ],
)
def test_unusable_points_are_refused(lon: list[float], lat: list[float], match: str) -> None:
    with pytest.raises(InputError, match=match):
        MetricGrid().fit(lon, lat)


@pytest.mark.parametrize("size", [0, -250, math.nan, math.inf])
def test_a_cell_size_must_be_positive(size: float) -> None:
    with pytest.raises(InputError, match="cell_size_m .* must be a number of metres > 0"):
        MetricGrid(size).fit(BRUSSELS_LON, BRUSSELS_LAT)


def test_an_unfitted_grid_says_to_fit_first() -> None:
    with pytest.raises(ZonalError, match="call fit"):
        MetricGrid().assign([4.3], [50.8])


def test_ids_outside_the_grid_are_refused() -> None:
    grid = fitted()
    with pytest.raises(InputError, match=f"cell id {grid.n_cells_} is not a cell"):
        grid.cell_centres([grid.n_cells_])
    with pytest.raises(InputError, match="outside the grid"):
        grid.cell_id([-1], [0])


def test_assign_frame_adds_a_cell_column() -> None:
    frame = pl.DataFrame({"lon": [4.35, None], "lat": [50.85, 50.85]})
    out = fitted().assign_frame(frame)
    assert out.columns == ["lon", "lat", "cell_id"]
    assert out["cell_id"][0] >= 0 and out["cell_id"][1] == -1


def test_cells_frame_lists_every_cell_once() -> None:
    grid = fitted(1000)
    cells = grid.cells_frame()
    assert cells.height == grid.n_cells_ and cells["cell_id"].n_unique() == grid.n_cells_


def square_with_hole() -> dict[str, Any]:
    outer = [[4.30, 50.80], [4.40, 50.80], [4.40, 50.86], [4.30, 50.86], [4.30, 50.80]]
    hole = [[4.34, 50.82], [4.36, 50.82], [4.36, 50.84], [4.34, 50.84], [4.34, 50.82]]
    diamond = [[4.45, 50.83], [4.47, 50.85], [4.45, 50.87], [4.43, 50.85], [4.45, 50.83]]
    return {"type": "MultiPolygon", "coordinates": [[outer, hole], [diamond]]}


def brute_force_cover(grid: MetricGrid, geometry: dict[str, Any]) -> set[int]:
    """Cells with any of 41 x 41 sample points inside the polygon (slow, obviously right)."""
    from zonal.geo._raster import inside

    rings = [np.asarray(r, dtype=float) for part in geometry["coordinates"] for r in part]
    grid_rings = [grid._to_grid(ring) for ring in rings]
    rows, cols = np.divmod(np.arange(grid.n_cells_), grid.n_cols_)
    steps = np.linspace(0.0, 1.0, 41)
    found = set()
    for step_x in steps:
        for step_y in steps:
            hit = inside(cols + step_x, rows + step_y, grid_rings)
            found |= set(grid.cell_id(rows[hit], cols[hit]).tolist())
    return found


def test_cells_covering_a_geometry_are_exactly_those_that_overlap_it() -> None:
    geometry = square_with_hole()
    grid = MetricGrid(500).fit_geometry(geometry)
    assert set(grid.cells_covering(geometry).tolist()) == brute_force_cover(grid, geometry)


def test_a_hole_has_no_cells_of_its_own() -> None:
    geometry = square_with_hole()
    grid = MetricGrid(250).fit_geometry(geometry)
    covered = set(grid.cells_covering(geometry).tolist())
    (middle,) = grid.assign([4.35], [50.83])
    assert int(middle) not in covered


def test_a_zone_without_boundary_is_fitted_on_its_municipalities_but_not_covered() -> None:
    registry = default_registry()
    zone = registry.zone("5343")
    grid = MetricGrid(250).fit_zone(zone, registry)
    ids = grid.assign(
        *zip(*[(m.lon, m.lat) for m in registry.municipalities_of("5343")], strict=True)
    )
    assert (ids >= 0).all()
    with pytest.raises(InputError, match="zone 5343 has no boundary"):
        grid.cells_covering(zone)
    with pytest.raises(InputError, match="give the registry"):
        MetricGrid().fit_zone(zone)


def test_a_zone_with_a_boundary_is_covered() -> None:
    zone = Zone("1", "A", "A", None, None, "federal", ("21004",), (), square_with_hole())
    grid = MetricGrid(1000).fit_zone(zone)
    assert len(grid.cells_covering(zone)) > 0


def test_assigning_no_points_gives_no_cells() -> None:
    assert fitted().assign([], []).shape == (0,)


def test_a_grid_fitted_on_a_box_gives_a_cell_to_every_point_in_it() -> None:
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(4.30, 4.42, 1_000_000), rng.uniform(50.80, 50.88, 1_000_000)
    ids = MetricGrid(250).fit_bounds((4.30, 50.80, 4.42, 50.88)).assign(lon, lat)
    assert ids.shape == (1_000_000,) and (ids >= 0).all()


# EPSG:3812's natural origin, 4°21'33.177" E 50°47'52.134" N, has false easting 649328 m and
# false northing 665262 m. With 150 m cells: floor(649328 / 150) = 4328 (x from 649200) and
# floor(665262 / 150) = 4435 (y from 665250).
ORIGIN_LON = 4 + 21 / 60 + 33.177 / 3600
ORIGIN_LAT = 50 + 47 / 60 + 52.134 / 3600


def test_a_belgian_point_lands_in_the_cell_of_its_lambert_2008_coordinates() -> None:
    grid = MetricGrid(150).fit([ORIGIN_LON, 4.40], [ORIGIN_LAT, 50.85])
    assert grid.crs_.to_epsg() == 3812
    (cell,) = grid.assign([ORIGIN_LON], [ORIGIN_LAT])
    assert int(cell) == int(cell_key(4435, 4328))
    x, y = grid.cell_corners([cell])
    assert (x[0], y[0]) == (649200.0, 665250.0)


def test_cells_are_aligned_on_multiples_of_the_cell_size() -> None:
    cells = MetricGrid(150).fit(BRUSSELS_LON, BRUSSELS_LAT).cells_frame()
    assert (cells["x"] % 150 == 0).all() and (cells["y"] % 150 == 0).all()
    assert cells.select("x", "y").n_unique() == cells.height


def test_two_runs_over_different_extents_give_a_point_the_same_id() -> None:
    whole = MetricGrid(150).fit(BRUSSELS_LON, BRUSSELS_LAT)
    east = MetricGrid(150).fit([4.36, 4.42], [50.84, 50.88])  # another zone, another corner
    assert (whole.x0_, whole.n_cols_) != (east.x0_, east.n_cols_)
    lon, lat = [4.37, 4.401, 4.419], [50.845, 50.861, 50.879]
    ids = whole.assign(lon, lat)
    assert (ids >= 0).all() and (east.assign(lon, lat) == ids).all()
    assert (whole.cell_centres(ids)[0] == east.cell_centres(ids)[0]).all()


def test_a_point_on_a_boundary_belongs_to_the_cell_that_starts_there() -> None:
    grid = MetricGrid(150, crs=3812).fit([4.30, 4.42], [50.80, 50.88])
    col, row = grid.col0_ + 3, grid.row0_ + 2
    x, y = col * 150.0, row * 150.0  # the lower-left corner of the cell (row, col)
    on_corner, just_before = grid.assign_xy([x, x - 1e-6], [y, y - 1e-6])
    assert on_corner == cell_key(row, col) and just_before == cell_key(row - 1, col - 1)
    assert grid.assign_xy([x + 75.0], [y])[0] == cell_key(row, col)  # bottom edge: same cell


def test_cell_keys_round_trip_for_negative_coordinates_too() -> None:
    rows, cols = np.array([-3, 0, 7, -1]), np.array([5, -2, 0, 2**31 - 2])
    ids = cell_key(rows, cols)
    assert len(set(ids.tolist())) == 4 and -1 not in ids
    back_rows, back_cols = key_row_col(ids)
    assert (back_rows == rows).all() and (back_cols == cols).all()


def test_points_outside_the_fitted_extent_or_nan_in_metres_have_no_cell() -> None:
    grid = MetricGrid(150, crs=3812).fit([4.30, 4.42], [50.80, 50.88])
    assert list(grid.assign_xy([math.nan, grid.x0_ - 1.0], [grid.y0_, grid.y0_])) == [-1, -1]
