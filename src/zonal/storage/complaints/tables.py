"""The complaints' tables on the store's `Base`; migrations/versions/0002 creates them, 0004
gives every child row its `position` and 0006 every case its `version`.

Columns ending in `_enc` hold AES-GCM ciphertext (storage/complaints/crypto.py); identifiers
are found through `blind_index`, a keyed hash of the normalised value, never through the
value itself. A child row's (case, position) is its identity, which its ciphertext is bound
to (storage/complaints/children.py), hence unique.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zonal.storage.tables import Base

_CASE_FK = "complaint_cases.id"


def _identity(table: str) -> tuple[UniqueConstraint]:
    """A child row's identity, (case, position), which its ciphertext is bound to."""
    return (UniqueConstraint("case_id", "position", name=f"uq_{table}_position"),)


class CaseSequenceRow(Base):
    """The last reference number handed out per year."""

    __tablename__ = "complaint_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class CaseRow(Base):
    __tablename__ = "complaint_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    offence_type: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(30))
    status_since: Mapped[datetime]
    competent_unit: Mapped[str] = mapped_column(String(16))
    routing_reason: Mapped[str] = mapped_column(String(500))
    priority: Mapped[int] = mapped_column(SmallInteger)
    online: Mapped[bool] = mapped_column(Boolean)
    occurred_from: Mapped[datetime]
    occurred_to: Mapped[datetime | None]
    place_postal_code: Mapped[str | None] = mapped_column(String(4))
    place_nis: Mapped[str | None] = mapped_column(String(5))
    loss_eur: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    bias_motive: Mapped[str | None] = mapped_column(String(30))
    submitted_at: Mapped[datetime]
    assigned_to: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(30))
    merged_into: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    receipt_hash: Mapped[str] = mapped_column(String(200))
    # description, contact details, residence and consent, as one encrypted JSON document
    personal_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Bumped by every save, which refuses to write over a version other than the one it read
    # (optimistic concurrency: repository.SqlComplaintRepository.save).
    version: Mapped[int] = mapped_column(Integer, server_default="0")

    __table_args__ = (
        Index("ix_complaint_cases_unit_status", "competent_unit", "status"),
        Index("ix_complaint_cases_closed_at", "closed_at"),
    )


class IdentifierRow(Base):
    __tablename__ = "complaint_identifiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey(_CASE_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # its place in the case's list, from 0
    kind: Mapped[str] = mapped_column(String(10))
    blind_index: Mapped[str] = mapped_column(String(64), index=True)
    value_enc: Mapped[bytes] = mapped_column(LargeBinary)  # {"value": normalised, "raw": typed}

    __table_args__ = _identity("complaint_identifiers")


class MessageRow(Base):
    __tablename__ = "complaint_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey(_CASE_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # its place in the case's list, from 0
    author: Mapped[str] = mapped_column(String(10))
    staff: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[datetime]
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = _identity("complaint_messages")


class NoteRow(Base):
    __tablename__ = "complaint_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey(_CASE_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # its place in the case's list, from 0
    author: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = _identity("complaint_notes")


class AttachmentRow(Base):
    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey(_CASE_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # its place in the case's list, from 0
    media_type: Mapped[str] = mapped_column(String(60))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime]
    filename_enc: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = _identity("complaint_attachments")


class StatusChangeRow(Base):
    __tablename__ = "complaint_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey(_CASE_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(16))
    reason_enc: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = _identity("complaint_status_history")


class StaffRow(Base):
    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    scope: Mapped[list[str]] = mapped_column(JSON)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret_enc: Mapped[bytes] = mapped_column(LargeBinary)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # refuses a replayed code
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class AttemptRow(Base):
    """A login or receipt look-up, kept to lock out guessing (kind "login" or "receipt")."""

    __tablename__ = "complaint_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(64))  # a SHA-256 of the username or reference
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    success: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_complaint_attempts_subject", "kind", "subject", "at"),)


class AuditRow(Base):
    """Directive 2016/680 Art. 25 log: append-only, each row chained to the previous one."""

    __tablename__ = "complaint_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str | None] = mapped_column(String(20), index=True)
    unit: Mapped[str | None] = mapped_column(String(16), index=True)
    justification: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(10))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))
