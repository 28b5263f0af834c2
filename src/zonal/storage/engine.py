"""Engines and sessions for the store: SQLite by default, PostgreSQL supported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from zonal.errors import ConfigurationError


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the folder of a SQLite file and turns on its foreign keys.

    Raises:
        ConfigurationError: the URL is malformed or names a backend Zonal does not support.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"ZONAL_DATABASE_URL {url!r} is not a database URL") from exc
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            f"database backend {backend!r} is not supported: use sqlite:///FILE or "
            "postgresql+psycopg://USER@HOST/DB"
        )
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, future=True)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL stays consistent after a crash and makes bulk imports fast.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # SQLite has one writer at a time; the others wait for the lock. Python's default of 5 s
    # fails writers queued behind a burst on one case ("database is locked"), so wait longer.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine` that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
