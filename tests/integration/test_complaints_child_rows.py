"""Child rows at rest on SQLite and PostgreSQL: each ciphertext is bound to its own row, a save
writes only the rows that changed, and rows written before migration 0004 stay readable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert, select, update

from tests.factories import KEY, T0, SqlWorld, complaint
from zonal.complaints.domain.model import Complaint
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.schemas import MessageIn
from zonal.errors import ConfigurationError
from zonal.services import complaints as services
from zonal.storage import upgrade
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.tables import (
    AttachmentRow,
    CaseRow,
    IdentifierRow,
    MessageRow,
    NoteRow,
    StatusChangeRow,
)

CHILD_TABLES = ("complaint_identifiers", "complaint_messages", "complaint_notes",
                "complaint_attachments", "complaint_status_history")  # fmt: skip


@contextmanager
def writes(engine: Engine) -> Iterator[list[str]]:
    """The INSERT, UPDATE and DELETE statements sent to `engine` meanwhile, with row counts."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE"}:
            rows = len(params) if isinstance(params, list | tuple) and params and (
                isinstance(params[0], dict | tuple | list)
            ) else 1  # fmt: skip
            seen.extend([" ".join(statement.split()[:3])] * rows)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def to_children(statements: list[str]) -> list[str]:
    return [s for s in statements if any(table in s for table in CHILD_TABLES)]


def worked_case(world: SqlWorld, messages: int = 3) -> tuple[str, StaffAccount]:
    ref = services.submit_complaint(world.uow(), complaint()).reference
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    services.triage(world.uow(), chief, ref)
    for n in range(messages):
        services.send_message_to_victim(world.uow(), chief, ref, MessageIn(body=f"Question {n}"))
    return ref, chief


def stored(world: SqlWorld, reference: str) -> Complaint:
    """The aggregate as the repository reads it back."""
    with world.uow() as uow:
        case = uow.complaints.get(reference, None)
    assert case is not None
    return case


def test_a_ciphertext_copied_onto_another_row_of_the_case_does_not_open(world: SqlWorld) -> None:
    ref, chief = worked_case(world, messages=2)
    with world.engine.begin() as connection:
        first, second = connection.scalars(select(MessageRow.id).order_by(MessageRow.id)).all()
        copied = connection.scalar(select(MessageRow.body_enc).where(MessageRow.id == first))
        connection.execute(
            update(MessageRow).where(MessageRow.id == second).values(body_enc=copied)
        )
    with pytest.raises(ConfigurationError, match="complaint_messages row 1 of case") as refused:
        services.get_case(world.uow(), chief, ref, "integrity check")
    assert "altered or copied from another row" in str(refused.value)


def test_a_ciphertext_moved_to_another_table_or_position_does_not_open(world: SqlWorld) -> None:
    ref, chief = worked_case(world, messages=2)
    services.add_internal_note(world.uow(), chief, ref, MessageIn(body="Note interne"))
    with world.engine.begin() as connection:
        message = connection.scalar(select(MessageRow.body_enc).order_by(MessageRow.id))
        connection.execute(update(NoteRow).values(body_enc=message))
    with pytest.raises(ConfigurationError, match="complaint_notes row 0"):
        services.get_case(world.uow(), chief, ref, "integrity check")
    with world.engine.begin() as connection:
        connection.execute(update(NoteRow).values(position=1))  # its own ciphertext, moved on
    with pytest.raises(ConfigurationError, match="does not open"):
        services.get_case(world.uow(), chief, ref, "integrity check")


def test_adding_a_note_to_a_case_with_messages_writes_one_child_row(world: SqlWorld) -> None:
    ref, chief = worked_case(world, messages=4)
    before = _ciphertexts(world.engine)
    with writes(world.engine) as statements:
        services.add_internal_note(world.uow(), chief, ref, MessageIn(body="Une seule note"))
    assert to_children(statements) == ["INSERT INTO complaint_notes"]
    after = _ciphertexts(world.engine)
    assert {k: v for k, v in after.items() if k[0] != "complaint_notes"} == before
    case = stored(world, ref)
    assert [m.body for m in case.messages] == [f"Question {n}" for n in range(4)]
    assert [n.body for n in case.notes] == ["Une seule note"]


def test_a_status_change_writes_its_history_row_only(world: SqlWorld) -> None:
    ref, chief = worked_case(world, messages=2)
    with writes(world.engine) as statements:
        services.assign(world.uow(), chief, ref, "chief")
    assert to_children(statements) == ["INSERT INTO complaint_status_history"]


def test_erasure_deletes_the_content_rows_and_blanks_the_history_reasons(world: SqlWorld) -> None:
    ref, _ = worked_case(world, messages=1)
    assert stored(world, ref).identifiers and stored(world, ref).messages
    with world.uow() as uow:
        case = uow.complaints.get(ref, None)
        assert case is not None
        case.erase(T0)
        with writes(world.engine) as statements:
            uow.complaints.save(case)
        uow.commit()
    children = to_children(statements)
    assert children.count("DELETE FROM complaint_identifiers") == 2
    assert children.count("DELETE FROM complaint_messages") == 1
    assert not any(s.startswith("INSERT") for s in children)
    erased = stored(world, ref)
    assert erased.identifiers == [] and erased.messages == [] and erased.purged_at == T0
    assert all(change.reason == "" for change in erased.history)


