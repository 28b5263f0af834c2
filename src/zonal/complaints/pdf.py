"""Every PDF Zonal writes, drawn with fpdf2's core fonts: the citizen's acknowledgement and
the prosecutor's case export. This is the one module that imports fpdf2; routes only send
the bytes.

Core fonts cover Latin-1 only, and a font file is one more thing to ship and audit, so every
text goes through `latin1`: known look-alikes replaced (curly quotes, the euro sign, Polish
letters), accents of other scripts dropped, anything else '?'. The JSON export, which the
case PDF accompanies, keeps every character exactly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from zonal.complaints.acknowledgement import Acknowledgement, Gettext, format_when, next_steps
from zonal.complaints.labels import Labels

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u20ac": "EUR", "\u0153": "oe",
    "\u0152": "OE", "\u2022": "*", "\u00a0": " ", "\u202f": " ", "\u0141": "L",
    "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i", "\u00df": "ss",
}  # fmt: skip


def latin1(text: str) -> str:
    """`text` with every character a core PDF font can draw; others become a close form or '?'."""
    return "".join(_char(c) for c in unicodedata.normalize("NFC", text))


def _char(char: str) -> str:
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    if ord(char) < 256:
        return char
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if bare and all(ord(c) < 256 for c in bare) else "?"


def acknowledgement_pdf(ack: Acknowledgement, gettext: Gettext, language: str) -> bytes:
    """The acknowledgement as PDF bytes, with labels from `gettext` (the citizen's language)."""
    _ = gettext
    pdf = _Document(_("Acknowledgement of your complaint"), language, margin=20, bottom=20)
    pdf.heading(_("Acknowledgement of your complaint"), 18)
    pdf.paragraph(_("The police received your complaint. Keep this document."))
    pdf.facts(_acknowledgement_facts(ack, _), 60, 11, 8, mono=ack.receipt_code)
    pdf.ln(3)
    pdf.heading(_("Keep your receipt code secret"), 13)
    pdf.paragraph(_("With the reference and this code, anyone can read your case."))
    pdf.heading(_("What happens next"), 13)
    pdf.bullets(next_steps(_))
    pdf.heading(_("How to follow your complaint"), 13)
    pdf.paragraph(_("Go to %(url)s and type your reference and receipt code.", url=ack.follow_url))
    pdf.heading(_("What you can do now"), 13)
    pdf.bullets(ack.advice)
    return bytes(pdf.output())


def _acknowledgement_facts(ack: Acknowledgement, _: Gettext) -> list[tuple[str, str]]:
    return [
        (_("Reference"), ack.reference),
        (_("Receipt code"), ack.receipt_code),
        (_("Date"), format_when(ack.submitted_at)),
        (_("Offence"), ack.offence),
        (_("Police service in charge"), ack.unit),
    ]


def case_pdf(export: dict[str, Any], labels: Labels) -> bytes:
    """A PDF of the exported case: header, facts, identifiers, history, messages, notes.

    Codes are shown by their names and times as local dates in `labels`' language and time
    zone; the JSON export beside it keeps the codes and the ISO times for machines.
    """
    case, _ = export["case"], labels._
    pdf = _Document("Zonal case export", labels.language, margin=None, bottom=15)
    pdf.heading(_("Case %(reference)s", reference=case["reference"]), 16)
    pdf.paragraph(labels.time_zone_note())
    pdf.facts(_case_facts(export, labels), 45, 10, 6)
    pdf.section(_("Description"), [case["description"]])
    kinds = [f"{labels.kind(i['kind'])}: {i['value']}" for i in case["identifiers"]]
    pdf.section(_("Identifiers"), kinds)
    pdf.section(_("Contact"), [f"{k}: {v}" for k, v in (case["contact"] or {}).items() if v])
    pdf.section(_("History"), [_history_line(h, labels) for h in case["history"]])
    pdf.section(_("Messages"), [_message_line(m, labels) for m in case["staff_messages"]])
    notes = [f"{_at(n, labels)} {labels.actor(n['author'])}: {n['body']}" for n in case["notes"]]
    pdf.section(_("Internal notes"), notes)
    pdf.section(_("Attachments"), list(case["attachments"]))
    return bytes(pdf.output())


def _case_facts(export: dict[str, Any], labels: Labels) -> list[tuple[str, str]]:
    case, _, when = export["case"], labels._, labels.when
    return [
        (_("Exported at"), when(datetime.fromisoformat(export["exported_at"]))),
        (_("Exported by"), export["exported_by"]),
        (_("Reason"), export["justification"]),
        (_("Status"), labels.status(case["status"])),
        (_("Unit"), case["competent_unit"]),
        (_("Offence type"), labels.offence(case["offence_type"])),
        (_("Submitted"), when(datetime.fromisoformat(case["submitted_at"]))),
        (_("Happened from"), when(datetime.fromisoformat(case["occurred_from"]))),
        (_("Place"), labels.place(case["place"]) or _("Online")),
        (_("Victim lives in"), labels.place(case["residence"]) or "-"),
        (_("Loss"), labels.loss(Decimal(case["loss_eur"]) if case["loss_eur"] else None)),
        (_("Motive"), labels.motive(case["bias_motive"])),
        (_("Assigned to"), case["assigned_to"] or "-"),
        (_("Outcome"), labels.outcome(case["outcome"])),
    ]


def _at(entry: dict[str, Any], labels: Labels) -> str:
    return labels.when(datetime.fromisoformat(entry["at"]))


def _history_line(entry: dict[str, Any], labels: Labels) -> str:
    step = f"{labels.status(entry['from_status'])} -> {labels.status(entry['to_status'])}"
    reason = f": {labels.reason(entry['reason'])}" if entry["reason"] else ""
    return f"{_at(entry, labels)} {step} ({labels.actor(entry['actor'])}, {entry['unit']}){reason}"


def _message_line(message: dict[str, Any], labels: Labels) -> str:
    who = message["staff"] or labels.actor(message["author"])
    return f"{_at(message, labels)} {who}: {message['body']}"


class _Document(FPDF):
    """An A4 document in core fonts; every text it draws goes through `latin1`."""

    def __init__(self, title: str, language: str | None, margin: float | None, bottom: float):
        super().__init__(format="A4")
        self.set_title(latin1(title))
        if language is not None:
            self.set_lang(language)
        if margin is not None:
            self.set_margins(margin, margin, margin)
        self.set_auto_page_break(auto=True, margin=bottom)
        self.add_page()

    def lines(
        self, text: str, size: float, height: float, style: str = "", font: str = "Helvetica"
    ) -> None:
        self.set_font(font, style, size)
        self.multi_cell(0, height, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str, size: int) -> None:
        self.lines(text, size, size * 0.55, "B")
        self.ln(1)

    def paragraph(self, text: str) -> None:
        self.lines(text, 11, 6)
        self.ln(3)

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.lines(f"- {item}", 11, 6)
        self.ln(3)

    def facts(
        self, rows: list[tuple[str, str]], width: float, size: int, height: float, mono: str = ""
    ) -> None:
        """Label and value per row; a value equal to `mono` (a code) in a fixed-width font."""
        for label, value in rows:
            self.set_font("Helvetica", "B", size)
            self.cell(width, height, latin1(label))
            self.lines(str(value), size, height, font="Courier" if value == mono else "Helvetica")

    def section(self, title: str, lines: list[str]) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
        for line in lines or ["-"]:
            self.lines(line, 10, 5)
