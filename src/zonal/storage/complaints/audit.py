"""The Art. 25 log in the store: append-only, tamper-evident through a SHA-256 hash chain.

Each row's hash covers the previous row's hash and the row's own content, so changing,
inserting or deleting a row breaks the chain from there on; `verify_chain` finds the first
row where it breaks. The class offers no update and no delete.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from sqlalchemy import ColumnElement, select, text
from sqlalchemy.orm import Session

from zonal.complaints.domain.audit import AuditAction, AuditEvent, AuditRecord
from zonal.complaints.queries import AuditQuery
from zonal.storage.complaints.tables import AuditRow

GENESIS = "0" * 64


def content_hash(previous_hash: str, event: AuditEvent) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the event."""
    content = {
        "at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor,
        "role": event.role,
        "action": event.action.value,
        "reference": event.reference,
        "unit": event.unit,
        "justification": event.justification,
        "outcome": event.outcome,
        "detail": event.detail,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, event: AuditEvent) -> AuditRecord:
        """Add `event` at the end of the chain."""
        self._lock()
        last = self.session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(1)).first()
        previous = last.row_hash if last is not None else GENESIS
        row = _to_row(event, previous, content_hash(previous, event))
        self.session.add(row)
        self.session.flush()
        return _to_record(row)

    def entries(self, query: AuditQuery) -> list[AuditRecord]:
        """Rows matching `query`, newest first."""
        statement = select(AuditRow).where(*_conditions(query)).order_by(AuditRow.id.desc())
        rows = self.session.scalars(statement.limit(query.limit).offset(query.offset))
        return [_to_record(row) for row in rows]

    def verify_chain(self) -> int | None:
        """The id of the first row whose hash does not match, None when the chain is intact."""
        previous = GENESIS
        for row in self.session.scalars(select(AuditRow).order_by(AuditRow.id)).yield_per(500):
            record = _to_record(row)
            expected = content_hash(previous, record.event)
            if row.previous_hash != previous or row.row_hash != expected:
                return row.id
            previous = row.row_hash
        return None

    def _lock(self) -> None:
        # Two writers reading the same last hash would fork the chain; PostgreSQL serialises
        # appends with a transaction lock, SQLite already allows one writer at a time.
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(2016680)"))


def _conditions(query: AuditQuery) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if query.units is not None:
        found.append(AuditRow.unit.in_(sorted(query.units)))
    if query.reference is not None:
        found.append(AuditRow.reference == query.reference)
    if query.actor is not None:
        found.append(AuditRow.actor == query.actor)
    if query.action is not None:
        found.append(AuditRow.action == query.action.value)
    if query.since is not None:
        found.append(AuditRow.at >= query.since)
    if query.until is not None:
        found.append(AuditRow.at < query.until)
    return found


def _to_row(event: AuditEvent, previous: str, row_hash: str) -> AuditRow:
    return AuditRow(
        at=event.at,
        actor=event.actor,
        role=event.role,
        action=event.action.value,
        reference=event.reference,
        unit=event.unit,
        justification=event.justification,
        outcome=event.outcome,
        detail=dict(event.detail),
        previous_hash=previous,
        row_hash=row_hash,
    )


def _to_record(row: AuditRow) -> AuditRecord:
    event = AuditEvent(
        at=row.at,
        actor=row.actor,
        role=row.role,
        action=AuditAction(row.action),
        reference=row.reference,
        unit=row.unit,
        justification=row.justification,
        outcome=row.outcome,
        detail=dict(row.detail),
    )
    return AuditRecord(row.id, event, row.previous_hash, row.row_hash)
