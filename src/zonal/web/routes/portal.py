"""The citizen portal: start a complaint, fill in the form for its kind, get the acknowledgement
(page, shown once after a redirect, and PDF), then follow the case with the reference and the
secret receipt code.

Pages are rendered on the server and work without JavaScript. Every form carries the CSRF
token; pages that show a case are never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from zonal.bootstrap import ComplaintsSetup
from zonal.complaints.acknowledgement import format_when, next_steps
from zonal.complaints.domain.errors import IllegalTransition, ReceiptInvalid
from zonal.complaints.domain.identifiers import IdentifierKind
from zonal.complaints.domain.model import BiasMotive
from zonal.complaints.domain.receipt import parse_reference
from zonal.complaints.pdf import acknowledgement_pdf
from zonal.complaints.rules import INFORMATION, MESSAGE
from zonal.complaints.schemas import MessageIn, VictimInformation
from zonal.complaints.views import ComplaintPublic
from zonal.errors import TooManyAttempts
from zonal.services import complaints as services
from zonal.taxonomy import OFFENCE_TYPES, OffenceType
from zonal.web.deps import ComplaintsDep, LanguageDep
from zonal.web.errors import refusal
from zonal.web.i18n import gettext_for
from zonal.web.numbers import number_format
from zonal.web.routes.portal_forms import (
    ComplaintForm,
    empty_form,
    identifier_rows,
    parse_complaint,
)
from zonal.web.routes.portal_receipts import (
    ACKNOWLEDGEMENT_PATH,
    forget_receipt,
    keep_receipt,
    take_receipt,
)
from zonal.web.routes.portal_submit import checked_uploads, file_complaint
from zonal.web.routes.portal_support import (
    GROUPS,
    FormDep,
    GuardDep,
    PortalGuard,
    acknowledgement_of,
    check_limit,
    group_of,
    portal_offence,
    status_label,
    text_fields,
    unit_label,
    uploads,
    wait_message,
)
from zonal.web.security import client_address, csrf_token, set_csrf_cookie
from zonal.web.templating import render

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
CaseAction = Callable[[str, str, str], ComplaintPublic]
KEPT = ("body", "text", "id_kind", "id_value")  # typed on the case page, shown again on errors


@router.get("/complaint", response_class=HTMLResponse)
def start_page(
    request: Request, about: Annotated[str | None, Query(max_length=10)] = None
) -> HTMLResponse:
    """Where to start: what happened, or call 112 / 101 instead."""
    group = about if about in GROUPS else None
    offences = [OFFENCE_TYPES[code] for code in GROUPS[group]] if group else []
    return _page(request, "portal/start.html", {"group": group, "offences": offences})


@router.get("/complaint/{code}", response_class=HTMLResponse)
def complaint_form(request: Request, code: str, language: LanguageDep) -> HTMLResponse:
    """The guided form for one kind of offence."""
    offence = portal_offence(code, language)
    return _form_page(request, offence, empty_form())


@router.post("/complaint/{code}", response_class=HTMLResponse)
def post_complaint_form(
    request: Request,
    code: str,
    form: FormDep,
    setup: ComplaintsDep,
    guard: GuardDep,
    language: LanguageDep,
) -> Response:
    """File the complaint, then go (303) to the acknowledgement, so a reload never re-files."""
    offence, _ = portal_offence(code, language), gettext_for(language)
    fields = text_fields(form)
    if fields.get("action") == "add_row":
        return _form_page(request, offence, ComplaintForm(fields, identifier_rows(fields, True)))
    parsed = parse_complaint(offence, fields, language, setup.policy.registry, _)
    files = checked_uploads(uploads(form), parsed, _)
    receipt = None
    if not parsed.errors:  # only filings count: a citizen fixing mistakes is not throttled
        check_limit(guard.limiter, guard.limits.submit_per_client, client_address(request), _)
        receipt = file_complaint(setup, parsed, files, client_address(request), _)
    if receipt is None:
        return _form_page(request, offence, parsed, status=422)
    redirect = RedirectResponse(ACKNOWLEDGEMENT_PATH, status_code=303)
    keep_receipt(request, redirect, receipt)
    return redirect


@router.get(ACKNOWLEDGEMENT_PATH, response_class=HTMLResponse)
def acknowledgement_page(
    request: Request, setup: ComplaintsDep, language: LanguageDep
) -> HTMLResponse:
    """The reference and receipt code, shown once; reloading points to /follow instead."""
    receipt = take_receipt(request)
    if receipt is None:
        page = _page(request, "portal/acknowledgement_gone.html", {}, status=410, no_store=True)
    else:
        ack = acknowledgement_of(receipt, receipt.receipt_code, setup, request, language)
        when = format_when(receipt.submitted_at)
        context = {"ack": ack, "steps": next_steps(gettext_for(language)), "when": when}
        page = _page(request, "portal/acknowledgement.html", context, no_store=True)
    forget_receipt(request, page)
    return page


@router.post("/follow/acknowledgement.pdf")
def acknowledgement_download(
    request: Request, form: FormDep, setup: ComplaintsDep, guard: GuardDep, language: LanguageDep
) -> Response:
    """The written acknowledgement as a PDF in the page's language."""
    fields = text_fields(form)
    outcome = _open(request, setup, guard, fields, language)
    if not isinstance(outcome, ComplaintPublic):
        return outcome
    ack = acknowledgement_of(outcome, fields.get("code", ""), setup, request, language)
    content = acknowledgement_pdf(ack, gettext_for(language), language)
    disposition = f'attachment; filename="{outcome.reference}.pdf"'
    headers = {**NO_STORE, "Content-Disposition": disposition}
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/follow", response_class=HTMLResponse)
def follow_page(request: Request) -> HTMLResponse:
    """Type the reference and the receipt code to see the case."""
    return _page(request, "portal/follow.html", {"values": {}}, no_store=True)


