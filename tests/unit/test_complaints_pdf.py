"""One place draws PDFs (complaints/pdf.py) with one sanitiser for both documents."""

from __future__ import annotations

import ast
import re
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.factories import english_labels, exported_case
from zonal.complaints.acknowledgement import Acknowledgement
from zonal.complaints.pdf import acknowledgement_pdf, case_pdf, latin1

SRC = Path(__file__).resolve().parents[2] / "src" / "zonal"
HOSTILE = "Łódź “Straße” – 12 € … Смс"
DRAWN = 'Lódz "Strasse" - 12 EUR ... ???'.encode("latin-1")


def english(text: str, **values: Any) -> str:
    return text % values if values else text


def pdf_text(content: bytes) -> bytes:
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    return b"".join(zlib.decompress(stream) for stream in streams)


def test_only_complaints_pdf_imports_fpdf() -> None:
    importers = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name.split(".")[0] == "fpdf" for name in names):
                importers.add(str(path.relative_to(SRC)))
    assert importers == {"complaints/pdf.py"}


def test_decomposed_accents_are_drawn_as_one_letter() -> None:
    assert latin1("Lefe\u0300vre") == "Lefèvre"


def test_both_documents_draw_text_through_the_same_sanitiser() -> None:
    assert latin1(HOSTILE).encode("latin-1") == DRAWN
    ack = Acknowledgement(
        reference="ZON-2026-000042",
        receipt_code="ABCD-EFGH-JKMN-PQRS-TVWX",
        submitted_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        offence=HOSTILE,
        unit="5339",
        follow_url="https://zonal.example/follow",
        advice=(),
    )
    export = exported_case(reference="ZON-2026-000042", loss_eur="1", description=HOSTILE)
    for content in (acknowledgement_pdf(ack, english, "en"), case_pdf(export, english_labels())):
        assert DRAWN in pdf_text(content)


def test_the_case_pdf_names_codes_and_shows_local_times() -> None:
    history = [{"from_status": "assigned", "to_status": "under_investigation",
                "at": "2026-07-01T12:30:00.123456+00:00", "actor": "victim", "unit": "5339",
                "reason": "assigned to demo-investigator"}]  # fmt: skip
    export = exported_case(
        status="under_investigation", history=history, loss_eur="0.00",
        identifiers=[{"kind": "phone", "value": "+32 470 12 34 56"}],
        bias_motive="racism_xenophobia",
    )  # fmt: skip
    text = pdf_text(case_pdf(export, english_labels())).decode("latin-1")
    for code in ("under_investigation", "racism_xenophobia", "phone:", "0.00 EUR", "21016"):
        assert code not in text
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+|T\d\d:", text)  # no ISO times, no microseconds
    for shown in ("Under investigation", "01/07/2026 14:30 CEST", "02/03/2026 10:00 CET"):
        assert shown in text
    assert "Uccle" in text and "Phone number" in text and "Not given" in text
