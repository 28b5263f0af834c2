"""The prosecutor's PDF of a case, drawn from the JSON export with fpdf2's core fonts.

Core fonts cover Latin-1 only, and a font file is one more thing to ship and audit, so text
outside Latin-1 is transliterated (curly quotes, the euro sign, accents of other scripts); the
JSON export, which the PDF accompanies, keeps every character exactly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from fpdf import FPDF

Gettext = Callable[..., str]
_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u20ac": "EUR", "\u0153": "oe",
    "\u0152": "OE", "\u2022": "*", "\u00a0": " ", "\u202f": " ", "\u0141": "L",
    "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i",
}  # fmt: skip


def latin1(text: str) -> str:
    """`text` with every character a core PDF font can draw; others become a close ASCII form."""
    return "".join(_char(c) for c in text)


def _char(char: str) -> str:
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    if char == "\n" or (char.isprintable() and ord(char) < 256):
        return char
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if bare and all(ord(c) < 256 for c in bare) else "?"


def case_pdf(export: dict[str, Any], _: Gettext) -> bytes:
    """A PDF of the exported case: header, facts, identifiers, history, messages, notes."""
    case = export["case"]
    pdf = _Document()
    pdf.heading(_("Case %(reference)s", reference=case["reference"]))
    pdf.facts(
        [
            (_("Exported at"), export["exported_at"]),
            (_("Exported by"), export["exported_by"]),
            (_("Reason"), export["justification"]),
            (_("Status"), case["status"]),
            (_("Unit"), case["competent_unit"]),
            (_("Offence type"), case["offence_type"]),
            (_("Submitted"), case["submitted_at"]),
            (_("Happened from"), case["occurred_from"]),
            (_("Loss (EUR)"), str(case["loss_eur"])),
            (_("Assigned to"), case["assigned_to"] or "-"),
            (_("Outcome"), case["outcome"] or "-"),
        ]
    )
    pdf.section(_("Description"), [case["description"]])
    pdf.section(_("Identifiers"), [f"{i['kind']}: {i['value']}" for i in case["identifiers"]])
    pdf.section(_("Contact"), [f"{k}: {v}" for k, v in (case["contact"] or {}).items() if v])
    pdf.section(_("History"), [_history_line(h) for h in case["history"]])
    pdf.section(_("Messages"), [_message_line(m) for m in case["staff_messages"]])
    pdf.section(
        _("Internal notes"), [f"{n['at']} {n['author']}: {n['body']}" for n in case["notes"]]
    )
    pdf.section(_("Attachments"), list(case["attachments"]))
    return bytes(pdf.output())


def _history_line(entry: dict[str, Any]) -> str:
    step = f"{entry['from_status'] or '-'} -> {entry['to_status']}"
    reason = f": {entry['reason']}" if entry["reason"] else ""
    return f"{entry['at']} {step} ({entry['actor']}, {entry['unit']}){reason}"


def _message_line(message: dict[str, Any]) -> str:
    who = message["staff"] or message["author"]
    return f"{message['at']} {who}: {message['body']}"


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title("Zonal case export")
        self.add_page()

    def heading(self, text: str) -> None:
        self.set_font("Helvetica", "B", 16)
        self.multi_cell(0, 9, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font("Helvetica", "B", 10)
            self.cell(45, 6, latin1(label))
            self.set_font("Helvetica", "", 10)
            self.multi_cell(0, 6, latin1(str(value)), new_x="LMARGIN", new_y="NEXT")

    def section(self, title: str, lines: list[str]) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)
        for line in lines or ["-"]:
            self.multi_cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
