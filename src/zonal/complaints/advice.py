"""Prevention advice per offence type, in Dutch, French, German and English.

Read from `data/advice.csv` (one row per piece of advice; offence type `*` applies to every
type). The portal shows it after a complaint and the acknowledgement PDF prints it: a victim
should leave knowing what to do now (block the card, keep the evidence, never pay).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from zonal.errors import FileFormatError, InputError
from zonal.settings import LANGUAGES
from zonal.taxonomy import OFFENCE_TYPES

ADVICE_FILE = Path(__file__).parent / "data" / "advice.csv"
EVERY_TYPE = "*"


def advice_for(offence_type: str, language: str) -> tuple[str, ...]:
    """The advice for `offence_type` in `language`: its own first, then the general advice.

    Raises:
        InputError: `language` is not nl, fr, de or en.
    """
    if language not in LANGUAGES:
        raise InputError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    table = advice_table()
    own = table.get(offence_type, ())
    return tuple(row[language] for row in (*own, *table.get(EVERY_TYPE, ())))


@cache
def advice_table(path: Path = ADVICE_FILE) -> Mapping[str, tuple[Mapping[str, str], ...]]:
    """Offence type -> its advice rows ({language: text}), checked once.

    Raises:
        FileFormatError: a missing column, an empty text or an unknown offence type.
    """
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    reader = csv.DictReader(lines)
    missing = {"offence_type", *LANGUAGES} - set(reader.fieldnames or ())
    if missing:
        raise FileFormatError(f"{path.name} lacks the columns {sorted(missing)}")
    table: dict[str, list[Mapping[str, str]]] = {}
    for number, row in enumerate(reader, start=2):
        code = _checked(row, path.name, number)
        table.setdefault(code, []).append(MappingProxyType({k: row[k] for k in LANGUAGES}))
    return MappingProxyType({code: tuple(rows) for code, rows in table.items()})


def _checked(row: dict[str, str], source: str, number: int) -> str:
    code = row["offence_type"]
    if code != EVERY_TYPE and code not in OFFENCE_TYPES:
        raise FileFormatError(
            f"{source}, data row {number}: offence type {code!r} is not in the taxonomy"
        )
    empty = [language for language in LANGUAGES if not (row.get(language) or "").strip()]
    if empty:
        raise FileFormatError(f"{source}, data row {number}: no text in {empty}")
    return code
