"""The back office at /office: staff login, the triage queue, the Art. 25 log viewer.

Case pages and their actions live in `backoffice_cases`, included here so the app adds one
router. Every route calls the complaint services, which enforce role and zone scope and log
every refusal; the pages only hide buttons a role cannot use.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.errors import AuthenticationFailed
from zonal.complaints.domain.receipt import parse_reference
from zonal.complaints.domain.staff import Action, StaffAccount
from zonal.complaints.domain.workflow import Status
from zonal.complaints.queries import AuditQuery
from zonal.complaints.schemas import QueueFilters
from zonal.errors import InputError, TooManyAttempts
from zonal.services.complaints import audit_log, authenticate, list_queue, verify_audit_log
from zonal.services.demo import demo_logins
from zonal.web.deps import LanguageDep, complaints_of
from zonal.web.errors import refusal
from zonal.web.i18n import gettext_for
from zonal.web.routes import backoffice_cases
from zonal.web.routes.backoffice_deps import (
    LOGIN_PER_ADDRESS,
    LOGIN_PER_USERNAME,
    BackOfficeRoute,
    CurrentStaff,
    LoggedIn,
    SessionsDep,
    Setup,
    limiter_of,
    offence_choices,
    office_page,
    parse,
)
from zonal.web.security import check_csrf, client_address

router = APIRouter(prefix="/office", route_class=BackOfficeRoute, include_in_schema=False)
router.include_router(backoffice_cases.router)
PAGE_SIZE = 50
Text = Annotated[str, Form(max_length=300)]
Filter = Annotated[str, Query(max_length=60)]


# The first page a role may use is its start page: casework, else the log (the DPO), else
# the accounts note (the administrator). The queue refuses a role with none of them.
_HOMES = (
    (Action.LIST_QUEUE, "/office/queue"),
    (Action.VIEW_AUDIT, "/office/audit"),
    (Action.MANAGE_STAFF, "/office/accounts"),
)


def home_of(staff: StaffAccount) -> str:
    """Where a role starts: the first page of `_HOMES` its permissions open."""
    return next((page for action, page in _HOMES if staff.may(action)), "/office/queue")


@router.get("")
def office_home(staff: CurrentStaff) -> Response:
    """The start page of the logged-in role."""
    return RedirectResponse(home_of(staff), status_code=303)


@router.get("/login")
def login_page(request: Request) -> Response:
    """The login form: username, password and the code of the authenticator app."""
    return _login_page(request, "", 200)


def _login_page(request: Request, error: str, status: int) -> Response:
    # In demo mode (synthetic data, public key) the demo accounts and their codes are shown.
    demo = demo_logins(complaints_of(request)) if request.app.state.settings.demo_mode else []
    return office_page(
        request, "backoffice/login.html", {"error": error, "demo": demo}, None, status
    )


@router.post("/login")
def login(
    request: Request,
    setup: Setup,
    sessions: SessionsDep,
    language: LanguageDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
    csrf_token: Text = "",
) -> Response:
    """Check the login, rate-limited per address and per (username, address); start a session."""
    check_csrf(request, csrf_token)
    client = client_address(request)
    limiter_of(request).check(LOGIN_PER_ADDRESS, client)
    # per username *and* address: a stranger's guesses must not lock the colleague out
    limiter_of(request).check(LOGIN_PER_USERNAME, f"{username.strip().lower()} {client}")
    _ = gettext_for(language)
    try:
        staff = authenticate(setup.uow(), username, password, code, client)
    except AuthenticationFailed as exc:
        error = _("The username, password or code is not right. Try again.")
        return refusal(request, exc, partial(_login_page, request, error))
    except TooManyAttempts as exc:
        error = _("Too many failed attempts. Wait 15 minutes, then try again.")
        return refusal(request, exc, partial(_login_page, request, error))
    response = RedirectResponse(home_of(staff), status_code=303)
    sessions.start(request, response, staff.id)
    return response


@router.post("/logout")
def logout(request: Request, sessions: SessionsDep, csrf_token: Text = "") -> Response:
    """End the session on the server and in the browser."""
    check_csrf(request, csrf_token)
    response = RedirectResponse("/office/login", status_code=303)
    sessions.end(request, response)
    return response


@router.get("/accounts")
def accounts_page(request: Request, staff: CurrentStaff) -> Response:
    """The administrator's page: accounts are managed with the `zonal staff` command."""
    return office_page(request, "backoffice/accounts.html", {}, staff)


@router.get("/queue")
def queue_page(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    language: LanguageDep,
    status: Annotated[list[str] | None, Query()] = None,
    offence_type: Filter = "",
    reference: Filter = "",
    assigned_to: Filter = "",
    overdue: bool = False,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """The cases of the staff member's zones and units, urgent first, with filters."""
    chosen = [s for s in (status or []) if s]
    filters = parse(
        QueueFilters,
        statuses=chosen or None,
        offence_type=offence_type or None,
        reference_prefix=reference.strip().upper() or None,
        assigned_to=assigned_to or None,
        overdue_only=overdue,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    items = list_queue(setup.uow(), staff, filters)
    context = {
        "items": items[:PAGE_SIZE],
        "more": len(items) > PAGE_SIZE,
        "page": page,
        "filters": {"status": chosen, "offence_type": offence_type, "reference": reference,
                    "assigned_to": assigned_to, "overdue": overdue},
        "statuses": list(Status),
        "offence_types": offence_choices(language, online_only=True),
        "offence_names": dict(offence_choices(language, online_only=False)),
    }  # fmt: skip
    return office_page(request, "backoffice/queue.html", context, staff)


@router.get("/find", dependencies=[LoggedIn])
def find_case(reference: Filter = "") -> Response:
    """Go to a case by its reference (the DPO has no queue)."""
    canonical = parse_reference(reference)
    if canonical is None:
        raise InputError(
            f"{reference[:30]!r} is not a case reference; it looks like ZON-2026-000123"
        )
    return RedirectResponse(f"/office/cases/{canonical}", status_code=303)


@router.get("/audit")
def audit_page(
    request: Request,
    setup: Setup,
    staff: CurrentStaff,
    reference: Filter = "",
    actor: Filter = "",
    action: Filter = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """The Art. 25 log (zone chief: own units; DPO: all) and whether its hash chain is intact."""
    if action and action not in set(AuditAction):
        raise InputError(f"action {action[:20]!r} is unknown; use one of {', '.join(AuditAction)}")
    query = AuditQuery(
        reference=parse_reference(reference) or (reference.strip() or None),
        actor=actor.strip().lower() or None,
        action=AuditAction(action) if action else None,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    entries = audit_log(setup.uow(), staff, query)
    broken_at = verify_audit_log(setup.uow(), staff, setup.heads).broken_at
    context = {
        "entries": entries[:PAGE_SIZE],
        "more": len(entries) > PAGE_SIZE,
        "page": page,
        "broken_at": broken_at,
        "filters": {"reference": reference, "actor": actor, "action": action},
        "actions": list(AuditAction),
    }
    return office_page(request, "backoffice/audit.html", context, staff)
