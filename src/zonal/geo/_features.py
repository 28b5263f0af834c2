"""zones.geojson: the optional boundaries of zones and sectors (RFC 7946, WGS84).

A feature with property `zone_number` is that zone's boundary; one that also has
`sector_code` is the boundary of that sector of the zone. Other properties are ignored, so
a file exported from a GIS can be used as it is.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zonal.errors import RegistryFormatError
from zonal.geo._geojson import check_geometry
from zonal.geo._text import close_matches
from zonal.geo.model import Zone

_WGS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326")


@dataclass(frozen=True)
class Shapes:
    """Checked geometries by zone number and by (zone number, sector code)."""

    zones: dict[str, dict[str, Any]]
    sectors: dict[tuple[str, str], dict[str, Any]]


def read_shapes(path: Path, sectors_by_zone: Mapping[str, Collection[str]]) -> Shapes:
    """The zone and sector geometries of a GeoJSON file, checked against the known zones."""
    features = _features(read_json(path), path.name)
    shapes = Shapes({}, {})
    for index, feature in enumerate(features, start=1):
        where = f"{path.name} feature {index}"
        zone, sector = _keys(feature, where, sectors_by_zone)
        geometry = check_geometry(feature.get("geometry"), where)
        target: dict[Any, dict[str, Any]] = shapes.zones if sector is None else shapes.sectors
        key: Any = zone if sector is None else (zone, sector)
        if key in target:
            raise RegistryFormatError(
                f"{where}: a second boundary for {_label(zone, sector)};"
                " merge the parts into one MultiPolygon feature"
            )
        target[key] = geometry
    return shapes


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise RegistryFormatError(f"{path}: the file does not exist") from None
    except OSError as exc:
        raise RegistryFormatError(f"{path}: the file cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise RegistryFormatError(f"{path.name}: not UTF-8; save the file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise RegistryFormatError(
            f"{path.name} line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})"
        ) from None


def _features(document: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise RegistryFormatError(f"{name}: the file must hold one GeoJSON FeatureCollection")
    crs = document.get("crs")
    crs_name = str(crs.get("properties", {}).get("name", "")) if isinstance(crs, dict) else ""
    if crs is not None and crs_name not in _WGS84_NAMES:
        raise RegistryFormatError(
            f"{name}: the file declares the coordinate system {crs_name or crs!r};"
            " reproject it to WGS84 (EPSG:4326) and remove the crs member"
        )
    features = document.get("features")
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise RegistryFormatError(f"{name}: 'features' must be a list of GeoJSON features")
    return features


def _keys(
    feature: dict[str, Any], where: str, sectors_by_zone: Mapping[str, Collection[str]]
) -> tuple[str, str | None]:
    properties = feature.get("properties")
    raw = properties.get("zone_number") if isinstance(properties, dict) else None
    if raw is None or str(raw).strip() == "":
        raise RegistryFormatError(f"{where}: no property zone_number; add the zone's number")
    zone = str(raw).strip()
    if zone not in sectors_by_zone:
        guesses = close_matches(zone, sectors_by_zone)
        hint = f"did you mean {' or '.join(guesses)}?" if guesses else "add it to zones.csv"
        raise RegistryFormatError(f"{where}: zone_number {zone!r} is not in zones.csv; {hint}")
    sector = properties.get("sector_code") if isinstance(properties, dict) else None
    if sector is None:
        return zone, None
    if str(sector).strip() not in sectors_by_zone[zone]:
        raise RegistryFormatError(
            f"{where}: sector_code {sector!r} is not a sector of zone {zone} in sectors.csv"
        )
    return zone, str(sector).strip()


def _label(zone: str, sector: str | None) -> str:
    return f"zone {zone}" if sector is None else f"sector {sector} of zone {zone}"


def write_shapes(path: Path, zones: Iterable[Zone]) -> None:
    """Write the zone and sector geometries as the FeatureCollection `read_shapes` reads."""
    features = []
    for zone in zones:
        if zone.geometry is not None:
            features.append(_feature({"zone_number": zone.number}, zone.geometry))
        for sector in zone.sectors:
            if sector.geometry is not None:
                keys = {"zone_number": zone.number, "sector_code": sector.code}
                features.append(_feature(keys, sector.geometry))
    document = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _feature(properties: dict[str, str], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}
