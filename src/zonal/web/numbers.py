"""Numbers as each language writes them: 1.234,5 in Dutch and German, 1 234,5 in French.

Belgian conventions (nl_BE, fr_BE, de_BE) for the national languages; English keeps 1,234.5.
Templates get `number(value, digits)` and `percent(share, digits)` bound to the page's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import format_decimal, format_percent

LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en"}


@dataclass(frozen=True)
class NumberFormat:
    """`number` and `percent` in one language."""

    number: Callable[..., str]
    percent: Callable[..., str]


@cache
def number_format(language: str) -> NumberFormat:
    """The formatters of `language` (an unknown language gets English)."""
    locale = Locale.parse(LOCALES.get(language, "en"))

    def number(value: float | int | None, digits: int = 0, *, trim: bool = False) -> str:
        """`value` with `digits` decimals (at most `digits` when `trim`); '–' for None."""
        if value is None:
            return "–"
        decimals = ("#" if trim else "0") * digits
        pattern = "#,##0" + (f".{decimals}" if digits else "")
        return format_decimal(value, format=pattern, locale=locale)

    def percent(share: float | None, digits: int = 0) -> str:
        """`share` (0.123) as a percentage with `digits` decimals ('12,3 %' in French)."""
        if share is None:
            return "–"
        pattern = locale.percent_formats[None].pattern
        if digits:
            last = pattern.rindex("0") + 1
            pattern = pattern[:last] + "." + "0" * digits + pattern[last:]
        return format_percent(share, format=pattern, locale=locale)

    return NumberFormat(number, percent)
