"""The zone registry: its file format, its checks and its lookups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zonal.errors import InputError, NotFoundError, RegistryFormatError
from zonal.geo import (
    Municipality,
    Zone,
    ZoneRegistry,
    default_registry,
    load_registry,
    load_registry_folder,
    write_registry,
)

ZONES = """zone_number,name_nl,name_fr,name_de,name_en,parent
5339,Brussel-Hoofdstad/Elsene,Bruxelles-Capitale/Ixelles,,Brussels-Capital/Ixelles,region:04000
5343,Montgomery,,,,region:04000
"""
MUNICIPALITIES = """nis,name_nl,name_fr,name_de,zone_number,lat,lon,population,area_km2
21004,Brussel,Bruxelles,,5339,50.85,4.35,185000,32.6
21009,Elsene,Ixelles,,5339,50.83,4.37,,
21005,Etterbeek,Etterbeek,,5343,,,48000,3.15
"""
SQUARE = [[[4.30, 50.80], [4.40, 50.80], [4.40, 50.90], [4.30, 50.90], [4.30, 50.80]]]


def polygon(coordinates: list[Any] = SQUARE) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": coordinates}


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry or polygon()}


def write(folder: Path, **files: str | dict[str, Any]) -> Path:
    contents = {"zones.csv": ZONES, "municipalities.csv": MUNICIPALITIES}
    contents.update({name.replace("_", "."): text for name, text in files.items()})
    for name, text in contents.items():
        (folder / name).write_text(text if isinstance(text, str) else json.dumps(text))
    return folder


def load(folder: Path) -> ZoneRegistry:
    return load_registry_folder(folder)


def test_loads_zones_with_their_municipalities_in_file_order(tmp_path: Path) -> None:
    registry = load(write(tmp_path))
    assert list(registry.zones) == ["5339", "5343"]
    assert registry.zone("5339").municipalities == ("21004", "21009")
    assert registry.zone_of_municipality("21005").number == "5343"
    assert registry.municipalities["21009"].population is None


def test_an_empty_name_column_takes_the_other_language(tmp_path: Path) -> None:
    zone = load(write(tmp_path)).zone("5343")
    assert (zone.name_nl, zone.name_fr) == ("Montgomery", "Montgomery")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Brussel-Hoofdstad/Elsene"),
        ("en", "Brussels-Capital/Ixelles"),
        ("de", "Bruxelles-Capitale/Ixelles"),
    ],
)
def test_zone_names_fall_back_when_a_language_is_missing(
    tmp_path: Path, language: str, expected: str
) -> None:
    assert load(write(tmp_path)).zone("5339").name(language) == expected


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(InputError, match="'es'.*nl, fr, de, en"):
        default_registry().zone("5339").name("es")


def test_unknown_zone_suggests_close_numbers_and_names() -> None:
    registry = default_registry()
    with pytest.raises(NotFoundError, match=r"'5393'.*5343 \(Montgomery\)"):
        registry.zone("5393")
    with pytest.raises(NotFoundError, match=r"5342 \(Uccle"):
        registry.zone("Ukkel")


def test_unknown_municipality_is_not_found_and_a_malformed_code_is_bad_input() -> None:
    registry = default_registry()
    with pytest.raises(NotFoundError, match="44021 is not in this registry"):
        registry.zone_of_municipality("44021")
    with pytest.raises(InputError, match="'2104' is not 5 digits"):
        registry.zone_of_municipality("2104")


def test_bounds_use_centroids_without_geometry_and_polygons_with(tmp_path: Path) -> None:
    assert load(write(tmp_path)).bounds() == (4.35, 50.83, 4.37, 50.85)
    geojson = {"type": "FeatureCollection", "features": [feature({"zone_number": "5339"})]}
    assert load(write(tmp_path, zones_geojson=geojson)).bounds() == (4.30, 50.80, 4.40, 50.90)


def test_write_then_load_gives_the_same_registry_with_geometry_and_sectors(tmp_path: Path) -> None:
    sectors = "zone_number,sector_code,name\n5339,N,Nord\n5339,S,Sud\n"
    hole = [[4.32, 50.82], [4.34, 50.82], [4.34, 50.84], [4.32, 50.84], [4.32, 50.82]]
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE[0], hole], SQUARE]}
    geojson = {
        "type": "FeatureCollection",
        "features": [
            feature({"zone_number": 5339, "extra": "ignored"}, multi),
            feature({"zone_number": "5339", "sector_code": "N"}),
        ],
    }
    original = load(write(tmp_path, sectors_csv=sectors, zones_geojson=geojson))
    write_registry(original, tmp_path / "out")
    again = load(tmp_path / "out")
    assert again == original
    assert again.zone("5339").sectors[0].geometry == polygon()
    assert again.zone("5339").sectors[1].geometry is None


def test_the_default_registry_round_trips(tmp_path: Path) -> None:
    write_registry(default_registry(), tmp_path)
    assert load(tmp_path) == default_registry()


def test_comment_lines_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    registry = load(write(tmp_path, zones_csv="# source: us\n\n" + ZONES))
    assert len(registry.zones) == 2


def bad(tmp_path: Path, match: str, **files: str | dict[str, Any]) -> None:
    with pytest.raises(RegistryFormatError, match=match):
        load(write(tmp_path, **files))


def test_missing_columns_are_named(tmp_path: Path) -> None:
    bad(
        tmp_path,
        r"zones.csv line 1: missing column\(s\) parent",
        zones_csv="zone_number,name_nl,name_fr\n1,a,b\n",
    )


def test_a_misspelt_column_is_refused(tmp_path: Path) -> None:
    header = MUNICIPALITIES.replace("population", "populaton")
    bad(
        tmp_path,
        r"municipalities.csv line 1: unknown column\(s\) 'populaton'",
        municipalities_csv=header,
    )


def test_duplicate_zone_numbers_name_both_lines(tmp_path: Path) -> None:
    bad(
        tmp_path,
        "zones.csv line 4: zone 5343 is listed twice \\(also line 3\\)",
        zones_csv=ZONES + "5343,X,X,,,federal\n",
    )


def test_a_municipality_in_an_unknown_zone_gets_a_suggestion(tmp_path: Path) -> None:
    rows = MUNICIPALITIES + "21015,Schaarbeek,Schaerbeek,,5334,,,,\n"
    bad(
        tmp_path,
        "line 5: zone_number '5334' is not a zone of zones.csv; did you mean 5343",
        municipalities_csv=rows,
    )


def test_a_municipality_in_two_zones_is_refused(tmp_path: Path) -> None:
    rows = MUNICIPALITIES + "21004,Brussel,Bruxelles,,5343,,,,\n"
    bad(
        tmp_path,
        "line 5: municipality 21004 is put in zone 5343 here and in zone 5339 on line 2",
        municipalities_csv=rows,
    )


def test_a_municipality_listed_twice_in_one_zone_is_refused(tmp_path: Path) -> None:
    rows = MUNICIPALITIES + "21004,Brussel,Bruxelles,,5339,,,,\n"
    bad(tmp_path, "line 5: municipality 21004 is listed twice", municipalities_csv=rows)


@pytest.mark.parametrize("nis", ["2104", "210044", "21OO4", ""])
def test_a_nis_code_must_be_five_digits(tmp_path: Path, nis: str) -> None:
    rows = MUNICIPALITIES + f"{nis},X,X,,5339,,,,\n"
    bad(tmp_path, f"line 5: NIS code '{nis}' is not 5 digits", municipalities_csv=rows)


@pytest.mark.parametrize(
    ("lat", "lon", "match"),
    [
        ("95", "4.3", "lat '95' is outside -90..90"),
        ("50.8", "181", "lon '181' is outside"),
        ("50,8", "4", "values for 9 columns"),
        ("x", "4", "lat 'x' is not a number"),
        ("50.8", "", "both lat and lon"),
    ],
)
def test_coordinates_must_be_in_range(tmp_path: Path, lat: str, lon: str, match: str) -> None:
    rows = MUNICIPALITIES + f"21015,Schaarbeek,Schaerbeek,,5339,{lat},{lon},,\n"
    bad(tmp_path, f"municipalities.csv line 5: .*{match}", municipalities_csv=rows)


def test_a_population_must_be_a_whole_number(tmp_path: Path) -> None:
    rows = MUNICIPALITIES + "21015,Schaarbeek,Schaerbeek,,5339,,,-3,\n"
    bad(tmp_path, "population '-3' is not a whole number", municipalities_csv=rows)


def test_a_zone_without_municipalities_is_refused(tmp_path: Path) -> None:
    bad(
        tmp_path,
        "zones.csv line 4: zone 5344 has no municipality",
        zones_csv=ZONES + "5344,Noord,Nord,,,region:04000\n",
    )


def test_a_parent_must_follow_the_pattern(tmp_path: Path) -> None:
    bad(
        tmp_path,
        "line 2: parent 'Brussels' is not federal",
        zones_csv=ZONES.replace("region:04000", "Brussels", 1),
    )


def test_a_geometry_for_an_unknown_zone_is_refused(tmp_path: Path) -> None:
    geojson = {"type": "FeatureCollection", "features": [feature({"zone_number": "5393"})]}
    bad(
        tmp_path,
        "zones.geojson feature 1: zone_number '5393' is not in zones.csv; did you mean .*5339",
        zones_geojson=geojson,
    )


def test_a_geometry_for_an_unknown_sector_is_refused(tmp_path: Path) -> None:
    geojson = {
        "type": "FeatureCollection",
        "features": [feature({"zone_number": "5339", "sector_code": "Z"})],
    }
    bad(tmp_path, "sector_code 'Z' is not a sector of zone 5339", zones_geojson=geojson)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    bad(tmp_path, "zones.geojson line 2 column 1: invalid JSON", zones_geojson='{"type":\n}')


@pytest.mark.parametrize(
    ("geometry", "match"),
    [
        ({"type": "Point", "coordinates": [4.3, 50.8]}, "'Point' is not an area"),
        (
            polygon([[[4.3, 50.8], [4.4, 50.8], [4.4, 50.9], [4.3, 50.9]]]),
            "ring 1: the ring is not closed",
        ),
        (polygon([[[150000.0, 170000.0]] * 4]), "looks projected: reproject it to EPSG:4326"),
        (polygon([[[4.3, 50.8], [4.4, 50.8], [4.3, 50.8]]]), "at least 4 positions"),
    ],
)
def test_bad_geometries_are_explained(tmp_path: Path, geometry: dict[str, Any], match: str) -> None:
    geojson = {
        "type": "FeatureCollection",
        "features": [feature({"zone_number": "5339"}, geometry)],
    }
    bad(tmp_path, f"zones.geojson feature 1.*{match}", zones_geojson=geojson)


def test_a_declared_projected_crs_is_refused(tmp_path: Path) -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}}
    geojson = {"type": "FeatureCollection", "crs": crs, "features": []}
    bad(tmp_path, "EPSG::31370.*reproject it to WGS84", zones_geojson=geojson)


def test_two_boundaries_for_one_zone_are_refused(tmp_path: Path) -> None:
    both = [feature({"zone_number": "5339"}), feature({"zone_number": "5339"})]
    bad(
        tmp_path,
        "feature 2: a second boundary for zone 5339",
        zones_geojson={"type": "FeatureCollection", "features": both},
    )


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RegistryFormatError, match="municipalities.csv: the file does not exist"):
        load_registry(write(tmp_path) / "zones.csv", tmp_path / "nope" / "municipalities.csv")


def test_a_non_utf8_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "zones.csv").write_bytes(ZONES.replace("Elsene", "Els\xe8ne").encode("latin-1"))
    with pytest.raises(RegistryFormatError, match="zones.csv: not UTF-8"):
        load(tmp_path)


def test_the_constructor_refuses_zones_and_municipalities_that_disagree() -> None:
    zone = Zone("1", "A", "A", None, None, "federal", ("11001",), (), None)
    stray = Municipality("11002", "B", "B", None, "1", None, None, None, None)
    with pytest.raises(RegistryFormatError, match="zone 1 lists municipalities"):
        ZoneRegistry([zone], [stray])
    with pytest.raises(RegistryFormatError, match="11001 is in zone '2', which the registry"):
        ZoneRegistry([zone], [Municipality("11001", "A", "A", None, "2", None, None, None, None)])


def test_the_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        default_registry().zones["9999"] = default_registry().zone("5339")  # type: ignore[index]
