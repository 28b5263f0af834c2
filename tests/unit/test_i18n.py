"""Every message the web app shows exists in Dutch, French and German, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from zonal.web.i18n import LOCALES, gettext_for, negotiate

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("src/zonal/**.py", "python"), ("src/zonal/web/templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def source_messages() -> set[str]:
    found = extract_from_dir(str(ROOT), METHODS, keywords={"_": None, "gettext": None})
    return {message for _, _, message, _, _ in found if isinstance(message, str) and message}


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_message_is_translated(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"untranslated in {language} (run `make i18n`, then translate): {missing}"
    for message_id, text in translated.items():
        assert set(PLACEHOLDER.findall(str(message_id))) == set(PLACEHOLDER.findall(str(text)))


def test_translation_is_applied() -> None:
    assert gettext_for("fr")("Zones") == "Zones"
    assert gettext_for("nl")("Municipalities") == "Gemeenten"
    assert gettext_for("de")("Municipalities") == "Gemeinden"
    assert gettext_for("en")("Municipalities") == "Municipalities"


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("fr", "nl", "de", "fr"),
        (None, "nl", "de", "nl"),
        (None, None, "de-BE,de;q=0.9,en;q=0.5", "de"),
        (None, None, "es-ES,fr;q=0.4,nl;q=0.8", "nl"),
        ("xx", None, "zz", "en"),
        (None, "<script>", "en;q=abc", "en"),
    ],
)
def test_language_negotiation(
    query: str | None, cookie: str | None, accept: str | None, expected: str
) -> None:
    assert negotiate(query, cookie, accept, "en") == expected
