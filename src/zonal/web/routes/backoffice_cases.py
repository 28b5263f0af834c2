"""One case in the back office: the page (after a stated reason), its actions, its export.

Each action is a POST form with a CSRF token that calls one service and returns to the case
with a notice. The services refuse what the role or zone does not allow and log the attempt:
another zone's case is "not found" (404), an action outside the role is refused (403).
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from zonal.complaints.domain.receipt import parse_reference
from zonal.complaints.domain.staff import Action, StaffAccount, can
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.schemas import MessageIn, TransitionIn
from zonal.complaints.services import (
    add_internal_note,
    assign,
    attachment_content,
    export_case,
    get_case,
    linked_complaints,
    list_assignees,
    reroute,
    send_message_to_victim,
    transition,
    triage,
)
from zonal.complaints.views import Assignee, CaseStaffView
from zonal.errors import InputError
from zonal.web.deps import LanguageDep
from zonal.web.i18n import gettext_for
from zonal.web.routes.backoffice_deps import (
    BackOfficeRoute,
    CurrentSession,
    CurrentStaff,
    SessionsDep,
    Setup,
    offence_choices,
    offence_label,
    office_page,
    parse,
    set_notice,
)
from zonal.web.routes.backoffice_export import case_pdf
from zonal.web.security import check_csrf
from zonal.web.staff_session import StaffSession, remember_reason

router = APIRouter(prefix="/cases", route_class=BackOfficeRoute)
Token = Annotated[str, Form(max_length=100)]
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=20_000)]
MIN_REASON, MAX_REASON = 5, 500
# Triage, assigning and closing have forms of their own (type, assignee, outcome).
_NOT_BY_FORM = frozenset({Status.TRIAGED, Status.ASSIGNED, Status.CLOSED})
_ASSIGNABLE = frozenset(
    {Status.TRIAGED, Status.ASSIGNED, Status.UNDER_INVESTIGATION, Status.AWAITING_VICTIM}
)


def canonical(reference: str) -> str:
    """The reference as stored (ZON-2026-000123); anything else cannot name a case."""
    return parse_reference(reference) or reference.strip().upper()[:40]


@router.get("/{reference}")
def case_page(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
) -> Response:
    """The case in full, once the staff member has said why they open it (Art. 25 log)."""
    ref = canonical(reference)
    why = session.reasons.get(ref)
    if why is None:
        return office_page(request, "backoffice/justify.html", {"reference": ref}, staff)
    case = get_case(setup.uow(), staff, ref, why)
    linked = linked_complaints(setup.uow(), staff, ref)
    context = {
        "case": case,
        "linked": linked,
        "why": why,
        "allowed": allowed_actions(staff),
        "next_states": [s for s in case.allowed_next if s not in _NOT_BY_FORM],
        "closable": Status.CLOSED in case.allowed_next,
        "outcomes": list(Outcome),
        "offence": offence_label(case.offence_type, language),
        "offence_types": offence_choices(language, online_only=False),
        "assignees": _assignees(setup, staff, case),
    }
    return office_page(request, "backoffice/case.html", context, staff)


@router.get("/{reference}/attachments/{attachment}")
def attachment_download(
    setup: Setup, staff: CurrentStaff, session: CurrentSession, reference: str, attachment: str
) -> Response:
    """A file the victim sent, as a download, for the reason given when opening the case."""
    ref = canonical(reference)
    why = session.reasons.get(ref)
    if why is None:  # the case page asks for the reason first
        return RedirectResponse(f"/office/cases/{ref}", status_code=303)
    name, media_type, content = attachment_content(
        setup.uow(), setup.files, staff, ref, attachment[:40], why
    )
    # Evidence is never shown inline: a crafted PDF or image must not run in the office's origin.
    headers = {
        "Content-Disposition": _disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return Response(content, media_type=media_type, headers=headers)


@router.post("/{reference}/open")
def open_case(
    request: Request,
    sessions: SessionsDep,
    session: CurrentSession,
    staff: CurrentStaff,
    language: LanguageDep,
    reference: str,
    why: Annotated[str, Form(max_length=2_000)] = "",
    csrf_token: Token = "",
) -> Response:
    """Remember why the staff member opens this case; every read logs that reason."""
    check_csrf(request, csrf_token)
    ref, reason = canonical(reference), " ".join(why.split())
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        _ = gettext_for(language)
        error = _("Say why you open this case, in 5 to 500 characters.")
        context = {"reference": ref, "error": error}
        return office_page(request, "backoffice/justify.html", context, staff, 400)
    sessions.update(request, remember_reason(session, ref, reason))
    return RedirectResponse(f"/office/cases/{ref}", status_code=303)


@router.post("/{reference}/triage")
def triage_case(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
    priority: Short = "",
    offence_type: Short = "",
    csrf_token: Token = "",
) -> Response:
    """Confirm a received case, optionally with a corrected type and priority."""
    check_csrf(request, csrf_token)
    level = _priority(priority)
    triage(setup.uow(), staff, canonical(reference), level, offence_type.strip() or None)
    return _done(request, session, reference, gettext_for(language)("The case is triaged."))


@router.post("/{reference}/assign")
def assign_case(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
    assignee: Short = "",
    csrf_token: Token = "",
) -> Response:
    """Give the case to an investigator of its unit."""
    check_csrf(request, csrf_token)
    view = assign(setup.uow(), staff, canonical(reference), assignee)
    notice = gettext_for(language)("The case is assigned to %(name)s.", name=view.assigned_to)
    return _done(request, session, reference, notice)


@router.post("/{reference}/transition")
def move_case(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
    target: Short = "",
    reason: Long = "",
    outcome: Short = "",
    merged_into: Short = "",
    csrf_token: Token = "",
) -> Response:
    """Move the case along the workflow, or close it with an outcome."""
    check_csrf(request, csrf_token)
    change = parse(
        TransitionIn,
        target=target,
        reason=reason,
        outcome=outcome or None,
        merged_into=merged_into.strip() or None,
    )
    transition(setup.uow(), staff, canonical(reference), change)
    return _done(request, session, reference, gettext_for(language)("The status is changed."))


@router.post("/{reference}/reroute")
def reroute_case(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
    unit: Short = "",
    reason: Long = "",
    csrf_token: Token = "",
) -> Response:
    """Send the case to another zone or federal unit, with a reason."""
    check_csrf(request, csrf_token)
    if not " ".join(reason.split()):
        raise InputError("give the reason for re-routing; it goes into the case history")
    view = reroute(setup.uow(), staff, canonical(reference), unit, reason)
    _ = gettext_for(language)
    notice = _("Case %(reference)s is sent to %(unit)s.", reference=view.reference, unit=unit)
    set_notice(request, session, notice)
    return RedirectResponse("/office/queue", status_code=303)


@router.post("/{reference}/message")
def message_victim(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
    body: Long = "",
    await_reply: Annotated[bool, Form()] = False,
    csrf_token: Token = "",
) -> Response:
    """Write to the victim; they read it on the portal with their receipt."""
    check_csrf(request, csrf_token)
    message = parse(MessageIn, body=body)
    send_message_to_victim(setup.uow(), staff, canonical(reference), message, await_reply)
    return _done(request, session, reference, gettext_for(language)("The message is sent."))


@router.post("/{reference}/note")
def add_note(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
    body: Long = "",
    csrf_token: Token = "",
) -> Response:
    """Add an internal note (staff only; the victim never sees it)."""
    check_csrf(request, csrf_token)
    add_internal_note(setup.uow(), staff, canonical(reference), parse(MessageIn, body=body))
    return _done(request, session, reference, gettext_for(language)("The note is saved."))


@router.post("/{reference}/export")
def export(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    language: LanguageDep,
    reference: str,
    why: Annotated[str, Form(max_length=2_000)] = "",
    format: Short = "json",  # noqa: A002 - the form field's name
    csrf_token: Token = "",
) -> Response:
    """The case for the prosecutor, as JSON or PDF, for a reason written to the log."""
    check_csrf(request, csrf_token)
    if format not in {"json", "pdf"}:
        raise InputError(f"export format {format[:10]!r} is unknown; choose json or pdf")
    exported = export_case(setup.uow(), staff, canonical(reference), why)
    return _download(exported, format, gettext_for(language))


def _download(exported: dict[str, Any], format: str, _: Any) -> Response:  # noqa: A002
    name = f"{exported['case']['reference']}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "pdf":
        return Response(case_pdf(exported, _), media_type="application/pdf", headers=headers)
    text = json.dumps(exported, ensure_ascii=False, indent=2)
    return Response(text, media_type="application/json; charset=utf-8", headers=headers)


def _assignees(setup: Setup, staff: StaffAccount, case: CaseStaffView) -> list[Assignee] | None:
    """The choices of the assign form, or None when the form is not shown."""
    if not can(staff.role, Action.ASSIGN) or case.status not in _ASSIGNABLE:
        return None
    return list_assignees(setup.uow(), staff, case.reference)


def _disposition(filename: str) -> str:
    # The plain name is for old clients; filename* (RFC 6266) keeps accents and other scripts.
    plain = "".join(c if c.isascii() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _done(request: Request, session: StaffSession, reference: str, notice: str) -> Response:
    set_notice(request, session, notice)
    return RedirectResponse(f"/office/cases/{canonical(reference)}", status_code=303)


def _priority(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InputError(f"priority {text[:10]!r} must be a number from 1 (most urgent) to 4")
    return int(text)


def allowed_actions(staff: StaffAccount) -> set[str]:
    """The actions the staff member's role permits (used to hide the others' buttons)."""
    return {a.value for a in Action if can(staff.role, a)}
