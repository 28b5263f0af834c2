"""The composition root: opens the store and wires adapters to the use cases.

Only the entry points (`web/`, `cli/`) import this module; the use cases in `services/` see
the store through the protocols of their `ports`, never through SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from zonal.complaints.policy import ComplaintsPolicy
from zonal.geo import default_registry
from zonal.services.store import registry_of
from zonal.settings import Settings, get_settings
from zonal.storage import load_stored_registry, make_engine, save_registry, session_factory, upgrade
from zonal.storage.complaints.crypto import FieldCipher, cipher_from_settings
from zonal.storage.complaints.files import EncryptedFileStore
from zonal.storage.complaints.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class ComplaintsSetup:
    """What every complaint use case needs; checked once (a missing data key fails here)."""

    sessions: sessionmaker[Session]
    cipher: FieldCipher
    policy: ComplaintsPolicy
    files: EncryptedFileStore

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work: never share one between concurrent requests (it holds a session)."""
        return SqlUnitOfWork(self.sessions, self.cipher, self.policy)


def complaints_setup(engine: Engine, settings: Settings) -> ComplaintsSetup:
    """Build the complaints wiring for `engine`.

    Raises:
        ConfigurationError: no data key outside demo mode, or a malformed key.
    """
    cipher = cipher_from_settings(settings)
    return ComplaintsSetup(
        sessions=session_factory(engine),
        cipher=cipher,
        policy=ComplaintsPolicy(registry=registry_of(engine)),
        files=EncryptedFileStore(settings.data_dir / "attachments", cipher),
    )


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
