"""The rows a case owns (identifiers, messages, notes, attachments, history), each encrypted
under its own identity, and a save that writes only the rows that changed.

A child row's identity is (case reference, table, position): `position` is the row's place
in its list of the aggregate, given when the row is created and never reused, since the lists
only grow (erasure empties them). The associated data of a ciphertext names the table, the
case, the position and the column, so a ciphertext copied onto another row, of this case or
another, does not decrypt.

Legacy rows: before migration 0004 every child row of a case was encrypted with the same
associated data, "child:<reference>". Such rows are still read (the fallback below), and are
rewritten in the row-bound format the next time their case is saved, so a case leaves the
weaker format at its first change after the upgrade. Re-encrypting in the migration was not
chosen: migrations run wherever the store is opened (a forecast import too), and the data key
is not, and should not be, everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonal.complaints.domain.identifiers import Identifier, IdentifierKind
from zonal.complaints.domain.model import (
    Attachment,
    Author,
    Complaint,
    Message,
    Note,
    StatusChange,
)
from zonal.complaints.domain.workflow import Status
from zonal.errors import ConfigurationError
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.tables import (
    AttachmentRow,
    IdentifierRow,
    MessageRow,
    NoteRow,
    StatusChangeRow,
)

Columns = dict[str, Any]


@dataclass(frozen=True)
class ChildKind:
    """How one list of the aggregate maps to its table; `sealed` is the encrypted column."""

    table: type[Any]
    attr: str  # the Complaint attribute holding the list
    sealed: str
    # the row's plain columns and the plaintext to seal (None: the column stays NULL)
    encode: Callable[[Any, FieldCipher], tuple[Columns, str | None]]
    decode: Callable[[Any, str], Any]  # (row, plaintext) -> the domain object


def row_aad(kind: ChildKind, reference: str, position: int) -> str:
    """What a child row's ciphertext is bound to: its table, case, position and column."""
    return f"{kind.table.__tablename__}:{reference}:{position}:{kind.sealed}"


def legacy_aad(reference: str) -> str:
    """The associated data every child row of a case shared before migration 0004."""
    return f"child:{reference}"


def new_row(
    kind: ChildKind, item: Any, case_id: int, reference: str, position: int, cipher: FieldCipher
) -> Any:
    row = kind.table(case_id=case_id, position=position)
    fill_row(kind, row, item, reference, cipher)
    return row


def fill_row(kind: ChildKind, row: Any, item: Any, reference: str, cipher: FieldCipher) -> None:
    columns, secret = kind.encode(item, cipher)
    for name, value in columns.items():
        setattr(row, name, value)
    aad = row_aad(kind, reference, row.position)
    setattr(row, kind.sealed, None if secret is None else cipher.encrypt(secret, aad))


def read_row(kind: ChildKind, row: Any, reference: str, cipher: FieldCipher) -> tuple[Any, bool]:
    """The domain object of `row`, and whether its ciphertext is in the legacy format."""
    sealed: bytes | None = getattr(row, kind.sealed)
    if sealed is None:
        return kind.decode(row, ""), False
    bound = row_aad(kind, reference, row.position)
    for aad, legacy in ((bound, False), (legacy_aad(reference), True)):
        try:
            return kind.decode(row, cipher.decrypt(sealed, aad)), legacy
        except ConfigurationError:
            continue
    raise ConfigurationError(
        f"the encrypted {kind.sealed} of {kind.table.__tablename__} row {row.position} of"
        f" case {reference} does not open with this data key: the key is not the one the"
        " data was written with, or the value was altered or copied from another row"
    )


def rows_of(session: Session, kind: ChildKind, case_id: int) -> list[Any]:
    statement = select(kind.table).where(kind.table.case_id == case_id)
    return list(session.scalars(statement.order_by(kind.table.position)))


