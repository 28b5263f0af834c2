"""The written acknowledgement of an online complaint, as a PDF in the citizen's language.

It holds only what the citizen needs: the reference, the secret receipt code, the date, the
offence type, the competent police service, what happens next and how to follow the case;
never the description, contact details or identifiers (the file may be printed, mailed or
left on a shared computer). fpdf2's core fonts cover Latin-1 only, so other characters are
transliterated (Polish names, typographic quotes, the euro sign).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from fpdf import FPDF

Gettext = Callable[..., str]
BRUSSELS = ZoneInfo("Europe/Brussels")
_REPLACEMENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u20ac": "EUR",
        "\u202f": " ",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u0141": "L",
        "\u0142": "l",
        "\u00df": "ss",
    }
)


@dataclass(frozen=True)
class Acknowledgement:
    """What the PDF shows; texts already in the citizen's language."""

    reference: str
    receipt_code: str
    submitted_at: datetime
    offence: str
    unit: str
    follow_url: str
    advice: tuple[str, ...]


def next_steps(_: Gettext) -> tuple[str, ...]:
    """What happens after submission, for the acknowledgement page and the PDF."""
    return (
        _("A police officer reads your complaint, usually within two working days."),
        _("The police may send you a message or ask a question. You read it on the follow page."),
        _("You can add information or files at any time, with your reference and receipt code."),
        _("The police decide on the next steps. If needed, they pass the case to the prosecutor."),
    )


def format_when(moment: datetime) -> str:
    """Day and time in Brussels, as 02/03/2026 10:00 (read the same way in all four languages)."""
    return moment.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M")


def latin1(text: str) -> str:
    """`text` in Latin-1: known look-alikes replaced, accents dropped, the rest as '?'."""
    text = unicodedata.normalize("NFC", text.translate(_REPLACEMENTS))
    return "".join(_latin1_char(char) for char in text)


def _latin1_char(char: str) -> str:
    if ord(char) < 256:
        return char
    base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
    return base or "?"


def acknowledgement_pdf(ack: Acknowledgement, gettext: Gettext, language: str) -> bytes:
    """The acknowledgement as PDF bytes, with labels from `gettext` (the citizen's language)."""
    _ = gettext
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(_("Acknowledgement of your complaint")))
    pdf.set_lang(language)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    _heading(pdf, _("Acknowledgement of your complaint"), 18)
    _paragraph(pdf, _("The police received your complaint. Keep this document."))
    _facts(pdf, ack, _)
    _heading(pdf, _("Keep your receipt code secret"), 13)
    _paragraph(pdf, _("With the reference and this code, anyone can read your case."))
    _heading(pdf, _("What happens next"), 13)
    _bullets(pdf, next_steps(_))
    _heading(pdf, _("How to follow your complaint"), 13)
    _paragraph(
        pdf, _("Go to %(url)s and type your reference and receipt code.", url=ack.follow_url)
    )
    _heading(pdf, _("What you can do now"), 13)
    _bullets(pdf, ack.advice)
    return bytes(pdf.output())


def _facts(pdf: FPDF, ack: Acknowledgement, _: Gettext) -> None:
    rows = (
        (_("Reference"), ack.reference),
        (_("Receipt code"), ack.receipt_code),
        (_("Date"), format_when(ack.submitted_at)),
        (_("Offence"), ack.offence),
        (_("Police service in charge"), ack.unit),
    )
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(60, 8, latin1(label))
        pdf.set_font("Courier" if value == ack.receipt_code else "Helvetica", "", 11)
        pdf.multi_cell(0, 8, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _heading(pdf: FPDF, text: str, size: int) -> None:
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(0, size * 0.55, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _bullets(pdf: FPDF, items: tuple[str, ...]) -> None:
    pdf.set_font("Helvetica", "", 11)
    for item in items:
        pdf.multi_cell(0, 6, latin1(f"- {item}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
