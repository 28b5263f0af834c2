"""The length limits of what people type, each defined once.

The schemas (`schemas.py`), the service that asks staff for a reason, the portal and
back-office forms, the templates' `minlength`/`maxlength` and the messages that name the
numbers all read these constants, so a limit cannot differ between the page and the check.
The staff password rule (`password_problem`) is here too, next to its length.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


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


# Django's list of common passwords, lowercased (see data/LICENSE-common-passwords.txt).
COMMON_PASSWORDS_FILE = "common-passwords.txt.gz"
_STEM = 4  # the shortest listed word that, followed by digits, is still refused
_DIFFERENT_CHARACTERS = 5  # fewer than this ("aaaaaaaaaaab", "abababab...") is too guessable


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, read once through the package."""
    data = files("zonal.complaints").joinpath("data", COMMON_PASSWORDS_FILE).read_bytes()
    # Casefolded here too: a few of Django's lines keep capitals ("Q1w2e3r4t5y6").
    lines = gzip.decompress(data).decode().split("\n")
    return frozenset(line.strip().casefold() for line in lines if line.strip())


def password_problem(password: str, username: str, display_name: str) -> str | None:
    """What is wrong with a staff password, as a sentence saying what to change; None if fine.

    Refused: a length outside PASSWORD; one piece repeated ("aaaa...", "abcabc...") or fewer
    than 5 different characters; the username or the display name inside it (ignoring case);
    a listed common password, also when followed by digits ("password1234").
    """
    if not PASSWORD.fits(password):
        return f"a password has {PASSWORD.min} to {PASSWORD.max} characters"
    if _repetitive(password):
        return "the password repeats one character or pattern; choose a longer mix, e.g. words"
    if _mentions(password.casefold(), username, display_name):
        return "the password contains the username or the name; choose one without them"
    if _common(password.casefold()):
        return "the password is a common one (digits at the end do not help); choose another"
    return None


def _repetitive(password: str) -> bool:
    if len(set(password)) < _DIFFERENT_CHARACTERS:
        return True
    # A string repeats a piece of length p when it equals itself shifted by p.
    half = len(password) // 2
    return any(password[p:] == password[:-p] for p in range(1, half + 1))


def _mentions(folded: str, username: str, display_name: str) -> bool:
    names = {username, display_name, "".join(display_name.split())}
    return any(name.strip() and name.strip().casefold() in folded for name in names)


def _common(folded: str) -> bool:
    listed = common_passwords()
    # "password1234" is "password" with digits; a stem under 4 letters ("ab" + 10 digits) is
    # mostly digits and is left to the length and pattern checks.
    stem = folded.rstrip("0123456789")
    return folded in listed or (len(stem) >= _STEM and stem in listed)