def read_children(session: Session, case: Complaint, case_id: int, cipher: FieldCipher) -> None:
    """Fill the aggregate's lists from their rows, in the order they were added."""
    for kind in KINDS:
        items = [
            read_row(kind, r, case.reference, cipher)[0] for r in rows_of(session, kind, case_id)
        ]
        setattr(case, kind.attr, items)


def add_children(session: Session, case: Complaint, case_id: int, cipher: FieldCipher) -> None:
    for kind in KINDS:
        for position, item in enumerate(getattr(case, kind.attr)):
            session.add(new_row(kind, item, case_id, case.reference, position, cipher))


def save_children(session: Session, case: Complaint, case_id: int, cipher: FieldCipher) -> None:
    """Insert new items, update changed (or legacy-encrypted) rows, delete erased ones;
    a row whose content and format are as stored is not written."""
    for kind in KINDS:
        stored = {row.position: row for row in rows_of(session, kind, case_id)}
        for position, item in enumerate(getattr(case, kind.attr)):
            row = stored.pop(position, None)
            if row is None:
                session.add(new_row(kind, item, case_id, case.reference, position, cipher))
            elif read_row(kind, row, case.reference, cipher) != (item, False):
                fill_row(kind, row, item, case.reference, cipher)
        _delete(session, stored.values())


def _delete(session: Session, rows: Iterable[Any]) -> None:
    for row in rows:  # only erasure shortens a list
        session.delete(row)


def _identifier(item: Identifier, cipher: FieldCipher) -> tuple[Columns, str]:
    columns = {
        "kind": item.kind.value,
        "blind_index": cipher.blind_index(item.kind.value, item.value),
    }
    # the same JSON as FieldCipher.encrypt_json wrote before 0004
    text = json.dumps({"value": item.value, "raw": item.raw}, ensure_ascii=False, sort_keys=True)
    return columns, text


def _identifier_of(row: IdentifierRow, text: str) -> Identifier:
    found = json.loads(text)
    return Identifier(IdentifierKind(row.kind), found["value"], found["raw"])


def _message(item: Message, _: FieldCipher) -> tuple[Columns, str]:
    return {"author": item.author.value, "staff": item.staff, "at": item.at}, item.body


def _note(item: Note, _: FieldCipher) -> tuple[Columns, str]:
    return {"author": item.author, "at": item.at}, item.body


def _attachment(item: Attachment, _: FieldCipher) -> tuple[Columns, str]:
    columns = {
        "media_type": item.media_type,
        "size_bytes": item.size_bytes,
        "sha256": item.sha256,
        "storage_key": item.storage_key,
        "added_at": item.added_at,
    }
    return columns, item.filename


def _change(item: StatusChange, _: FieldCipher) -> tuple[Columns, str | None]:
    columns = {
        "from_status": item.from_status and item.from_status.value,
        "to_status": item.to_status.value,
        "at": item.at,
        "actor": item.actor,
        "unit": item.unit,
    }
    return columns, item.reason or None


def _change_of(row: StatusChangeRow, reason: str) -> StatusChange:
    source = Status(row.from_status) if row.from_status else None
    return StatusChange(source, Status(row.to_status), row.at, row.actor, row.unit, reason)


KINDS = (
    ChildKind(IdentifierRow, "identifiers", "value_enc", _identifier, _identifier_of),
    ChildKind(
        MessageRow,
        "messages",
        "body_enc",
        _message,
        lambda row, body: Message(Author(row.author), body, row.at, row.staff),
    ),
    ChildKind(
        NoteRow, "notes", "body_enc", _note, lambda row, body: Note(row.author, body, row.at)
    ),
    ChildKind(
        AttachmentRow,
        "attachments",
        "filename_enc",
        _attachment,
        lambda row, name: Attachment(
            name, row.media_type, row.size_bytes, row.sha256, row.storage_key, row.added_at
        ),
    ),
    ChildKind(StatusChangeRow, "history", "reason_enc", _change, _change_of),
)
