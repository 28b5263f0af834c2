"""One case in the back office: the page (after a stated reason), its actions, its export.

Each action is a POST form with a CSRF token that calls one service and returns to the case
with a notice. The services refuse what the role or zone does not allow and log the attempt:
another zone's case is "not found" (404), an action outside the role is refused (403).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from zonal.bootstrap import ComplaintsSetup
from zonal.complaints import rules
from zonal.complaints.domain.attachments import download_name
from zonal.complaints.domain.errors import IllegalTransition
from zonal.complaints.domain.receipt import parse_reference
from zonal.complaints.domain.staff import Action, CaseOptions, StaffAccount, case_options
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.labels import Labels
from zonal.complaints.pdf import case_pdf
from zonal.complaints.schemas import MessageIn, TransitionIn
from zonal.complaints.views import Assignee, CaseStaffView
from zonal.errors import InputError
from zonal.services.complaints import (
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
from zonal.web.deps import LanguageDep
from zonal.web.i18n import Gettext, gettext_for
from zonal.web.numbers import number_format
from zonal.web.routes.backoffice_deps import (
    BackOfficeRoute,
    CurrentSession,
    CurrentStaff,
    SessionsDep,
    Setup,
    labels_for,
    offence_choices,
    offence_label,
    office_page,
    parse,
    set_notice,
)
from zonal.web.security import CSRF_FIELD, check_csrf
from zonal.web.staff_session import StaffSession, remember_reason

router = APIRouter(prefix="/cases", route_class=BackOfficeRoute)
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=20_000)]
# Triage, assigning and closing have forms of their own (type, assignee, outcome).
_NOT_BY_FORM = frozenset({Status.TRIAGED, Status.ASSIGNED, Status.CLOSED})


def canonical(reference: str) -> str:
    """The reference as stored (ZON-2026-000123); anything else cannot name a case."""
    return parse_reference(reference) or reference.strip().upper()[:40]


@dataclass(frozen=True)
class CaseAction:
    """A POST on one case whose CSRF token is checked: no action route can forget it."""

    request: Request
    setup: ComplaintsSetup
    staff: StaffAccount
    session: StaffSession
    reference: str  # canonical
    language: str
    _: Gettext

    def done(self, notice: str) -> Response:
        """Back to the case page, with `notice` shown once."""
        set_notice(self.request, self.session, notice)
        return RedirectResponse(f"/office/cases/{self.reference}", status_code=303)

    def refused(self, exc: IllegalTransition, target: Status | None, **kept: str) -> Response:
        """The case page again (409), saying why in the page's language, the forms still
        holding what was typed (`kept`), when the case's state refuses the action."""
        why = self.session.reasons.get(self.reference)
        if why is None:  # not opened with a reason: no page to come back to
            raise exc
        shown = {"refusal": {"target": target, "detail": str(exc)}, "kept": kept}
        args = (self.request, self.setup, self.staff, self.language, self.reference, why)
        return _case(*args, shown, exc.http_status)


async def _case_action(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    session: CurrentSession,
    language: LanguageDep,
    reference: str,
) -> CaseAction:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(request, token if isinstance(token, str) else None)
    ref, _ = canonical(reference), gettext_for(language)
    return CaseAction(request, setup, staff, session, ref, language, _)


CaseActionDep = Annotated[CaseAction, Depends(_case_action)]


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
    return _case(request, setup, staff, language, ref, why)


