"""Translations: Babel catalogues, locales/<lang>/LC_MESSAGES/messages.po, one per language.

The .po files are read and compiled in memory at start-up, so a fresh checkout needs no
compile step. English is the source language; nl, fr and de are translations.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from zonal.settings import LANGUAGES

LOCALES = Path(__file__).parent / "locales"
LANGUAGE_NAMES: dict[str, str] = {
    "nl": "Nederlands",
    "fr": "Français",
    "de": "Deutsch",
    "en": "English",
}

Gettext = Callable[..., str]


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (English passes messages through)."""
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext_for(language: str) -> Gettext:
    """A `_` for templates and views: translates, then fills %(name)s placeholders."""
    catalog = translations(language)

    def _(message: str, **values: Any) -> str:
        text = catalog.gettext(message)
        return text % values if values else text

    return _


def negotiate(query: str | None, cookie: str | None, accept: str | None, default: str) -> str:
    """The page language: ?lang=, then the cookie, then Accept-Language, then the default."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for tag in _accepted(accept or ""):
        if tag in LANGUAGES:
            return tag
    return default


def _accepted(header: str) -> list[str]:
    weighted: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        weighted.append((weight, tag.split("-")[0].lower()))
    return [tag for weight, tag in sorted(weighted, key=lambda pair: -pair[0]) if weight > 0]
