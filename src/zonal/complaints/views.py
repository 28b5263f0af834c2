"""What the services hand back: the citizen's view, the staff view and the small results.

Pydantic models, so the web layer can render them or dump them as JSON
(`model_dump(mode="json")`). The citizen's view never holds internal notes, staff names,
the routing reasoning or identifiers of other cases.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from zonal.complaints.domain.audit import AuditRecord
from zonal.complaints.domain.model import Attachment, Complaint
from zonal.complaints.domain.workflow import Outcome, SlaPolicy, Status, allowed_from
from zonal.complaints.queries import CaseSummary

_FROZEN = ConfigDict(frozen=True)


class SubmissionReceipt(BaseModel):
    """The written acknowledgement's content. `receipt_code` is shown once and never stored."""

    model_config = _FROZEN
    reference: str
    receipt_code: str
    competent_unit: str
    submitted_at: datetime
    language: str
    offence_type: str


class MessageView(BaseModel):
    model_config = _FROZEN
    author: str  # "victim" or "police"
    body: str
    at: datetime


class ComplaintPublic(BaseModel):
    """What the victim sees through the receipt: status, messages, what they gave."""

    model_config = _FROZEN
    reference: str
    offence_type: str
    status: Status
    status_since: datetime
    competent_unit: str
    submitted_at: datetime
    language: str
    description: str
    loss_eur: Decimal
    identifiers: list[dict[str, str]]
    attachments: list[str]
    messages: list[MessageView]
    outcome: Outcome | None
    merged_into: str | None


class HistoryView(BaseModel):
    model_config = _FROZEN
    from_status: Status | None
    to_status: Status
    at: datetime
    actor: str
    unit: str
    reason: str


class AttachmentView(BaseModel):
    """A file the victim sent, as staff see it; `id` names it in download links."""

    model_config = _FROZEN
    id: str
    filename: str
    media_type: str
    size_bytes: int
    sha256: str  # of the content: lets the prosecutor check the evidence was not altered
    added_at: datetime


class Assignee(BaseModel):
    """A colleague who may be given a case (a choice for `assign`)."""

    model_config = _FROZEN
    username: str
    display_name: str
    role: str


class CaseStaffView(ComplaintPublic):
    """Everything staff in scope may see, with the SLA and the next allowed states."""

    online: bool
    occurred_from: datetime
    occurred_to: datetime | None
    place: dict[str, str | None] | None
    residence: dict[str, str | None] | None
    bias_motive: str | None
    contact: dict[str, str | None] | None
    contact_allowed: bool
    priority: int
    assigned_to: str | None
    routing_reason: str
    deadline: datetime | None
    overdue: bool
    allowed_next: list[Status]
    notes: list[dict[str, Any]]
    history: list[HistoryView]
    files: list[AttachmentView]
    staff_messages: list[dict[str, Any]]  # messages with the writing officer's username
    purged_at: datetime | None


@dataclass(frozen=True)
class QueueItem(CaseSummary):
    """A queue line as the repository reads it, with its deadline under the SLA."""

    deadline: datetime | None
    overdue: bool


class LinkedComplaint(BaseModel):
    model_config = _FROZEN
    reference: str
    competent_unit: str
    offence_type: str
    status: Status
    shared_kinds: list[str]  # which kinds of identifier are shared (iban, phone, ...)


class StaffCreated(BaseModel):
    """A new account; the TOTP secret and its otpauth URI are shown once, to enrol an app."""

    model_config = _FROZEN
    id: int
    username: str
    role: str
    scope: list[str]
    totp_secret: str
    totp_uri: str


class AuditEntry(BaseModel):
    model_config = _FROZEN
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    reference: str | None
    unit: str | None
    justification: str
    outcome: str
    detail: dict[str, Any]
    row_hash: str


class PurgeReport(BaseModel):
    model_config = _FROZEN
    erased: list[str]
    at: datetime


def public_view(case: Complaint) -> ComplaintPublic:
    return ComplaintPublic(**_public_fields(case))


def staff_view(case: Complaint, sla: SlaPolicy, now: datetime) -> CaseStaffView:
    return CaseStaffView(
        **_public_fields(case),
        online=case.online,
        occurred_from=case.occurred_from,
        occurred_to=case.occurred_to,
        place=vars(case.place) if case.place else None,
        residence=vars(case.residence) if case.residence else None,
        bias_motive=case.bias_motive.value if case.bias_motive else None,
        contact=vars(case.contact) if case.contact else None,
        contact_allowed=case.consent.contact_allowed,
        priority=case.priority,
        assigned_to=case.assigned_to,
        routing_reason=case.routing_reason,
        deadline=case.deadline(sla),
        overdue=case.overdue(now, sla),
        allowed_next=list(allowed_from(case.status)),
        notes=[{"author": n.author, "body": n.body, "at": n.at} for n in case.notes],
        history=[HistoryView(**vars(h)) for h in case.history],
        files=[attachment_view(a) for a in case.attachments],
        staff_messages=[
            {"author": m.author.value, "staff": m.staff, "body": m.body, "at": m.at}
            for m in case.messages
        ],
        purged_at=case.purged_at,
    )


def attachment_id(storage_key: str) -> str:
    """The public id of an attachment: a digest of its storage key.

    The storage key names the encrypted file on disk, so it stays inside the services; the
    digest is stable, unique within a case for all practical purposes, and reveals nothing.
    """
    return hashlib.sha256(f"attachment:{storage_key}".encode()).hexdigest()[:16]


def attachment_view(attachment: Attachment) -> AttachmentView:
    return AttachmentView(
        id=attachment_id(attachment.storage_key),
        filename=attachment.filename,
        media_type=attachment.media_type,
        size_bytes=attachment.size_bytes,
        sha256=attachment.sha256,
        added_at=attachment.added_at,
    )


def queue_item(summary: CaseSummary, sla: SlaPolicy, now: datetime) -> QueueItem:
    deadline = sla.deadline(summary.status, summary.status_since)
    overdue = deadline is not None and now > deadline
    return QueueItem(**vars(summary), deadline=deadline, overdue=overdue)


def audit_entry(record: AuditRecord) -> AuditEntry:
    event = record.event
    fields = {**vars(event), "action": event.action.value}
    return AuditEntry(id=record.id, row_hash=record.row_hash, **fields)


def _public_fields(case: Complaint) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "offence_type": case.offence_type,
        "status": case.status,
        "status_since": case.since,
        "competent_unit": case.competent_unit,
        "submitted_at": case.submitted_at,
        "language": case.language,
        "description": case.description,
        "loss_eur": case.loss_eur,
        "identifiers": [{"kind": i.kind.value, "value": i.raw} for i in case.identifiers],
        "attachments": [a.filename for a in case.attachments],
        "messages": [
            MessageView(author=m.author.value, body=m.body, at=m.at) for m in case.messages
        ],
        "outcome": case.outcome,
        "merged_into": case.merged_into,
    }
