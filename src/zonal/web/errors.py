"""One error handler: every refusal renders as HTML for browsers and JSON for API clients.

`refusal` maps a ZonalError to its response: the status (`http_status`), a Retry-After
header when the error says how long to wait (`retry_after`), and the page. The app's handler
uses it with the error page; a route that shows the refusal on its own form (the login, the
portal's follow form) passes that page, and still gets status and headers from here.

Unexpected errors show a generic page that leaks nothing; the detail goes to the log.
When the shared session and rate-limit store (Redis) stops answering, requests that need it
get 503 with Retry-After: the app fails closed rather than fall back to one worker's memory,
where a rate limit could be dodged by switching workers and sessions would come and go.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from zonal.errors import ConcurrentUpdate, ZonalError
from zonal.web.i18n import gettext_for
from zonal.web.templating import render

log = logging.getLogger("zonal.web")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ZonalError, _zonal_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(redis.RedisError, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def error_response(request: Request, status: int, message: str) -> Response:
    """The error page (or JSON for API clients) saying `message` with `status`."""
    return _respond(request, status, message)


def _respond(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status)


def refusal(
    request: Request, exc: ZonalError, page: Callable[[int], Response] | None = None
) -> Response:
    """The response to `exc`: its status and headers, on `page(status)` or the error page."""
    status = exc.http_status
    response = page(status) if page is not None else _respond(request, status, str(exc))
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _zonal_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ZonalError)
    if isinstance(exc, ConcurrentUpdate):  # the store's message names versions: say it plainly
        _ = gettext_for(getattr(request.state, "language", "en"))
        message = _(
            "This case was changed by someone else meanwhile, and your change was not saved. "
            "Reload the case and try again."
        )
        return refusal(request, exc, lambda status: _respond(request, status, message))
    return refusal(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    _ = gettext_for(getattr(request.state, "language", "en"))
    message = _("This page does not exist.") if exc.status_code == 404 else str(exc.detail)
    return _respond(request, exc.status_code, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return _respond(request, 422, f"invalid request: {problems}")


STORE_RETRY_SECONDS = 30


async def _store_unavailable(request: Request, exc: Exception) -> Response:
    log.error("shared state store unavailable on %s: %s", request.url.path, exc)
    _ = gettext_for(getattr(request.state, "language", "en"))
    message = _(
        "The service is briefly unavailable and your last action was not carried out. "
        "Please try again in a minute."
    )
    response = _respond(request, 503, message)
    response.headers["Retry-After"] = str(STORE_RETRY_SECONDS)
    return response


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    _ = gettext_for(getattr(request.state, "language", "en"))
    return _respond(request, 500, _("Something went wrong on our side. Please try again later."))
