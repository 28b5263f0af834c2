"""The written acknowledgement of an online complaint: what the page and the PDF show
(`complaints/pdf.py` draws the PDF) in the citizen's language.

It holds only what the citizen needs: the reference, the secret receipt code, the date, the
offence type, the competent police service, what happens next and how to follow the case;
never the description, contact details or identifiers (the file may be printed, mailed or
left on a shared computer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

Gettext = Callable[..., str]
BRUSSELS = ZoneInfo("Europe/Brussels")


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
