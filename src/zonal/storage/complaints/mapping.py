"""Between the Complaint aggregate and its rows, encrypting personal fields on the way in.

Every ciphertext's associated data names its table and the case reference, so a ciphertext
copied onto another case's row does not decrypt.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zonal.complaints.domain.identifiers import Identifier, IdentifierKind
from zonal.complaints.domain.model import (
    Attachment,
    Author,
    BiasMotive,
    Complaint,
    Consent,
    Contact,
    Message,
    Note,
    Place,
    StatusChange,
)
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.tables import (
    AttachmentRow,
    CaseRow,
    IdentifierRow,
    MessageRow,
    NoteRow,
    StatusChangeRow,
)

_SCALARS = (
    "reference",
    "offence_type",
    "language",
    "competent_unit",
    "routing_reason",
    "priority",
    "online",
    "occurred_from",
    "occurred_to",
    "submitted_at",
    "assigned_to",
    "merged_into",
    "closed_at",
    "purged_at",
    "receipt_hash",
)


def write_case(row: CaseRow, case: Complaint, cipher: FieldCipher) -> None:
    """Copy the aggregate's own fields onto `row` (children are written separately)."""
    for name in _SCALARS:
        setattr(row, name, getattr(case, name))
    row.status, row.status_since = case.status.value, case.since
    row.place_postal_code = case.place.postal_code if case.place else None
    row.place_nis = case.place.municipality_nis if case.place else None
    row.loss_eur = case.loss_eur
    row.bias_motive = case.bias_motive.value if case.bias_motive else None
    row.outcome = case.outcome.value if case.outcome else None
    row.personal_enc = cipher.encrypt_json(_personal(case), f"case:{case.reference}")


def child_rows(case: Complaint, case_id: int, cipher: FieldCipher) -> list[Any]:
    """The rows of the case's identifiers, messages, notes, attachments and history."""
    aad = f"child:{case.reference}"
    rows: list[Any] = [
        IdentifierRow(
            case_id=case_id,
            kind=i.kind.value,
            blind_index=cipher.blind_index(i.kind.value, i.value),
            value_enc=cipher.encrypt_json({"value": i.value, "raw": i.raw}, aad),
        )
        for i in case.identifiers
    ]
    rows += [
        MessageRow(
            case_id=case_id,
            author=m.author.value,
            staff=m.staff,
            at=m.at,
            body_enc=cipher.encrypt(m.body, aad),
        )
        for m in case.messages
    ]
    rows += [
        NoteRow(case_id=case_id, author=n.author, at=n.at, body_enc=cipher.encrypt(n.body, aad))
        for n in case.notes
    ]
    rows += [
        AttachmentRow(
            case_id=case_id,
            media_type=a.media_type,
            size_bytes=a.size_bytes,
            sha256=a.sha256,
            storage_key=a.storage_key,
            added_at=a.added_at,
            filename_enc=cipher.encrypt(a.filename, aad),
        )
        for a in case.attachments
    ]
    rows += [
        StatusChangeRow(
            case_id=case_id,
            position=n,
            from_status=h.from_status and h.from_status.value,
            to_status=h.to_status.value,
            at=h.at,
            actor=h.actor,
            unit=h.unit,
            reason_enc=cipher.encrypt(h.reason, aad) if h.reason else None,
        )
        for n, h in enumerate(case.history)
    ]
    return rows


def read_case(row: CaseRow, children: list[Any], cipher: FieldCipher) -> Complaint:
    """The aggregate from its row and child rows."""
    personal = (
        cipher.decrypt_json(row.personal_enc, f"case:{row.reference}") if row.personal_enc else {}
    )
    aad = f"child:{row.reference}"
    case = Complaint(
        reference=row.reference,
        offence_type=row.offence_type,
        language=row.language,
        occurred_from=row.occurred_from,
        occurred_to=row.occurred_to,
        online=row.online,
        place=_place(row.place_postal_code, row.place_nis),
        residence=_place(**personal["residence"]) if personal.get("residence") else None,
        description=personal.get("description", ""),
        loss_eur=Decimal(row.loss_eur),
        bias_motive=BiasMotive(row.bias_motive) if row.bias_motive else None,
        contact=Contact(**personal["contact"]) if personal.get("contact") else None,
        consent=Consent(
            **personal.get("consent", {"privacy_notice_accepted": True, "contact_allowed": False})
        ),
        submitted_at=row.submitted_at,
        competent_unit=row.competent_unit,
        routing_reason=row.routing_reason,
        receipt_hash=row.receipt_hash,
        priority=row.priority,
        status=Status(row.status),
        status_since=row.status_since,
        assigned_to=row.assigned_to,
        outcome=Outcome(row.outcome) if row.outcome else None,
        merged_into=row.merged_into,
        closed_at=row.closed_at,
        purged_at=row.purged_at,
        history=[_change(r, cipher, aad) for r in children if isinstance(r, StatusChangeRow)],
    )
    _read_children(case, children, cipher, aad)
    return case


def _read_children(case: Complaint, children: list[Any], cipher: FieldCipher, aad: str) -> None:
    for r in children:
        if isinstance(r, IdentifierRow):
            found = cipher.decrypt_json(r.value_enc, aad)
            case.identifiers.append(
                Identifier(IdentifierKind(r.kind), found["value"], found["raw"])
            )
        elif isinstance(r, MessageRow):
            body = cipher.decrypt(r.body_enc, aad)
            case.messages.append(Message(Author(r.author), body, r.at, r.staff))
        elif isinstance(r, NoteRow):
            case.notes.append(Note(r.author, cipher.decrypt(r.body_enc, aad), r.at))
        elif isinstance(r, AttachmentRow):
            name = cipher.decrypt(r.filename_enc, aad)
            case.attachments.append(
                Attachment(name, r.media_type, r.size_bytes, r.sha256, r.storage_key, r.added_at)
            )


def _change(row: StatusChangeRow, cipher: FieldCipher, aad: str) -> StatusChange:
    reason = cipher.decrypt(row.reason_enc, aad) if row.reason_enc else ""
    source = Status(row.from_status) if row.from_status else None
    return StatusChange(source, Status(row.to_status), row.at, row.actor, row.unit, reason)


def _personal(case: Complaint) -> dict[str, Any]:
    return {
        "description": case.description,
        "contact": vars(case.contact) if case.contact else None,
        "residence": vars(case.residence) if case.residence else None,
        "consent": vars(case.consent),
    }


def _place(postal_code: str | None, municipality_nis: str | None) -> Place | None:
    if postal_code is None and municipality_nis is None:
        return None
    return Place(postal_code, municipality_nis)
