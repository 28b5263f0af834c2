"""The Art. 25 log in the store: append-only, tamper-evident through a keyed hash chain.

Each row's hash is HMAC-SHA256, under the audit subkey of the data key (crypto.FieldCipher),
of the previous row's hash and the row's own content: changing, inserting or deleting a row
breaks the chain from there on, and whoever lacks the key cannot recompute the hashes after
it. A cut tail leaves a valid chain, so the head (last entry, hash) is exported to a file
outside the store (audit_heads.py) and verification checks that every exported head is still
in the chain at its place. The class offers no update and no delete.

Rows written before the chain was keyed carry the old, unkeyed SHA-256 hash: they verify as a
legacy prefix, and keyed rows chain on from the last of them; once one keyed row is seen, an
unkeyed hash is a break. docs/complaints.md says what this does and does not defend.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select, text
from sqlalchemy.orm import Session

from zonal.complaints.domain.audit import (
    AuditAction,
    AuditEvent,
    AuditRecord,
    ChainHead,
    ChainReport,
    ExportedHead,
)
from zonal.complaints.queries import AuditQuery
from zonal.storage.complaints.tables import AuditRow

GENESIS = "0" * 64
_HEAD_DOMAIN = b"zonal audit head v1\n"  # a head's MAC never equals a row's (those start hex)


def canonical(event: AuditEvent) -> str:
    """The event as canonical JSON: what a row's hash covers after the previous hash."""
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
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(previous_hash: str, event: AuditEvent) -> str:
    """The legacy, unkeyed link: SHA-256 over the previous hash and the canonical event."""
    return hashlib.sha256((previous_hash + canonical(event)).encode("utf-8")).hexdigest()


class AuditChain:
    """Links, verifies and signs heads of the log under the audit key (FieldCipher.audit_key)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def link(self, previous_hash: str, event: AuditEvent) -> str:
        """HMAC-SHA256 over the previous hash and the canonical event."""
        message = (previous_hash + canonical(event)).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def sign_head(self, head: ChainHead, at: datetime) -> str:
        content = {"at": at.astimezone(UTC).isoformat(), "entry": head.entry, "hash": head.hash}
        message = _HEAD_DOMAIN + json.dumps(content, sort_keys=True).encode("ascii")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def verify(self, records: Iterable[AuditRecord], heads: Sequence[ExportedHead]) -> ChainReport:
        """Walk `records` in id order from the genesis hash, against the exported `heads`."""
        return _Walk(self, heads).run(records)


class _Walk:
    """One verification: the chain so far, and the exported heads still to meet."""

    def __init__(self, chain: AuditChain, heads: Sequence[ExportedHead]) -> None:
        self.chain, self.heads = chain, heads
        self.pins = sorted((h for h in heads if h.head.entry > 0), key=lambda h: h.head.entry)
        self.previous, self.last, self.count, self.checked = GENESIS, 0, 0, 0
        self.keyed = False
        self.legacy_until: int | None = None

    def run(self, records: Iterable[AuditRecord]) -> ChainReport:
        forged = next((h for h in self.heads if not h.authentic), None)
        if forged is not None:
            return self._fail(forged.head.entry, _forged(forged))
        for record in records:
            problem = self._missing(record.id) or self._link(record) or self._pinned(record)
            if problem is not None:
                return self._fail(record.id if problem[0] is None else problem[0], problem[1])
            self.previous, self.last, self.count = record.row_hash, record.id, self.count + 1
        if self.pins:
            pin = self.pins[0]
            return self._fail(pin.head.entry, _cut(pin, self.last))
        return self._report()

    def _missing(self, entry: int) -> tuple[int | None, str] | None:
        if self.pins and self.pins[0].head.entry < entry:
            pin = self.pins[0]
            return pin.head.entry, (
                f"entry {pin.head.entry}, the log's head on {_when(pin)}, is missing: it was"
                " deleted"
            )
        return None

    def _link(self, record: AuditRecord) -> tuple[int | None, str] | None:
        if record.previous_hash != self.previous:
            return None, (
                f"entry {record.id} does not follow entry {self.last}: an entry between them was"
                " deleted or inserted, or the row was changed"
            )
        if hmac.compare_digest(record.row_hash, self.chain.link(self.previous, record.event)):
            self.keyed = True
            return None
        if not self.keyed and record.row_hash == content_hash(self.previous, record.event):
            self.legacy_until = record.id
            return None
        return None, (
            f"entry {record.id} does not match its hash: it was changed, or written with"
            " another data key"
        )

    def _pinned(self, record: AuditRecord) -> tuple[int | None, str] | None:
        while self.pins and self.pins[0].head.entry == record.id:
            pin = self.pins.pop(0)
            self.checked += 1
            if pin.head.hash != record.row_hash:
                return None, (
                    f"entry {record.id} is not the one exported as the log's head on"
                    f" {_when(pin)}: the log up to it was rewritten"
                )
        return None

    def _report(self) -> ChainReport:
        head = ChainHead(self.last, self.previous)
        return ChainReport(self.count, head, self.legacy_until, self.checked)

    def _fail(self, entry: int, problem: str) -> ChainReport:
        head = ChainHead(self.last, self.previous)
        return ChainReport(self.count, head, self.legacy_until, self.checked, entry, problem)


def _when(pin: ExportedHead) -> str:
    return pin.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _forged(head: ExportedHead) -> str:
    return (
        f"line {head.line} of the head file is not signed with this data key: it was forged or"
        " altered, or the key is not the one it was written with"
    )


def _cut(pin: ExportedHead, last: int) -> str:
    return (
        f"the log ends at entry {last}, but entry {pin.head.entry} was its head on {_when(pin)}:"
        " its tail was cut"
    )


class SqlAuditLog:
    def __init__(self, session: Session, chain: AuditChain) -> None:
        self.session, self.chain = session, chain

    def append(self, event: AuditEvent) -> AuditRecord:
        """Add `event` at the end of the chain."""
        self._lock()
        previous = self.head().hash
        row = _to_row(event, previous, self.chain.link(previous, event))
        self.session.add(row)
        self.session.flush()
        return _to_record(row)

    def entries(self, query: AuditQuery) -> list[AuditRecord]:
        """Rows matching `query`, newest first."""
        statement = select(AuditRow).where(*_conditions(query)).order_by(AuditRow.id.desc())
        rows = self.session.scalars(statement.limit(query.limit).offset(query.offset))
        return [_to_record(row) for row in rows]

    def head(self) -> ChainHead:
        """The last row and its hash (entry 0 and the genesis hash when the log is empty)."""
        newest = select(AuditRow).order_by(AuditRow.id.desc()).limit(1)
        last = self.session.scalars(newest).first()
        return ChainHead(last.id, last.row_hash) if last is not None else ChainHead(0, GENESIS)

    def verify_chain(self, heads: Sequence[ExportedHead] = ()) -> ChainReport:
        """Recompute the chain with the key, checking that every exported head is in it."""
        rows = self.session.scalars(select(AuditRow).order_by(AuditRow.id)).yield_per(500)
        return self.chain.verify((_to_record(row) for row in rows), heads)

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
