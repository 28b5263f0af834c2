"""The store's zone registry, as every use case reads it."""

from __future__ import annotations

from sqlalchemy import Engine

from zonal.geo import ZoneRegistry, default_registry
from zonal.storage import load_stored_registry


def registry_of(engine: Engine) -> ZoneRegistry:
    """The store's zone registry, or the shipped default when it holds none."""
    return load_stored_registry(engine) or default_registry()
