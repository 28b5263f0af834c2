"""The composition root: opens the store and wires adapters to the use cases.

Only the entry points (`web/`, `cli/`) import this module; the use cases in `services/` see
the store through the protocols of their `ports`, never through SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from zonal.complaints.policy import ComplaintsPolicy
from zonal.errors import ConfigurationError
from zonal.services.jobs import InlineJobs
from zonal.services.planning import Planner
from zonal.services.zones import registry_of, seed_default_registry
from zonal.settings import Settings, get_settings
from zonal.storage import (
    SqlStoreUnitOfWork,
    current_revision,
    head_revision,
    make_engine,
    session_factory,
    upgrade,
)
from zonal.storage.complaints.audit import AuditChain
from zonal.storage.complaints.audit_heads import AuditHeadFile
from zonal.storage.complaints.crypto import FieldCipher, cipher_from_settings, generate_key
from zonal.storage.complaints.files import EncryptedFileStore
from zonal.storage.complaints.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class SchemaStatus:
    """Where the store is and which schema revision it holds against the newest."""

    url: str
    current: str | None
    head: str | None


@dataclass(frozen=True)
class Store:
    """The analytic store: an engine and the units of work the use cases take."""

    engine: Engine

    def uow(self) -> SqlStoreUnitOfWork:
        """A new unit of work: never share one between concurrent requests (it holds a session)."""
        return SqlStoreUnitOfWork(self.engine)

    def planner(self) -> Planner:
        """Plans solved at once, in this process: for the CLI (the web app solves them in the
        background, see zonal.web.app)."""
        return Planner(self.uow, InlineJobs())

    def schema_status(self) -> SchemaStatus:
        url = self.engine.url.render_as_string()
        return SchemaStatus(url, current_revision(self.engine), head_revision(self.engine))

    def dispose(self) -> None:
        """Close the engine's connections (a SQLite file's WAL is checkpointed)."""
        self.engine.dispose()


@dataclass(frozen=True)
class ComplaintsSetup:
    """What every complaint use case needs; checked once (a missing data key fails here)."""

    sessions: sessionmaker[Session]
    cipher: FieldCipher
    policy: ComplaintsPolicy
    files: EncryptedFileStore
    heads: AuditHeadFile | None = None  # where the audit chain's heads go; None: nowhere

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work: never share one between concurrent requests (it holds a session)."""
        return SqlUnitOfWork(self.sessions, self.cipher, self.policy)

    def head_file(self, path: Path | None = None) -> AuditHeadFile:
        """The audit head file `path`, signed with this data key; by default the configured one."""
        if path is not None:
            return AuditHeadFile(path, AuditChain(self.cipher.audit_key))
        if self.heads is None:
            raise ConfigurationError("no audit head file is configured: name one")
        return self.heads


def complaints_setup(store: Store, settings: Settings) -> ComplaintsSetup:
    """Build the complaints wiring on `store`.

    Raises:
        ConfigurationError: no data key outside demo mode, or a malformed key.
    """
    cipher = cipher_from_settings(settings)
    return ComplaintsSetup(
        sessions=session_factory(store.engine),
        cipher=cipher,
        policy=ComplaintsPolicy(registry=registry_of(store.uow())),
        files=EncryptedFileStore(settings.data_dir / "attachments", cipher),
        heads=AuditHeadFile(settings.resolved_audit_head_file, AuditChain(cipher.audit_key)),
    )


def open_store(settings: Settings | None = None, *, migrate: bool = True) -> Store:
    """The configured store, its schema at the newest revision (unless not `migrate`).

    A store without zones gets the shipped default registry (the six Brussels zones), so a
    new installation is usable at once; `zonal zones load` replaces it.
    """
    store = Store(make_engine((settings or get_settings()).resolved_database_url))
    if migrate:
        upgrade(store.engine)
        seed_default_registry(store.uow())
    return store


def new_data_key() -> str:
    """A fresh data key (32 random bytes, base64) for ZONAL_DATA_KEY or a key file."""
    return generate_key()
