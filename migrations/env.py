"""Alembic environment: the engine comes from zonal.storage.migrate (or ZONAL_DATABASE_URL)."""

from __future__ import annotations

from alembic import context

import zonal.storage.complaints.tables  # noqa: F401
from zonal.settings import get_settings
from zonal.storage.engine import make_engine
from zonal.storage.tables import Base

config = context.config
engine = config.attributes.get("engine") or make_engine(get_settings().resolved_database_url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
