"""Load and write a zone registry in the documented CSV + GeoJSON format (docs/geography.md).

Every check names the file, the line (or GeoJSON feature) and what to change, because the
people who maintain these files are analysts of a zone, not developers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from zonal.errors import RegistryFormatError
from zonal.geo._features import Shapes, read_shapes, write_shapes
from zonal.geo._tables import Row, read_rows, write_rows
from zonal.geo._text import close_matches
from zonal.geo.model import Municipality, Sector, Zone
from zonal.geo.registry import ZoneRegistry

ZONE_COLUMNS = ("zone_number", "name_nl", "name_fr", "name_de", "name_en", "parent")
MUNICIPALITY_COLUMNS = (
    "nis",
    "name_nl",
    "name_fr",
    "name_de",
    "zone_number",
    "lat",
    "lon",
    "population",
    "area_km2",
)
SECTOR_COLUMNS = ("zone_number", "sector_code", "name")
_PARENT = re.compile(r"^(federal|(province|region):\d{5})$")
_NIS = re.compile(r"^\d{5}$")


@dataclass
class _ZoneDraft:
    """A zones.csv row while the other files fill in its members."""

    row: Row
    zone: Zone
    municipalities: list[str]
    sectors: list[Sector]


def load_registry(
    zones_csv: Path,
    municipalities_csv: Path,
    geojson: Path | None = None,
    sectors_csv: Path | None = None,
) -> ZoneRegistry:
    """Read a registry from its files; RegistryFormatError says which line breaks which rule.

    Args:
        zones_csv: one row per zone (zone_number, name_nl, name_fr, parent; name_de, name_en).
        municipalities_csv: one row per municipality, each in exactly one listed zone.
        geojson: optional zone (and sector) boundaries, WGS84, property `zone_number`.
        sectors_csv: optional sectors of zones (zone_number, sector_code, name).

    Returns:
        The registry, zones in file order.
    """
    drafts = _read_zones(zones_csv)
    municipalities = _read_municipalities(municipalities_csv, drafts)
    if sectors_csv is not None:
        _read_sectors(sectors_csv, drafts)
    sectors = {number: {s.code for s in d.sectors} for number, d in drafts.items()}
    shapes = read_shapes(geojson, sectors) if geojson is not None else Shapes({}, {})
    for draft in drafts.values():
        if not draft.municipalities:
            raise draft.row.error(
                f"zone {draft.zone.number} has no municipality in {municipalities_csv.name};"
                " add its municipalities or remove the zone"
            )
    return ZoneRegistry([_finish(d, shapes) for d in drafts.values()], municipalities)


def load_registry_folder(folder: Path) -> ZoneRegistry:
    """Read zones.csv, municipalities.csv and, when present, sectors.csv and zones.geojson."""
    if not folder.is_dir():
        raise RegistryFormatError(f"{folder} is not a folder; give the folder of zones.csv")
    geojson, sectors = folder / "zones.geojson", folder / "sectors.csv"
    return load_registry(
        folder / "zones.csv",
        folder / "municipalities.csv",
        geojson if geojson.exists() else None,
        sectors if sectors.exists() else None,
    )


def write_registry(registry: ZoneRegistry, folder: Path) -> None:
    """Write the four registry files into `folder`; `load_registry_folder` reads them back."""
    folder.mkdir(parents=True, exist_ok=True)
    zones = registry.zones.values()
    write_rows(folder / "zones.csv", ZONE_COLUMNS, (_zone_cells(z) for z in zones))
    write_rows(
        folder / "municipalities.csv",
        MUNICIPALITY_COLUMNS,
        (_municipality_cells(m) for m in registry.municipalities.values()),
    )
    sectors = [(s.zone, s.code, s.name) for z in zones for s in z.sectors]
    write_rows(folder / "sectors.csv", SECTOR_COLUMNS, sectors)
    write_shapes(folder / "zones.geojson", zones)


def _read_zones(path: Path) -> dict[str, _ZoneDraft]:
    drafts: dict[str, _ZoneDraft] = {}
    for row in read_rows(path, ("zone_number", "name_nl", "name_fr", "parent"), ZONE_COLUMNS):
        number = row.text("zone_number")
        if not number:
            raise row.error("zone_number is empty; every zone needs its number")
        if number in drafts:
            first = drafts[number].row.line
            raise row.error(f"zone {number} is listed twice (also line {first}); keep one row")
        drafts[number] = _ZoneDraft(row, _zone_from(row, number), [], [])
    return drafts


def _zone_from(row: Row, number: str) -> Zone:
    name_nl, name_fr = _names(row)
    parent = row.text("parent")
    if not _PARENT.match(parent):
        raise row.error(
            f"parent {parent!r} is not federal, province:NNNNN or region:NNNNN (NIS codes);"
            " e.g. region:04000 for the Brussels-Capital Region"
        )
    return Zone(
        number=number,
        name_nl=name_nl,
        name_fr=name_fr,
        name_de=row.optional_text("name_de"),
        name_en=row.optional_text("name_en"),
        parent=parent,
        municipalities=(),
        sectors=(),
        geometry=None,
    )


def _names(row: Row) -> tuple[str, str]:
    # Most zones and municipalities have one name in both languages: either column may be
    # left empty and takes the other's value.
    name_nl, name_fr = row.text("name_nl"), row.text("name_fr")
    if not (name_nl or name_fr):
        raise row.error("name_nl and name_fr are both empty; give at least one name")
    return name_nl or name_fr, name_fr or name_nl


def _read_municipalities(path: Path, drafts: dict[str, _ZoneDraft]) -> list[Municipality]:
    seen: dict[str, tuple[Row, str]] = {}
    found = []
    for row in read_rows(path, ("nis", "name_nl", "name_fr", "zone_number"), MUNICIPALITY_COLUMNS):
        municipality = _municipality_from(row, drafts)
        if municipality.nis in seen:
            raise _twice(row, municipality, *seen[municipality.nis])
        seen[municipality.nis] = (row, municipality.zone)
        drafts[municipality.zone].municipalities.append(municipality.nis)
        found.append(municipality)
    return found


def _municipality_from(row: Row, drafts: dict[str, _ZoneDraft]) -> Municipality:
    nis = row.text("nis")
    if not _NIS.match(nis):
        raise row.error(f"NIS code {nis!r} is not 5 digits; write it like 21004 (keep leading 0s)")
    name_nl, name_fr = _names(row)
    lat = row.optional_float("lat", -90.0, 90.0)
    lon = row.optional_float("lon", -180.0, 180.0)
    if (lat is None) != (lon is None):
        raise row.error("give both lat and lon, or neither")
    return Municipality(
        nis=nis,
        name_nl=name_nl,
        name_fr=name_fr,
        name_de=row.optional_text("name_de"),
        zone=_known_zone(row, drafts),
        lat=lat,
        lon=lon,
        population=row.optional_int("population"),
        area_km2=row.optional_float("area_km2", 0.0, 1e6),
    )


def _known_zone(row: Row, drafts: dict[str, _ZoneDraft]) -> str:
    number = row.text("zone_number")
    if number not in drafts:
        guesses = close_matches(number, drafts)
        hint = f"; did you mean {' or '.join(guesses)}?" if guesses else "; add the zone first"
        raise row.error(f"zone_number {number!r} is not a zone of zones.csv{hint}")
    return number


def _twice(row: Row, municipality: Municipality, first: Row, zone: str) -> RegistryFormatError:
    if zone != municipality.zone:
        return row.error(
            f"municipality {municipality.nis} is put in zone {municipality.zone} here and in"
            f" zone {zone} on line {first.line}; a municipality belongs to exactly one zone"
        )
    return row.error(f"municipality {municipality.nis} is listed twice (also line {first.line})")


def _read_sectors(path: Path, drafts: dict[str, _ZoneDraft]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in read_rows(path, SECTOR_COLUMNS):
        zone, code = _known_zone(row, drafts), row.text("sector_code")
        if not code:
            raise row.error("sector_code is empty; give each sector a code unique in its zone")
        if (zone, code) in seen:
            raise row.error(
                f"sector {code} of zone {zone} is listed twice (also line {seen[zone, code]})"
            )
        seen[zone, code] = row.line
        drafts[zone].sectors.append(Sector(zone, code, row.text("name") or code, None))


def _finish(draft: _ZoneDraft, shapes: Shapes) -> Zone:
    number = draft.zone.number
    sectors = tuple(
        replace(sector, geometry=shapes.sectors.get((number, sector.code)))
        for sector in draft.sectors
    )
    return replace(
        draft.zone,
        municipalities=tuple(draft.municipalities),
        sectors=sectors,
        geometry=shapes.zones.get(number),
    )


def _zone_cells(zone: Zone) -> tuple[object, ...]:
    return (zone.number, zone.name_nl, zone.name_fr, zone.name_de, zone.name_en, zone.parent)


def _municipality_cells(m: Municipality) -> tuple[object, ...]:
    return (m.nis, m.name_nl, m.name_fr, m.name_de, m.zone, m.lat, m.lon, m.population, m.area_km2)