def _ciphertexts(engine: Engine) -> dict[tuple[str, int], bytes | None]:
    found: dict[tuple[str, int], bytes | None] = {}
    columns = {IdentifierRow: "value_enc", MessageRow: "body_enc", NoteRow: "body_enc",
               AttachmentRow: "filename_enc", StatusChangeRow: "reason_enc"}  # fmt: skip
    with engine.connect() as connection:
        for table, column in columns.items():
            for row_id, sealed in connection.execute(select(table.id, getattr(table, column))):
                found[(table.__tablename__, row_id)] = sealed
    return found


LEGACY_REF = "ZON-2026-000001"


def write_legacy_case(engine: Engine) -> None:
    """A case as the code of revision 0003 stored it: every child under "child:<reference>"."""
    cipher, aad = FieldCipher(KEY), f"child:{LEGACY_REF}"
    personal = {"description": "Un SMS de ma banque.", "contact": None, "residence": None,
                "consent": {"privacy_notice_accepted": True, "contact_allowed": False}}  # fmt: skip
    case = {
        "reference": LEGACY_REF, "offence_type": "phishing", "language": "fr",
        "status": "triaged", "status_since": T0, "competent_unit": "5339",
        "routing_reason": "zone of the place", "priority": 3, "online": True,
        "occurred_from": T0, "place_postal_code": "1050", "loss_eur": 0, "submitted_at": T0,
        "receipt_hash": "not used here",
        "personal_enc": cipher.encrypt_json(personal, f"case:{LEGACY_REF}"),
    }  # fmt: skip
    with engine.begin() as connection:
        inserted = connection.execute(insert(CaseRow.__table__).values(**case))
        rows = _legacy_children(cipher, aad, inserted.inserted_primary_key[0])
        for table, values in rows:
            connection.execute(insert(table.__table__).values(**values))


def _legacy_children(
    cipher: FieldCipher, aad: str, case_id: int
) -> list[tuple[Any, dict[str, Any]]]:
    iban = {"value": "BE68539007547034", "raw": "BE68 5390 0754 7034"}
    rows: list[tuple[Any, dict[str, Any]]] = [
        (IdentifierRow, {"kind": "iban", "value_enc": cipher.encrypt_json(iban, aad),
                         "blind_index": cipher.blind_index("iban", iban["value"])}),
        (NoteRow, {"author": "chief", "at": T0, "body_enc": cipher.encrypt("Ancienne note", aad)}),
        (StatusChangeRow, {"position": 0, "from_status": None, "to_status": "received",
                           "at": T0, "actor": "victim", "unit": "5339", "reason_enc": None}),
        (StatusChangeRow, {"position": 1, "from_status": "received", "to_status": "triaged",
                           "at": T0, "actor": "chief", "unit": "5339",
                           "reason_enc": cipher.encrypt("lu", aad)}),
    ]  # fmt: skip
    rows += [
        (MessageRow, {"author": "police", "staff": "chief", "at": T0,
                      "body_enc": cipher.encrypt(body, aad)})
        for body in ("Première question", "Deuxième question")
    ]  # fmt: skip
    return [(table, {"case_id": case_id, **values}) for table, values in rows]


def bound_to_their_rows(engine: Engine) -> bool:
    """Whether every child ciphertext opens with its own row's associated data (an independent
    formula: table, reference, position, column)."""
    cipher = FieldCipher(KEY)
    columns = {IdentifierRow: "value_enc", MessageRow: "body_enc", NoteRow: "body_enc",
               StatusChangeRow: "reason_enc"}  # fmt: skip
    with engine.connect() as connection:
        for table, column in columns.items():
            rows = connection.execute(select(table.position, getattr(table, column)))
            for position, sealed in rows:
                aad = f"{table.__tablename__}:{LEGACY_REF}:{position}:{column}"
                try:
                    if sealed is not None:
                        cipher.decrypt(sealed, aad)
                except ConfigurationError:
                    return False
    return True


def test_rows_written_before_0004_are_read_then_rewritten_bound_on_the_next_save(
    engine: Engine,
) -> None:
    upgrade(engine, "0003")
    write_legacy_case(engine)
    upgrade(engine)
    world = SqlWorld(engine)
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    services.get_case(world.uow(), chief, LEGACY_REF, "after the upgrade")  # logged, in scope
    case = stored(world, LEGACY_REF)
    assert [m.body for m in case.messages] == ["Première question", "Deuxième question"]
    assert [n.body for n in case.notes] == ["Ancienne note"]
    assert [i.value for i in case.identifiers] == ["BE68539007547034"]
    assert [h.reason for h in case.history] == ["", "lu"]
    assert not bound_to_their_rows(engine)
    with writes(engine) as statements:
        services.add_internal_note(world.uow(), chief, LEGACY_REF, MessageIn(body="Nouvelle"))
    children = to_children(statements)
    # The legacy rows with a ciphertext are rewritten in place (no delete), and one row added.
    assert sorted(children) == [
        "INSERT INTO complaint_notes",
        "UPDATE complaint_identifiers SET",
        "UPDATE complaint_messages SET",
        "UPDATE complaint_messages SET",
        "UPDATE complaint_notes SET",
        "UPDATE complaint_status_history SET",
    ]
    assert bound_to_their_rows(engine)
    with writes(engine) as statements:
        services.add_internal_note(world.uow(), chief, LEGACY_REF, MessageIn(body="Encore"))
    assert to_children(statements) == ["INSERT INTO complaint_notes"]
    again = stored(world, LEGACY_REF)
    assert [n.body for n in again.notes] == ["Ancienne note", "Nouvelle", "Encore"]
    assert [m.body for m in again.messages] == [m.body for m in case.messages]
