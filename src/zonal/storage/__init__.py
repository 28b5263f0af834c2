"""Adapters to the relational store (SQLite by default, PostgreSQL supported)."""

from __future__ import annotations

from zonal.storage.engine import make_engine, session_factory
from zonal.storage.incidents import (
    counts_by_zone_and_cluster,
    dataset_counts,
    read_incidents,
    write_incidents,
)
from zonal.storage.migrate import current_revision, head_revision, upgrade
from zonal.storage.registry import load_stored_registry, save_registry

__all__ = [
    "counts_by_zone_and_cluster",
    "current_revision",
    "dataset_counts",
    "head_revision",
    "load_stored_registry",
    "make_engine",
    "read_incidents",
    "save_registry",
    "session_factory",
    "upgrade",
    "write_incidents",
]
