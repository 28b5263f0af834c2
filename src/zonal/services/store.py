"""Opening the store: engine, schema and the zone registry it starts with."""

from __future__ import annotations

from sqlalchemy import Engine

from zonal.geo import ZoneRegistry, default_registry
from zonal.settings import Settings, get_settings
from zonal.storage import load_stored_registry, make_engine, save_registry, upgrade


def open_store(settings: Settings | None = None, *, migrate: bool = True) -> Engine:
    """An engine on the configured store, its schema at the newest revision.

    A store without zones gets the shipped default registry (the six Brussels zones), so a
    new installation is usable at once; `zonal zones load` replaces it.
    """
    engine = make_engine((settings or get_settings()).resolved_database_url)
    if migrate:
        upgrade(engine)
        if load_stored_registry(engine) is None:
            save_registry(engine, default_registry())
    return engine


def registry_of(engine: Engine) -> ZoneRegistry:
    """The store's zone registry, or the shipped default when it holds none."""
    return load_stored_registry(engine) or default_registry()
