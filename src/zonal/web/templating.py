"""Jinja2 rendering with the request's language, shared by every route."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from zonal import __version__
from zonal.web.i18n import LANGUAGE_NAMES, gettext_for
from zonal.web.numbers import number_format

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render template `name` in the request's language (set by the language middleware)."""
    language: str = request.state.language
    numbers = number_format(language)
    page = {
        "lang": language,
        "_": gettext_for(language),
        "number": numbers.number,
        "percent": numbers.percent,
        "languages": LANGUAGE_NAMES,
        "language_links": _language_links(request),
        "version": __version__,
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, page, status_code=status_code)


def _language_links(request: Request) -> dict[str, str]:
    """The query of the same page in each language, keeping its other parameters (?run=3)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {code: "?" + urlencode([*kept, ("lang", code)]) for code in LANGUAGE_NAMES}