@router.post("/follow", response_class=HTMLResponse)
def follow_case(
    request: Request, form: FormDep, setup: ComplaintsDep, guard: GuardDep, language: LanguageDep
) -> Response:
    """The case: status, messages from the police, forms to reply or add information."""
    fields = text_fields(form)
    outcome = _open(request, setup, guard, fields, language)
    if not isinstance(outcome, ComplaintPublic):
        return outcome
    return _case_page(request, outcome, fields, setup, language)


@router.post("/follow/message", response_class=HTMLResponse)
def follow_message(
    request: Request, form: FormDep, setup: ComplaintsDep, guard: GuardDep, language: LanguageDep
) -> Response:
    """Send a message to the police about the case."""
    fields, _ = text_fields(form), gettext_for(language)
    try:
        body = MessageIn(body=fields.get("body", "")).body
    except ValidationError:
        longest = number_format(language).number(MESSAGE.max)
        error = {"body": _("Write a message of at most %(max)s characters.", max=longest)}
        return _reopen(request, setup, guard, fields, language, error)

    def send(reference: str, code: str, client: str) -> ComplaintPublic:
        return services.victim_message(setup.uow(), reference, code, body, client)

    notice = _("Your message was sent to the police.")
    return _act(request, setup, guard, fields, language, send, notice)


@router.post("/follow/information", response_class=HTMLResponse)
def follow_information(
    request: Request, form: FormDep, setup: ComplaintsDep, guard: GuardDep, language: LanguageDep
) -> Response:
    """Add what you remembered later, and one more detail (IBAN, phone, ...), to the case."""
    fields, _ = text_fields(form), gettext_for(language)
    ids = [{"kind": fields.get("id_kind", ""), "value": fields.get("id_value", "")}]
    try:
        info = VictimInformation(
            text=fields.get("text", ""), identifiers=ids if ids[0]["value"].strip() else []
        )
    except ValidationError:
        error = {"text": _("Write the new information, and check the detail you added.")}
        return _reopen(request, setup, guard, fields, language, error)

    def add(reference: str, code: str, client: str) -> ComplaintPublic:
        return services.add_victim_information(setup.uow(), reference, code, info, client)

    notice = _("Your information was added to the case.")
    return _act(request, setup, guard, fields, language, add, notice)


@router.post("/follow/attachment", response_class=HTMLResponse)
def follow_attachment(
    request: Request, form: FormDep, setup: ComplaintsDep, guard: GuardDep, language: LanguageDep
) -> Response:
    """Add a screenshot or PDF to the case."""
    fields, _ = text_fields(form), gettext_for(language)
    holder = ComplaintForm()
    files = checked_uploads(uploads(form, "file")[:1], holder, _)
    if not files:
        error = {"file": holder.errors.get("files", _("Choose a file first."))}
        return _reopen(request, setup, guard, fields, language, error)

    def attach(reference: str, code: str, client: str) -> ComplaintPublic:
        upload = files[0]
        return services.attach_file(
            setup.uow(), setup.files, reference, code, upload.filename, upload.content, client
        )

    notice = _("Your file was added to the case.")
    return _act(request, setup, guard, fields, language, attach, notice)


