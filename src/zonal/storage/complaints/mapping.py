"""Between the Complaint aggregate and its case row, encrypting personal fields on the way in.

The case row's one ciphertext (`personal_enc`) is bound to the case reference, so it does not
decrypt on another case's row; the child rows are mapped, each bound to its own identity, in
`children.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zonal.complaints.domain.model import BiasMotive, Complaint, Consent, Contact, Place
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.tables import CaseRow

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
    personal, aad = _personal(case), f"case:{case.reference}"
    # Re-encrypting unchanged content would rewrite the row with a new nonce: skip it.
    if row.personal_enc is None or cipher.decrypt_json(row.personal_enc, aad) != personal:
        row.personal_enc = cipher.encrypt_json(personal, aad)


def read_case(row: CaseRow, cipher: FieldCipher) -> Complaint:
    """The aggregate from its row; its lists are filled by children.read_children."""
    personal = (
        cipher.decrypt_json(row.personal_enc, f"case:{row.reference}") if row.personal_enc else {}
    )
    return Complaint(
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
    )


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
