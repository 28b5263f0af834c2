"""The Flemish provinces' open data on police zones (reference data in ../shared/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zonal.errors import RegistryFormatError
from zonal.geo import ZoneRegistry, load_flemish_open_data


@pytest.fixture(scope="module")
def flanders(shared_data: Path) -> ZoneRegistry:
    return load_flemish_open_data(shared_data / "belgium")


@pytest.mark.shared_data
def test_every_listed_police_zone_is_loaded_with_its_boundary(flanders: ZoneRegistry) -> None:
    assert len(flanders.zones) == 107
    assert all(zone.geometry is not None for zone in flanders.zones.values())
    # 285 Flemish municipalities on the 2025 map plus the 19 of Brussels
    assert len(flanders.municipalities) == 304


@pytest.mark.shared_data
def test_the_mismatch_between_listed_codes_and_boundaries_is_reported(
    flanders: ZoneRegistry,
) -> None:
    (warning,) = flanders.warnings
    assert "111 zone codes listed, 107 boundaries" in warning
    for code in ("ipz991", "ipz992", "ipz993", "ipz999"):
        assert code in warning
        assert code not in flanders.zones


@pytest.mark.shared_data
def test_zone_numbers_are_the_local_codes_and_brussels_zones_keep_their_members(
    flanders: ZoneRegistry,
) -> None:
    zone = flanders.zone_of_municipality("21004")
    assert zone.number == "ipz28"
    assert set(zone.municipalities) == {"21004", "21009"}
    assert zone.parent == "region:04000"


@pytest.mark.shared_data
def test_flemish_zones_sit_in_their_province_and_get_french_names(flanders: ZoneRegistry) -> None:
    ghent = flanders.zone_of_municipality("44021")
    assert ghent.parent == "province:40000"
    assert flanders.municipalities["44021"].name_fr == "Gand"


@pytest.mark.shared_data
def test_postal_codes_resolve_against_it(flanders: ZoneRegistry) -> None:
    assert flanders.zones_for_postal_code("9000").zones == ("ipz93",)


@pytest.mark.shared_data
def test_bounds_cover_flanders_and_brussels(flanders: ZoneRegistry) -> None:
    bounds = flanders.bounds()
    assert bounds is not None
    west, south, east, north = bounds
    assert 2.5 < west < 2.6 and 5.8 < east < 6.0 and 50.6 < south < 50.8 and 51.4 < north < 51.6


def test_a_folder_without_the_files_says_which_is_missing(tmp_path: Path) -> None:
    with pytest.raises(RegistryFormatError, match="police_zones_flanders_brussels_2025.csv"):
        load_flemish_open_data(tmp_path)


def test_a_small_extract_in_the_same_format_loads_and_reports_gaps(tmp_path: Path) -> None:
    (tmp_path / "police_zones_flanders_brussels_2025.csv").write_text(
        "sequence nr,geoitem code,short name,name\n"
        "1,ipz1,PZ Hekla,PZ Hekla\n2,ipz2,PZ Antwerpen,PZ Antwerpen\n"
        "3,ipz999,Buiten Vlaanderen en Brussel,Buiten Vlaanderen en Brussel\n"
    )
    (tmp_path / "police_zone_municipalities_flanders_brussels_2025.csv").write_text(
        "gemeente,Name gemeente,politiezone,Name samenwerking politie\n"
        "11001,Aartselaar,ipz1,PZ Hekla\n11002,Antwerpen,ipz2,PZ Antwerpen\n"
        "99999,Buiten Vlaanderen en Brussel,ipz999,Buiten Vlaanderen en Brussel\n"
    )
    square = [[[4.3, 51.1], [4.4, 51.1], [4.4, 51.2], [4.3, 51.1]]]
    feature = {"type": "Feature", "properties": {"politiezone": "ipz1"}}
    geojson = {
        "type": "FeatureCollection",
        "features": [{**feature, "geometry": {"type": "Polygon", "coordinates": square}}],
    }
    (tmp_path / "police_zones_flanders_brussels_2025.geojson").write_text(json.dumps(geojson))
    registry = load_flemish_open_data(tmp_path)
    assert list(registry.zones) == ["ipz1", "ipz2"]
    assert registry.zone("ipz1").parent == "province:10000"
    dropped, no_boundary = registry.warnings
    assert "ipz999" in dropped and "3 zone codes listed, 1 boundaries" in dropped
    assert "no boundary for zone(s) ipz2" in no_boundary
