"""Wiring of the complaints module to the store: cipher, policy, files, a unit of work per use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from zonal.complaints.adapters.crypto import FieldCipher, cipher_from_settings
from zonal.complaints.adapters.files import EncryptedFileStore
from zonal.complaints.adapters.unit_of_work import SqlUnitOfWork
from zonal.complaints.policy import ComplaintsPolicy
from zonal.services.store import registry_of
from zonal.settings import Settings
from zonal.storage import session_factory


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
