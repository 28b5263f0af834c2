"""Text folding so that 'sint-jans molenbeek' finds 'Sint-Jans-Molenbeek' and 'uccle' 'Uccle'."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation and runs of spaces turned into one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALPHANUMERIC.sub(" ", bare.casefold()).strip()


def close_matches(text: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates that look most like `text` (typos, swapped digits), best first."""
    by_fold: dict[str, str] = {}
    for candidate in candidates:
        by_fold.setdefault(fold(candidate), candidate)
    found = difflib.get_close_matches(fold(text), list(by_fold), n=limit, cutoff=0.6)
    return [by_fold[key] for key in found]