def _act(
    request: Request,
    setup: ComplaintsSetup,
    guard: PortalGuard,
    fields: dict[str, str],
    language: str,
    action: CaseAction,
    notice: str,
) -> Response:
    outcome = _open(request, setup, guard, fields, language, action)
    if isinstance(outcome, ComplaintPublic):
        return _case_page(request, outcome, fields, setup, language, notice=notice)
    return outcome


def _reopen(
    request: Request,
    setup: ComplaintsSetup,
    guard: PortalGuard,
    fields: dict[str, str],
    language: str,
    errors: dict[str, str],
) -> Response:
    outcome = _open(request, setup, guard, fields, language)
    if isinstance(outcome, ComplaintPublic):
        return _case_page(request, outcome, fields, setup, language, errors, status=422)
    return outcome


def _open(
    request: Request,
    setup: ComplaintsSetup,
    guard: PortalGuard,
    fields: dict[str, str],
    language: str,
    action: CaseAction | None = None,
) -> ComplaintPublic | Response:
    """Run `action` (default: read the case) with the posted reference and code, or the
    follow form with one message for any refusal (never saying whether the case exists)."""
    _ = gettext_for(language)
    reference, code = fields.get("reference", "")[:40], fields.get("code", "")[:60]
    client = client_address(request)
    values = {"reference": reference}
    act = action or partial(services.open_with_receipt, setup.uow())
    try:
        check_limit(guard.limiter, guard.limits.follow_per_client, client, _)
        # per reference *and* client: whoever knows a reference must not lock its victim out
        subject = parse_reference(reference) or reference.strip().upper()
        check_limit(guard.limiter, guard.limits.follow_per_reference, f"{subject} {client}", _)
        return act(reference, code, client)
    except TooManyAttempts as exc:  # the portal's rate limits and the service's lockout
        context = {"values": values, "error": wait_message(exc.retry_after, _)}
        return refusal(request, exc, partial(_follow_page, request, context))
    except ReceiptInvalid as exc:
        refused = _("This reference and receipt code do not match a complaint. Check both on"
                    " your acknowledgement.")  # fmt: skip
        context = {"values": values, "error": refused}
        return refusal(request, exc, partial(_follow_page, request, context))
    except IllegalTransition as exc:
        closed = {"form": _("This case is closed. You can no longer add to it.")}
        case = services.open_with_receipt(setup.uow(), reference, code, client)
        page = partial(_case_page, request, case, fields, setup, language, closed)
        return refusal(request, exc, lambda status: page(status=status))


def _follow_page(request: Request, context: dict[str, Any], status: int) -> HTMLResponse:
    return _page(request, "portal/follow.html", context, status=status, no_store=True)


def _case_page(
    request: Request,
    case: ComplaintPublic,
    fields: dict[str, str],
    setup: ComplaintsSetup,
    language: str,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HTMLResponse:
    _ = gettext_for(language)
    context = {
        "case": case,
        "code": fields.get("code", "")[:60],
        # Cut at the longest text the page accepts, before it is shown again.
        "values": {k: fields.get(k, "")[: INFORMATION.max] for k in KEPT} if errors else {},
        "errors": errors or {},
        "notice": notice,
        "status_text": status_label(case.status, _),
        "offence": OFFENCE_TYPES[case.offence_type].label(language),
        "unit": unit_label(case.competent_unit, setup.policy.registry, language),
        "when": format_when,
        "kinds": list(IdentifierKind),
    }
    return _page(request, "portal/case.html", context, status=status, no_store=True)


def _form_page(
    request: Request, offence: OffenceType, form: ComplaintForm, status: int = 200
) -> HTMLResponse:
    language: str = request.state.language
    context = {
        "offence": offence,
        "offence_label": offence.label(language),
        "group": group_of(offence),
        "form": form,
        "errors": form.errors,
        "kinds": list(IdentifierKind),
        "motives": list(BiasMotive),
    }
    return _page(request, "portal/form.html", context, status=status)


def _page(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    no_store: bool = False,
) -> HTMLResponse:
    response = render(request, name, {"errors": {}, **context, "csrf": csrf_token(request)}, status)
    set_csrf_cookie(request, response)
    if no_store:
        response.headers.update(NO_STORE)
    return response
