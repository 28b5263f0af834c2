"""Staff accounts and the attempt log (logins and receipt look-ups) in the store.

Attempts are keyed by a SHA-256 of the username or reference as typed, whether or not it
exists, so lockouts apply alike to real and invented names and reveal nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonal.complaints.domain.staff import Role, StaffAccount, last_login
from zonal.complaints.queries import StaffCredentials, StaffListing
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.tables import AttemptRow, StaffRow


class SqlStaffRepository:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self.session, self.cipher = session, cipher

    def add(
        self, account: StaffAccount, password_hash: str, totp_secret: str, at: datetime
    ) -> StaffAccount:
        row = StaffRow(
            username=account.username,
            display_name=account.display_name,
            role=account.role.value,
            scope=sorted(account.scope),
            password_hash=password_hash,
            totp_secret_enc=self.cipher.encrypt(totp_secret, f"staff:{account.username}"),
            active=account.active,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _account(row)

    def exists(self, username: str) -> bool:
        return self._row(username) is not None

    def get(self, staff_id: int) -> StaffAccount | None:
        row = self.session.get(StaffRow, staff_id)
        return None if row is None else _account(row)

    def credentials(self, username: str) -> StaffCredentials | None:
        row = self._row(username)
        if row is None:
            return None
        secret = self.cipher.decrypt(row.totp_secret_enc, f"staff:{row.username}")
        return StaffCredentials(_account(row), row.password_hash, secret, row.totp_last_step)

    def record_totp_step(self, username: str, step: int) -> None:
        row = self._row(username)
        if row is not None:
            row.totp_last_step = step

    def count_role(self, role: Role) -> int:
        statement = select(func.count()).select_from(StaffRow).where(StaffRow.role == role.value)
        return self.session.scalars(statement).one()

    def in_unit(self, unit: str) -> list[StaffAccount]:
        """Active accounts whose scope includes `unit` (scope is JSON: filtered here)."""
        rows = self.session.scalars(select(StaffRow).where(StaffRow.active.is_(True)))
        return [_account(row) for row in rows if unit in row.scope]

    def listing(self) -> list[StaffListing]:
        """Every account, by username."""
        rows = self.session.scalars(select(StaffRow).order_by(StaffRow.username))
        return [
            StaffListing(_account(row), row.created_at, last_login(row.totp_last_step))
            for row in rows
        ]

    def set_active(self, username: str, active: bool) -> None:
        self._existing(username).active = active

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self._existing(username).password_hash = password_hash

    def set_totp_secret(self, username: str, totp_secret: str) -> None:
        # The last step used stays: a code of the old secret cannot be replayed in its window.
        row = self._existing(username)
        row.totp_secret_enc = self.cipher.encrypt(totp_secret, f"staff:{username}")

    def _existing(self, username: str) -> StaffRow:
        row = self._row(username)
        if row is None:
            raise LookupError(f"no staff row {username!r}; the service checks before it writes")
        return row

    def _row(self, username: str) -> StaffRow | None:
        return self.session.scalars(select(StaffRow).where(StaffRow.username == username)).first()


class SqlAttemptLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, kind: str, subject: str, client: str, at: datetime, success: bool) -> None:
        self.session.add(
            AttemptRow(
                kind=kind, subject=_digest(subject), client=client[:64], at=at, success=success
            )
        )
        self.session.flush()

    def recent_failures(self, kind: str, subject: str, since: datetime) -> list[datetime]:
        """Times of failures after `since` and after the subject's last success."""
        key = _digest(subject)
        last_success = self.session.scalars(
            select(func.max(AttemptRow.at)).where(
                AttemptRow.kind == kind, AttemptRow.subject == key, AttemptRow.success.is_(True)
            )
        ).one()
        start = max(since, last_success) if last_success is not None else since
        statement = select(AttemptRow.at).where(
            AttemptRow.kind == kind,
            AttemptRow.subject == key,
            AttemptRow.success.is_(False),
            AttemptRow.at > start,
        )
        return list(self.session.scalars(statement.order_by(AttemptRow.at)))


def _digest(subject: str) -> str:
    return hashlib.sha256(subject.strip().lower().encode("utf-8")).hexdigest()


def _account(row: StaffRow) -> StaffAccount:
    return StaffAccount(
        row.id, row.username, row.display_name, Role(row.role), frozenset(row.scope), row.active
    )
