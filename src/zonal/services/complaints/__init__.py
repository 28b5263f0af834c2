"""The complaints service layer: the one API the portal, the back office and the CLI call.

Every service takes a unit of work (`zonal.storage.complaints.unit_of_work.SqlUnitOfWork`, not
yet entered)
that it opens, commits on success and rolls back otherwise. Staff services take the
`StaffAccount` returned by `authenticate` (or `get_staff` for a session) and enforce its role
and scope; every refusal is logged in the Art. 25 log before it is raised.

Citizen (no account; reference + receipt code):
    submit_complaint(uow, ComplaintCreate) -> SubmissionReceipt
    open_with_receipt(uow, reference, code, client="") -> ComplaintPublic
    add_victim_information(uow, reference, code, VictimInformation, client="") -> ComplaintPublic
    victim_message(uow, reference, code, body, client="") -> ComplaintPublic
    attach_file(uow, files, reference, code, filename, content, client="") -> ComplaintPublic
Case work (staff):
    triage(uow, staff, reference, priority=None, offence_type=None) -> CaseStaffView
    list_assignees(uow, staff, reference) -> list[Assignee] (the choices for `assign`)
    assign(uow, staff, reference, assignee) -> CaseStaffView
    transition(uow, staff, reference, TransitionIn) -> CaseStaffView
    reroute(uow, staff, reference, unit, reason) -> CaseStaffView
    send_message_to_victim(uow, staff, reference, MessageIn, await_reply=False) -> CaseStaffView
    add_internal_note(uow, staff, reference, MessageIn) -> CaseStaffView
Reading (staff):
    list_queue(uow, staff, QueueFilters) -> list[QueueItem]
    get_case(uow, staff, reference, justification) -> CaseStaffView
    export_case(uow, staff, reference, justification) -> dict (JSON-ready)
    attachment_content(uow, files, staff, reference, attachment_id, justification)
        -> (name, type, bytes); the id is one of CaseStaffView.files
    linked_complaints(uow, staff, reference) -> list[LinkedComplaint]
    audit_log(uow, staff, AuditQuery) -> list[AuditEntry]
    verify_audit_log(uow, staff, heads=None) -> ChainReport (the log page)
Accounts and housekeeping:
    create_staff(uow, actor | None, StaffCreate) -> StaffCreated
    list_staff(uow, actor) -> list[StaffListing]
    disable_staff(uow, actor, username) / enable_staff(uow, actor, username) -> StaffAccount
    reset_staff_password(uow, actor, username, password) -> StaffAccount
    reenrol_staff(uow, actor, username) -> StaffCreated (the new TOTP secret, shown once)
    authenticate(uow, username, password, totp, client="") -> StaffAccount
    get_staff(uow, staff_id) -> StaffAccount
    expired_cases(uow, now=None) -> list[str]; purge_expired(uow, now=None, files=None)
        -> PurgeReport
    verify_audit_chain(uow, heads=None) -> ChainReport; export_audit_head(uow, heads)
        -> ExportedHead (the operator's `zonal audit` commands)
"""

from __future__ import annotations

from zonal.services.complaints._accounts import (
    LOGIN_REFUSED,
    authenticate,
    create_staff,
    disable_staff,
    enable_staff,
    get_staff,
    list_staff,
    reenrol_staff,
    reset_staff_password,
)
from zonal.services.complaints._casework import (
    add_internal_note,
    assign,
    list_assignees,
    reroute,
    send_message_to_victim,
    transition,
    triage,
)
from zonal.services.complaints._citizen import (
    RECEIPT_REFUSED,
    add_victim_information,
    attach_file,
    open_with_receipt,
    submit_complaint,
    victim_message,
)
from zonal.services.complaints._review import (
    EXPORT_FORMAT,
    attachment_content,
    audit_log,
    expired_cases,
    export_audit_head,
    export_case,
    get_case,
    linked_complaints,
    list_queue,
    purge_expired,
    verify_audit_chain,
    verify_audit_log,
)

__all__ = [
    "EXPORT_FORMAT",
    "LOGIN_REFUSED",
    "RECEIPT_REFUSED",
    "add_internal_note",
    "add_victim_information",
    "assign",
    "attach_file",
    "attachment_content",
    "audit_log",
    "authenticate",
    "create_staff",
    "disable_staff",
    "enable_staff",
    "expired_cases",
    "export_audit_head",
    "export_case",
    "get_case",
    "get_staff",
    "linked_complaints",
    "list_assignees",
    "list_queue",
    "list_staff",
    "open_with_receipt",
    "purge_expired",
    "reenrol_staff",
    "reset_staff_password",
    "reroute",
    "send_message_to_victim",
    "submit_complaint",
    "transition",
    "triage",
    "verify_audit_chain",
    "verify_audit_log",
    "victim_message",
]
