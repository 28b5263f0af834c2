"""The FastAPI application: pages rendered on the server, a JSON API, OpenAPI docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, Response

from zonal import __version__
from zonal.bootstrap import Store, open_store
from zonal.services.jobs import BackgroundJobs
from zonal.services.planning import Planner
from zonal.settings import Settings, get_settings
from zonal.web.errors import install_error_handlers
from zonal.web.i18n import negotiate
from zonal.web.routes import api, api_forecasts, backoffice, forecast, pages, planning, portal

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
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    # Swagger UI from the installed package, not a CDN: Zonal must work with no internet.
    app.mount("/docs-static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path))

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Zonal API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.include_router(pages.router)
    app.include_router(forecast.router)
    app.include_router(planning.router)
    app.include_router(api.router)
    app.include_router(api_forecasts.router)
    app.include_router(portal.router)
    app.include_router(backoffice.router)
    install_error_handlers(app)

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
        if not request.url.path.startswith("/docs"):
            response.headers.update(SECURITY_HEADERS)
        response.headers.setdefault("Content-Language", request.state.language)
        return response

    return app
