"""The SQL unit of work of the analytic store: one session, its repositories, and on
PostgreSQL an ADBC connection for bulk incident I/O; rolled back unless committed."""

from __future__ import annotations

from typing import Any, Self

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from zonal.services.ports import StoreUnitOfWork
from zonal.storage.forecasts import SqlForecastRunRepository
from zonal.storage.import_runs import SqlImportRunRepository
from zonal.storage.incidents import SqlIncidentRepository, adbc_connection
from zonal.storage.plans import SqlPlanRepository
from zonal.storage.registry import SqlRegistryRepository


class SqlStoreUnitOfWork:
    """Use as `with uow: ...; uow.commit()`; it may be entered again once left.

    On PostgreSQL incidents travel on an ADBC connection opened on first use beside the
    session, so they cannot see the session's uncommitted rows: a use case commits an import
    run before writing the incidents that refer to it. `commit` commits the bulk connection
    first, then the session.

    Args:
        engine: the store (zonal.storage.make_engine), its schema migrated.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session: Session | None = None
        self._bulk: Any = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is open already: leave it before entering")
        self._session = self.session = Session(self.engine, expire_on_commit=False)
        self.incidents = SqlIncidentRepository(self._bulk_connection, self.engine.dialect.name)
        self.imports = SqlImportRunRepository(self.session)
        self.registry = SqlRegistryRepository(self.session)
        self.forecasts = SqlForecastRunRepository(self.session)
        self.plans = SqlPlanRepository(self.session)
        return self

    def __exit__(self, *args: object) -> None:
        try:
            self.rollback()
        finally:
            if self._bulk is not None:
                self._bulk.close()
            self.session.close()
            self._session = self._bulk = None

    def commit(self) -> None:
        if self._bulk is not None:
            self._bulk.commit()
        self.session.commit()

    def rollback(self) -> None:
        if self._bulk is not None:
            self._bulk.rollback()
        self.session.rollback()

    def ping(self) -> str:
        self.session.execute(text("SELECT 1"))
        return self.engine.dialect.name

    def _bulk_connection(self) -> Any:
        """SQLite: the session's own DB-API connection, so bulk rows share its transaction."""
        if self.engine.dialect.name == "sqlite":
            return self.session.connection().connection.dbapi_connection
        if self._bulk is None:
            self._bulk = adbc_connection(self.engine)
        return self._bulk


# mypy holds the adapter to the protocol the use cases see
_: type[StoreUnitOfWork] = SqlStoreUnitOfWork
