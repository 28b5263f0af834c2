"""Adapters to the relational store (SQLite by default, PostgreSQL supported)."""

from __future__ import annotations

from zonal.storage.engine import make_engine, session_factory
from zonal.storage.migrate import current_revision, head_revision, upgrade
from zonal.storage.unit_of_work import SqlStoreUnitOfWork

__all__ = [
    "SqlStoreUnitOfWork",
    "current_revision",
    "head_revision",
    "make_engine",
    "session_factory",
    "upgrade",
]
