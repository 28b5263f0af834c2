"""The registry Zonal ships: the six police zones of the Brussels-Capital Region."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from zonal.geo.registry import ZoneRegistry
from zonal.geo.registry_io import load_registry_folder

# A plain path: Zonal is installed as files (wheel or editable), never imported from a zip.
DEFAULT_REGISTRY_FOLDER = Path(__file__).parent / "data" / "brussels"


@cache
def default_registry() -> ZoneRegistry:
    """The shipped Brussels registry: six zones, 19 municipalities, centroids, no boundaries.

    Loaded through `load_registry` like any user registry, so the shipped files are held to
    the documented format; cached because every request shares it and it is read-only.
    """
    return load_registry_folder(DEFAULT_REGISTRY_FOLDER)
