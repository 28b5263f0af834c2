"""The SQL unit of work: one session, its repositories, rolled back unless committed."""

from __future__ import annotations

from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from zonal.complaints.policy import ComplaintsPolicy
from zonal.services.complaints.ports import UnitOfWork
from zonal.storage.complaints.accounts import SqlAttemptLog, SqlStaffRepository
from zonal.storage.complaints.audit import AuditChain, SqlAuditLog
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.repository import SqlComplaintRepository


class SqlUnitOfWork:
    """Use as `with uow: ...; uow.commit()`; a service opens it once per call.

    Args:
        sessions: a session factory on the store (zonal.storage.session_factory).
        cipher: the data-key cipher (crypto.cipher_from_settings).
        policy: SLA, retention, lockouts, routing and the zone registry.
    """

    def __init__(
        self, sessions: sessionmaker[Session], cipher: FieldCipher, policy: ComplaintsPolicy
    ) -> None:
        self.sessions, self.cipher, self.policy = sessions, cipher, policy

    def __enter__(self) -> Self:
        self.session = self.sessions()
        self.complaints = SqlComplaintRepository(self.session, self.cipher)
        self.staff = SqlStaffRepository(self.session, self.cipher)
        self.attempts = SqlAttemptLog(self.session)
        self.audit = SqlAuditLog(self.session, AuditChain(self.cipher.audit_key))
        return self

    def __exit__(self, *args: object) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


# mypy holds the adapter to the protocol the use cases see
_: type[UnitOfWork] = SqlUnitOfWork
