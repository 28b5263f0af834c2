"""The FastAPI application: pages rendered on the server, a JSON API, OpenAPI docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import FileResponse, Response

from zonal import __version__
from zonal.bootstrap import Store, open_store
from zonal.services.jobs import BackgroundJobs
from zonal.services.planning import Planner
from zonal.settings import Settings, get_settings
from zonal.web.errors import error_response, install_error_handlers
from zonal.web.i18n import gettext_for, negotiate
from zonal.web.limits import MAX_BODY_BYTES, BodyLimit
from zonal.web.routes import api, api_forecasts, backoffice, forecast, pages, planning, portal
from zonal.web.security import client_scheme

STATIC = Path(__file__).parent / "static"
# Swagger UI 5 (it reads the OpenAPI 3.1 that FastAPI writes; 4.x does not), from the installed
# fastapi-offline package rather than a CDN: Zonal must work with no internet.
SWAGGER_UI = Path(str(files("fastapi_offline") / "static"))
LANGUAGE_COOKIE = "zonal_lang"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}
HSTS = "max-age=31536000; includeSubDomains"
Handler = Callable[[Request], Awaitable[Response]]


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The web app on `store` (default: the configured store, migrated on start)."""
    settings = settings or get_settings()
    jobs = BackgroundJobs()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()  # solves not started are claimed again by the next visit

    app = FastAPI(
        title="Zonal",
        version=__version__,
        description="Police zone planning, online complaints and policy-cycle indicators.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    app.state.jobs = jobs
    app.state.planner = Planner(app.state.store.uow, jobs)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs-static", StaticFiles(directory=SWAGGER_UI))

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> FileResponse:
        # A static page whose script is a file (static/docs/init.js), so the CSP needs no
        # 'unsafe-inline' here either.
        return FileResponse(STATIC / "docs" / "index.html", media_type="text/html")

    app.include_router(pages.router)
    app.include_router(forecast.router)
    app.include_router(planning.router)
    app.include_router(api.router)
    app.include_router(api_forecasts.router)
    app.include_router(portal.router)
    app.include_router(backoffice.router)
    install_error_handlers(app)
    # Added before the language middleware, so inside it: the 413 page is in the visitor's language.
    app.add_middleware(BodyLimit, too_large=_too_large)

    @app.middleware("http")
    async def language_and_headers(request: Request, call_next: Handler) -> Response:
        asked = request.query_params.get("lang")
        request.state.language = negotiate(
            asked,
            request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
            settings.default_language,
        )
        response = await call_next(request)
        if asked is not None and asked == request.state.language:
            response.set_cookie(LANGUAGE_COOKIE, asked, samesite="lax", max_age=31536000)
        response.headers.update(SECURITY_HEADERS)
        if client_scheme(request) == "https":  # browsers ignore HSTS over http anyway
            response.headers["Strict-Transport-Security"] = HSTS
        response.headers.setdefault("Content-Language", request.state.language)
        return response

    return app


def _too_large(request: Request) -> Response:
    _ = gettext_for(getattr(request.state, "language", "en"))
    message = _(
        "What you sent is too large (more than %(size)s MB). Send smaller or fewer files.",
        size=MAX_BODY_BYTES // (1024 * 1024),
    )
    return error_response(request, 413, message)
