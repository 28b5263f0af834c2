"""The length limits of what people type, each defined once.

The schemas (`schemas.py`), the service that asks staff for a reason, the portal and
back-office forms, the templates' `minlength`/`maxlength` and the messages that name the
numbers all read these constants, so a limit cannot differ between the page and the check.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Length:
    """An inclusive range of lengths in characters (after the text is cleaned)."""

    min: int
    max: int

    def fits(self, text: str) -> bool:
        return self.min <= len(text) <= self.max


NARRATIVE = Length(10, 10_000)  # the victim's account of what happened, in the complaint
INFORMATION = Length(1, 10_000)  # what the victim adds later through the receipt
MESSAGE = Length(1, 5_000)  # a message between victim and police, or a staff note
JUSTIFICATION = Length(5, 500)  # why a staff member opens or exports a case (Art. 25 log)
PASSWORD = Length(12, 256)  # a staff account's password (the second factor is TOTP)


def justification(text: str) -> str | None:
    """The reason on one line, or None when its length is outside JUSTIFICATION."""
    folded = " ".join(text.split())
    return folded if JUSTIFICATION.fits(folded) else None