def _case(
    request: Request,
    setup: Setup,
    staff: StaffAccount,
    language: str,
    ref: str,
    why: str,
    shown: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    case = get_case(setup.uow(), staff, ref, why)
    # Links are a permission of their own: a role that may read the case but not link (the DPO,
    # answering a data-subject request) sees the page without them rather than a refusal.
    may_link = staff.may(Action.LINK_CASES)
    linked = linked_complaints(setup.uow(), staff, ref) if may_link else []
    options = case_options(staff, case.status)
    context = {
        "case": case,
        "linked": linked,
        "why": why,
        "options": options,
        "allowed": {a.value for a in options.actions},
        "next_states": [s for s in options.next_states if s not in _NOT_BY_FORM],
        "outcomes": list(Outcome),
        "offence": offence_label(case.offence_type, language),
        "offence_types": offence_choices(language, online_only=False),
        "assignees": _assignees(setup, staff, case, options),
        "kept": {},
        **(shown or {}),
    }
    return office_page(request, "backoffice/case.html", context, staff, status_code)


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
        "Content-Disposition": _disposition(download_name(name, media_type)),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return Response(content, media_type=media_type, headers=headers)


@router.post("/{reference}/open")
def open_case(
    action: CaseActionDep, sessions: SessionsDep, why: Annotated[str, Form(max_length=2_000)] = ""
) -> Response:
    """Remember why the staff member opens this case; every read logs that reason."""
    ref, reason = action.reference, rules.justification(why)
    if reason is None:
        number, length = number_format(action.language).number, rules.JUSTIFICATION
        error = action._(
            "Say why you open this case, in %(min)s to %(max)s characters.",
            min=number(length.min),
            max=number(length.max),
        )
        context = {"reference": ref, "error": error}
        return office_page(action.request, "backoffice/justify.html", context, action.staff, 400)
    sessions.update(action.request, remember_reason(action.session, ref, reason))
    return RedirectResponse(f"/office/cases/{ref}", status_code=303)


@router.post("/{reference}/triage")
def triage_case(action: CaseActionDep, priority: Short = "", offence_type: Short = "") -> Response:
    """Confirm a received case, optionally with a corrected type and priority."""
    level, kind = _priority(priority), offence_type.strip() or None
    triage(action.setup.uow(), action.staff, action.reference, level, kind)
    return action.done(action._("The case is triaged."))


@router.post("/{reference}/assign")
def assign_case(action: CaseActionDep, assignee: Short = "") -> Response:
    """Give the case to an investigator of its unit."""
    view = assign(action.setup.uow(), action.staff, action.reference, assignee)
    return action.done(action._("The case is assigned to %(name)s.", name=view.assigned_to))


@router.post("/{reference}/transition")
def move_case(
    action: CaseActionDep,
    target: Short = "",
    reason: Long = "",
    outcome: Short = "",
    merged_into: Short = "",
) -> Response:
    """Move the case along the workflow, or close it with an outcome."""
    change = parse(
        TransitionIn,
        target=target,
        reason=reason,
        outcome=outcome or None,
        merged_into=merged_into.strip() or None,
    )
    try:
        transition(action.setup.uow(), action.staff, action.reference, change)
    except IllegalTransition as exc:
        kept = {"close_reason" if change.outcome else "move_reason": reason}
        return action.refused(exc, change.target, merged_into=merged_into, **kept)
    return action.done(action._("The status is changed."))


@router.post("/{reference}/reroute")
def reroute_case(action: CaseActionDep, unit: Short = "", reason: Long = "") -> Response:
    """Send the case to another zone or federal unit, with a reason."""
    if not " ".join(reason.split()):
        raise InputError("give the reason for re-routing; it goes into the case history")
    view = reroute(action.setup.uow(), action.staff, action.reference, unit, reason)
    notice = action._(
        "Case %(reference)s is sent to %(unit)s.", reference=view.reference, unit=unit
    )
    set_notice(action.request, action.session, notice)
    return RedirectResponse("/office/queue", status_code=303)


@router.post("/{reference}/message")
def message_victim(
    action: CaseActionDep, body: Long = "", await_reply: Annotated[bool, Form()] = False
) -> Response:
    """Write to the victim; they read it on the portal with their receipt."""
    message = parse(MessageIn, body=body)
    try:
        send_message_to_victim(
            action.setup.uow(), action.staff, action.reference, message, await_reply
        )
    except IllegalTransition as exc:
        target = Status.AWAITING_VICTIM if await_reply else None
        return action.refused(exc, target, message_body=body)
    return action.done(action._("The message is sent."))


@router.post("/{reference}/note")
def add_note(action: CaseActionDep, body: Long = "") -> Response:
    """Add an internal note (staff only; the victim never sees it)."""
    note = parse(MessageIn, body=body)
    try:
        add_internal_note(action.setup.uow(), action.staff, action.reference, note)
    except IllegalTransition as exc:
        return action.refused(exc, None, note_body=body)
    return action.done(action._("The note is saved."))


@router.post("/{reference}/export")
def export(
    action: CaseActionDep,
    why: Annotated[str, Form(max_length=2_000)] = "",
    format: Short = "json",  # noqa: A002 - the form field's name
) -> Response:
    """The case for the prosecutor, as JSON or PDF, for a reason written to the log."""
    if format not in {"json", "pdf"}:
        raise InputError(f"export format {format[:10]!r} is unknown; choose json or pdf")
    exported = export_case(action.setup.uow(), action.staff, action.reference, why)
    return _download(exported, format, labels_for(action.request, action.language))


def _download(exported: dict[str, Any], format: str, labels: Labels) -> Response:  # noqa: A002
    name = f"{exported['case']['reference']}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "pdf":
        return Response(case_pdf(exported, labels), media_type="application/pdf", headers=headers)
    text = json.dumps(exported, ensure_ascii=False, indent=2)
    return Response(text, media_type="application/json; charset=utf-8", headers=headers)


def _assignees(
    setup: Setup, staff: StaffAccount, case: CaseStaffView, options: CaseOptions
) -> list[Assignee] | None:
    """The choices of the assign form, or None when the form is not shown."""
    if not options.offers(Action.ASSIGN):
        return None
    return list_assignees(setup.uow(), staff, case.reference)


def _disposition(filename: str) -> str:
    # The plain name is for old clients; filename* (RFC 6266) keeps accents and other scripts.
    plain = "".join(c if c.isascii() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _priority(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InputError(f"priority {text[:10]!r} must be a number from 1 (most urgent) to 4")
    return int(text)
