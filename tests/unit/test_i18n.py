"""Every message the web app shows exists in Dutch, French and German, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from zonal.settings import LANGUAGES
from zonal.web.i18n import LANGUAGE_NAMES, LOCALES, gettext_for, negotiate

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("src/zonal/**.py", "python"), ("src/zonal/web/templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# English is the source language; every other language the app serves has a catalogue.
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def source_messages() -> set[str]:
    found = extract_from_dir(str(ROOT), METHODS, keywords={"_": None, "gettext": None})
    return {message for _, _, message, _, _ in found if isinstance(message, str) and message}


def catalogue(language: str) -> dict[str, str]:
    """The finished translations of a language's .po file, msgid -> msgstr."""
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and not m.fuzzy
    }


def test_the_served_languages_are_the_catalogues_and_the_switcher() -> None:
    on_disk = {path.parent.parent.name for path in LOCALES.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(TRANSLATED) == {"nl", "fr", "de"}
    assert list(LANGUAGE_NAMES) == list(LANGUAGES)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    translated = catalogue(language)
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"untranslated in {language} (run `make i18n`, then translate): {missing}"
    for message_id, text in translated.items():
        assert set(PLACEHOLDER.findall(str(message_id))) == set(PLACEHOLDER.findall(str(text)))


def test_translation_is_applied() -> None:
    assert gettext_for("fr")("Municipalities") == "Communes"
    assert gettext_for("nl")("Municipalities") == "Gemeenten"
    assert gettext_for("de")("Municipalities") == "Gemeinden"
    assert gettext_for("en")("Municipalities") == "Municipalities"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_app_serves_every_catalogue_entry(language: str) -> None:
    # The catalogue as read from the .po file, against what the compiled-in-memory one returns.
    served = gettext_for(language)
    wrong = {key: text for key, text in catalogue(language).items() if served(key) != text}
    assert not wrong, f"{language}: compiled catalogue disagrees with the .po file: {wrong}"


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
