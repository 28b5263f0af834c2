"""Prevention advice per offence type and the PDF acknowledgement (content, language, Latin-1)."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zonal.complaints.acknowledgement import Acknowledgement, format_when
from zonal.complaints.advice import advice_for, advice_table
from zonal.complaints.pdf import acknowledgement_pdf, latin1
from zonal.errors import FileFormatError, InputError
from zonal.web.i18n import gettext_for
from zonal.web.routes.portal_support import GROUPS

LANGUAGES = ("nl", "fr", "de", "en")
OFFERED = [code for group in GROUPS.values() for code in group]


@pytest.mark.parametrize("code", OFFERED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_offered_type_has_its_own_advice_then_the_general_advice(
    code: str, language: str
) -> None:
    advice = advice_for(code, language)
    assert len(advice) >= 3
    assert "112" in advice[-1]  # the emergency numbers always come last


@pytest.mark.parametrize(
    ("code", "needle"),
    [
        ("phishing", "078 170 170"),
        ("phishing", "suspect@safeonweb.be"),
        ("bank_helpdesk_fraud", "078 170 170"),
        ("account_hacking", "two-step"),
        ("sextortion", "Never pay"),
        ("racist_or_xenophobic_act", "Unia"),
        ("hate_speech", "Unia"),
        ("lost_documents", "DOC STOP"),
    ],
)
def test_the_key_advice_is_there(code: str, needle: str) -> None:
    assert any(needle in line for line in advice_for(code, "en"))


def test_advice_is_translated_not_copied() -> None:
    texts = {language: advice_for("sextortion", language)[0] for language in LANGUAGES}
    assert len(set(texts.values())) == 4
    assert texts["fr"].startswith("Ne payez jamais")


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(InputError, match="'es' is not one of nl, fr, de, en"):
        advice_for("phishing", "es")


def test_a_broken_advice_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "advice.csv"
    bad.write_text("offence_type,nl,fr,de,en\nspace_piracy,a,b,c,d\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="data row 2: offence type 'space_piracy'"):
        advice_table(bad)
    bad.write_text("offence_type,nl,fr,de,en\nphishing,a,,c,d\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"no text in \['fr'\]"):
        advice_table(bad)


def test_latin1_transliterates_what_core_fonts_cannot_print() -> None:
    assert latin1("Łódź “quoted” – 12 € … Straße ça") == 'Lódz "quoted" - 12 EUR ... Strasse ça'
    assert latin1("漢字") == "??"
    latin1("any text \U0001f600").encode("latin-1")  # never raises


def pdf_text(content: bytes) -> bytes:
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    return b"".join(zlib.decompress(stream) for stream in streams)


@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", b"Ontvangstbewijs"), ("fr", b"Accus"), ("de", b"Eingangsbest"), ("en", b"Acknowledg")],
)
def test_the_pdf_holds_reference_code_zone_and_next_steps_in_the_language(
    language: str, title: bytes
) -> None:
    ack = Acknowledgement(
        reference="ZON-2026-000042",
        receipt_code="ABCD-EFGH-JKMN-PQRS-TVWX",
        submitted_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        offence="Hameçonnage – “SMS”",
        unit="Zone de police 5339 Bruxelles-Capitale/Ixelles",
        follow_url="https://zonal.example/follow",
        advice=advice_for("phishing", language),
    )
    content = acknowledgement_pdf(ack, gettext_for(language), language)
    text = pdf_text(content)
    assert content.startswith(b"%PDF-")
    for needle in (b"ZON-2026-000042", b"ABCD-EFGH-JKMN-PQRS-TVWX", b"5339", b"02/03/2026 10:00"):
        assert needle in text
    assert title in text and b"https://zonal.example/follow" in text and b"Card" in text


def test_times_are_shown_in_brussels() -> None:
    assert format_when(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "02/07/2026 00:30"
