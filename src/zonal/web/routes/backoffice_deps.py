"""What every back-office route shares: the complaints wiring, the staff session, the logged-in
account as a dependency, the login rate limits, and a route class that keeps pages out of
caches and sends anonymous visitors to the login page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from zonal.complaints import rules
from zonal.complaints.domain.staff import StaffAccount
from zonal.complaints.labels import Labels
from zonal.errors import InputError, NotFoundError, ZonalError
from zonal.services.complaints import get_staff
from zonal.taxonomy import OFFENCE_TYPES
from zonal.web.deps import ComplaintsDep, complaints_of, on_app_state
from zonal.web.i18n import gettext_for
from zonal.web.security import Limit, RateLimiter, csrf_token, set_csrf_cookie
from zonal.web.staff_session import Sessions, StaffSession
from zonal.web.state import web_state_of
from zonal.web.templating import render

LOGIN_PATH = "/office/login"
LOGIN_PER_ADDRESS = Limit("office-login-address", attempts=30, window_seconds=900)
LOGIN_PER_USERNAME = Limit("office-login-username", attempts=10, window_seconds=900)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
Model = TypeVar("Model", bound=BaseModel)


class LoginRequired(ZonalError):
    """A back-office page asked for without a live staff session."""

    http_status = 401


def sessions_of(request: Request) -> Sessions:
    sessions: Sessions = on_app_state(
        request, "staff_sessions", lambda: Sessions(web_state_of(request).sessions)
    )
    return sessions


def limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = on_app_state(
        request, "office_limiter", lambda: RateLimiter(web_state_of(request).counter)
    )
    return limiter


def _session(request: Request) -> StaffSession:
    session = sessions_of(request).current(request)
    if session is None:
        raise LoginRequired("Log in to use the back office.")
    return session


def _staff(request: Request, session: Annotated[StaffSession, Depends(_session)]) -> StaffAccount:
    try:
        return get_staff(complaints_of(request).uow(), session.staff_id)
    except NotFoundError:
        raise LoginRequired("Your account is no longer active. Log in again.") from None


Setup = ComplaintsDep
SessionsDep = Annotated[Sessions, Depends(sessions_of)]
CurrentSession = Annotated[StaffSession, Depends(_session)]
CurrentStaff = Annotated[StaffAccount, Depends(_staff)]
LoggedIn = Depends(_staff)  # for routes that need a login but not the account itself


def parse(model: type[Model], **fields: Any) -> Model:
    """Validate form fields into a service schema; a refusal says which field and why."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'form'}: {error['msg']}"
            for error in exc.errors()
        )
        raise InputError(f"the form is not valid: {problems}; correct it and send again") from None


class BackOfficeRoute(APIRoute):
    """Every response no-store (personal data); anonymous visitors go to the login page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def no_store(request: Request) -> Response:
            try:
                response = await handler(request)
            except LoginRequired:
                response = RedirectResponse(LOGIN_PATH, status_code=303)
            except (ZonalError, HTTPException, RequestValidationError) as exc:
                response = await _render_error(request, exc)
            response.headers.update(NO_STORE)
            return response

        return no_store


async def _render_error(request: Request, exc: Exception) -> Response:
    # The app's one error handler renders the page; only the caching header is added here.
    for kind in type(exc).__mro__:
        handler = request.app.exception_handlers.get(kind)
        if handler is not None:
            response: Response = await handler(request, exc)
            return response
    raise exc


def office_page(
    request: Request,
    name: str,
    context: dict[str, Any],
    staff: StaffAccount | None = None,
    status_code: int = 200,
) -> Response:
    """Render a back-office page with its CSRF token, the account, a pending notice, and the
    length rules its fields' minlength/maxlength read."""
    notice = _take_notice(request) if staff is not None else ""
    page: dict[str, Any] = {"staff": staff, "csrf": csrf_token(request), "notice": notice}
    page.update(rules=rules, labels=labels_for(request, request.state.language))
    page.update(context)
    response = render(request, name, page, status_code)
    set_csrf_cookie(request, response)
    return response


def labels_for(request: Request, language: str) -> Labels:
    """Codes, places, reasons and times as this reader reads them (the policy's time zone)."""
    policy = complaints_of(request).policy
    zone = policy.sla.calendar.zone
    return Labels(gettext_for(language), language, policy.registry, zone)


def set_notice(request: Request, session: StaffSession, notice: str) -> None:
    """Keep a short message (already translated) for the next page this session shows."""
    sessions_of(request).update(request, replace(session, notice=notice))


def _take_notice(request: Request) -> str:
    sessions = sessions_of(request)
    session = sessions.current(request)
    if session is None or not session.notice:
        return ""
    sessions.update(request, replace(session, notice=""))
    return session.notice


def offence_label(code: str, language: str) -> str:
    """The offence type's name in the page language (the code if the taxonomy lacks it)."""
    found = OFFENCE_TYPES.get(code)
    return found.labels.get(language, code) if found else code


def offence_choices(language: str, online_only: bool) -> list[tuple[str, str]]:
    """(code, name) of the offence types for a select, sorted by name."""
    kinds = [o for o in OFFENCE_TYPES.values() if o.complaint_online or not online_only]
    return sorted(((o.code, o.labels.get(language, o.code)) for o in kinds), key=lambda p: p[1])
