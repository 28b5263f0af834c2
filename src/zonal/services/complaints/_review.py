"""Back-office services that read: queues, a case, its export, linked cases, the Art. 25 log,
and the retention job that erases personal content when its time is up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from zonal.complaints.domain.audit import AuditAction, ChainReport, ExportedHead
from zonal.complaints.domain.errors import CaseNotFound
from zonal.complaints.domain.model import Attachment, Complaint
from zonal.complaints.domain.staff import Action, StaffAccount
from zonal.complaints.queries import AuditQuery, QueueQuery
from zonal.complaints.schemas import QueueFilters
from zonal.complaints.views import (
    AuditEntry,
    CaseStaffView,
    LinkedComplaint,
    PurgeReport,
    QueueItem,
    attachment_id,
    audit_entry,
    queue_item,
    staff_view,
)
from zonal.services.complaints._common import (
    allow,
    load_case,
    log,
    require_justification,
    retrying,
)
from zonal.services.complaints.ports import AuditHeads, FileStore, UnitOfWork

EXPORT_FORMAT = "zonal-case-export/1"


def list_queue(uow: UnitOfWork, staff: StaffAccount, filters: QueueFilters) -> list[QueueItem]:
    """The cases of the staff member's zones and units matching `filters`, urgent first.

    Args:
        filters: statuses, type, unit, assignee, reference prefix, overdue only, paging.
    Returns:
        Queue lines without personal data; `overdue` marks cases past their SLA (escalation).
    Raises:
        NotAllowed: the role has no queue (administrator, DPO); logged.
    """
    with uow:
        allow(uow, staff, Action.LIST_QUEUE, None)
        if filters.overdue_only:
            allow(uow, staff, Action.VIEW_ESCALATIONS, None)
        now = uow.policy.clock()
        query = QueueQuery(
            **filters.model_dump(exclude={"overdue_only"}),
            overdue_at=now if filters.overdue_only else None,
        )
        found = uow.complaints.queue(staff.scope, query, uow.policy.sla)
        return [queue_item(summary, uow.policy.sla, now) for summary in found]


def get_case(
    uow: UnitOfWork, staff: StaffAccount, reference: str, justification: str
) -> CaseStaffView:
    """One case in full, for a stated reason that goes into the Art. 25 log.

    Raises:
        InputError: no justification. CaseNotFound: not in scope (logged). NotAllowed: role.
    """
    why = require_justification(justification)
    with uow:
        case = load_case(uow, staff, reference, Action.READ_CASE)
        log(uow, staff, AuditAction.READ, case, why)
        uow.commit()
        return staff_view(case, uow.policy.sla, uow.policy.clock())


def export_case(
    uow: UnitOfWork, staff: StaffAccount, reference: str, justification: str
) -> dict[str, Any]:
    """The whole case as a JSON-ready dict for the prosecutor (the PDF is rendered from it).

    Returns:
        {"format", "exported_at", "exported_by", "justification", "case": {...staff view}}.
    """
    why = require_justification(justification)
    with uow:
        case = load_case(uow, staff, reference, Action.EXPORT_CASE)
        now = uow.policy.clock()
        log(uow, staff, AuditAction.EXPORT, case, why, format=EXPORT_FORMAT)
        uow.commit()
        view = staff_view(case, uow.policy.sla, now)
        return {
            "format": EXPORT_FORMAT,
            "exported_at": now.isoformat(),
            "exported_by": staff.username,
            "justification": why,
            "case": view.model_dump(mode="json"),
        }


def linked_complaints(
    uow: UnitOfWork, staff: StaffAccount, reference: str
) -> list[LinkedComplaint]:
    """Other cases sharing a normalised identifier with this one (an IBAN, a wallet, ...).

    A role with LINK_ACROSS_ZONES (the federal analyst) sees links in every zone; everyone
    else within their own scope.
    """
    with uow:
        case = load_case(uow, staff, reference, Action.LINK_CASES)
        across = staff.may(Action.LINK_ACROSS_ZONES)
        shared = uow.complaints.sharing_identifiers(case.reference, None if across else staff.scope)
        log(uow, staff, AuditAction.READ, case, "linked complaints", linked=sorted(shared))
        uow.commit()
        return [
            LinkedComplaint(
                reference=s.reference,
                competent_unit=s.competent_unit,
                offence_type=s.offence_type,
                status=s.status,
                shared_kinds=sorted(shared[s.reference]),
            )
            for s in uow.complaints.summaries(sorted(shared))
        ]


def attachment_content(
    uow: UnitOfWork,
    files: FileStore,
    staff: StaffAccount,
    reference: str,
    attachment: str,
    justification: str,
) -> tuple[str, str, bytes]:
    """An attachment of a case in scope, for a logged reason.

    Args:
        attachment: the `id` of one of `CaseStaffView.files` (its storage key also works, for
            tools that hold it).
    Returns:
        (display filename, media type, content); serve it as a download, never inline.
    Raises:
        CaseNotFound: the case is not in scope (logged), or has no attachment with that id.
    """
    why = require_justification(justification)
    with uow:
        case = load_case(uow, staff, reference, Action.READ_CASE)
        found = _attachment(case, attachment)
        log(uow, staff, AuditAction.READ, case, why, attachment=found.sha256)
        uow.commit()
        return found.filename, found.media_type, files.get(found.storage_key)


def _attachment(case: Complaint, wanted: str) -> Attachment:
    for attachment in case.attachments:
        if wanted in (attachment_id(attachment.storage_key), attachment.storage_key):
            return attachment
    raise CaseNotFound(
        f"case {case.reference} has no attachment {wanted[:20]!r}; use a link on the case page"
    )


def expired_cases(uow: UnitOfWork, now: datetime | None = None) -> list[str]:
    """The references of closed cases whose retention has ended: what `purge_expired` would
    erase now."""
    with uow:
        return uow.complaints.expired(now or uow.policy.clock(), uow.policy.retention_days)


def purge_expired(
    uow: UnitOfWork, now: datetime | None = None, files: FileStore | None = None
) -> PurgeReport:
    """Erase the personal content of closed cases whose retention has ended.

    `files` (the attachment store) also loses the erased cases' files, once the erasure is
    committed. Redone on a fresh read when a case changed meanwhile (`retrying`).

    What stays: reference, type, unit, dates, status and outcome (for statistics), and an
    "erase" row in the Art. 25 log that says what was erased and why, without the content.
    """
    keys: list[str] = []

    def attempt(for_update: bool) -> PurgeReport:
        keys.clear()
        with uow:
            at = now or uow.policy.clock()
            erased = uow.complaints.expired(at, uow.policy.retention_days)
            cases = [_erased(uow, reference, at, keys, for_update) for reference in erased]
            # Logged after every save: the log's lock is taken after the cases' row locks, in
            # the order every other change takes them, so two writers cannot deadlock.
            for case in filter(None, cases):
                days = uow.policy.retention_days[case.outcome] if case.outcome else None
                outcome = case.outcome.value if case.outcome else None
                log(uow, "system", AuditAction.ERASE, case, "retention period ended",
                    outcome=outcome, retention_days=days)  # fmt: skip
            uow.commit()
            return PurgeReport(erased=erased, at=at)

    report = retrying(attempt, "expired cases")
    _delete_files(files, keys)
    return report


def _erased(
    uow: UnitOfWork, reference: str, at: datetime, keys: list[str], for_update: bool
) -> Complaint | None:
    """The case erased and saved (its files' keys added to `keys`), None if it is gone."""
    case = uow.complaints.get(reference, None, for_update)
    if case is None:
        return None
    keys.extend(attachment.storage_key for attachment in case.attachments)
    case.erase(at)
    uow.complaints.save(case)
    return case


def _delete_files(files: FileStore | None, keys: list[str]) -> None:
    if files is None:
        return
    for key in keys:
        files.delete(key)


def audit_log(uow: UnitOfWork, staff: StaffAccount, query: AuditQuery) -> list[AuditEntry]:
    """The Art. 25 log of the staff member's units (zone chief), or of every unit for a role
    with VIEW_WHOLE_AUDIT (the DPO), newest first.

    Consulting the log is itself logged.
    """
    with uow:
        allow(uow, staff, Action.VIEW_AUDIT, None)
        scoped = replace(query, units=None if staff.may(Action.VIEW_WHOLE_AUDIT) else staff.scope)
        entries = [audit_entry(record) for record in uow.audit.entries(scoped)]
        log(uow, staff, AuditAction.READ, None, "consulted the audit log", rows=len(entries))
        uow.commit()
        return entries


def verify_audit_log(
    uow: UnitOfWork, staff: StaffAccount, heads: AuditHeads | None = None
) -> ChainReport:
    """Verify the log's chain for a staff member allowed to see the log (the log page)."""
    with uow:
        allow(uow, staff, Action.VIEW_AUDIT, None)
    return verify_audit_chain(uow, heads)


def verify_audit_chain(uow: UnitOfWork, heads: AuditHeads | None = None) -> ChainReport:
    """Recompute the log's keyed chain and check it against every head exported to `heads`.

    When the chain holds, its head is exported (unless it is already the last one exported),
    so every verification also pins the log as it was found intact.
    """
    exported = heads.read() if heads is not None else []
    with uow:
        report = uow.audit.verify_chain(exported)
    if heads is not None and report.intact and report.head.entry > 0:
        if not exported or exported[-1].head != report.head:
            heads.export(report.head, uow.policy.clock())
    return report


def export_audit_head(uow: UnitOfWork, heads: AuditHeads) -> ExportedHead:
    """Append the log's current head (last entry and its hash), signed, to `heads`."""
    with uow:
        head = uow.audit.head()
    return heads.export(head, uow.policy.clock())
