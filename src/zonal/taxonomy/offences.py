"""The catalogue of offence types, read from `data/offence_types.csv` at import.

Each type has a stable snake_case code, its security cluster (or none for police tasks such
as alarms and lost documents) and the flags the complaint platform and dispatch rely on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import polars as pl

from zonal.errors import FileFormatError, NotFoundError
from zonal.taxonomy._tables import line_of, read_packaged, require_columns
from zonal.taxonomy.clusters import CLUSTERS, LANGUAGES, SecurityCluster, pick_label

UNCLASSIFIED = "unclassified"
CATALOGUE_FILE = "offence_types.csv"
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "code",
    "cluster",
    *(f"label_{language}" for language in LANGUAGES),
    "online",
    "discrimination",
    "complaint_online",
    "default_priority",
    "note",
)
_CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
_BOOLEANS = {"true": True, "false": False}
_PRIORITIES = range(1, 5)


@dataclass(frozen=True)
class OffenceType:
    """One offence type or police task of the Zonal catalogue."""

    code: str
    cluster: int | None  # security cluster 1..10; None for police tasks outside the clusters
    labels: Mapping[str, str]
    online: bool  # a computer offence that can happen with no physical place
    discrimination: bool  # bias-motivated: the complaint form asks about the bias motive
    complaint_online: bool  # citizens may file it online
    default_priority: int  # 1 most urgent .. 4
    note: str = ""

    def label(self, language: str) -> str:
        """The label in `language` ("nl", "fr", "de" or "en")."""
        return pick_label(self.labels, language)

    @property
    def security_cluster(self) -> SecurityCluster | None:
        """The SecurityCluster this type belongs to, None outside the ten clusters."""
        return None if self.cluster is None else CLUSTERS[self.cluster]


def parse_catalogue(frame: pl.DataFrame, source: str) -> dict[str, OffenceType]:
    """Validate a catalogue table and build its offence types, keyed by code.

    Raises:
        FileFormatError: a missing column, a bad or duplicate code, cluster, flag or priority.
    """
    require_columns(frame, CATALOGUE_COLUMNS, source)
    types: dict[str, OffenceType] = {}
    for index, row in enumerate(frame.iter_rows(named=True)):
        where = f"{source}, {line_of(index)}"
        offence = _parse_row(row, where)
        if offence.code in types:
            raise FileFormatError(f"{where}: code {offence.code!r} is listed twice")
        types[offence.code] = offence
    if UNCLASSIFIED not in types or types[UNCLASSIFIED].cluster is not None:
        raise FileFormatError(f"{source} must list {UNCLASSIFIED!r} with an empty cluster")
    return types


def _parse_row(row: dict[str, str | None], where: str) -> OffenceType:
    code = row["code"] or ""
    if not _CODE.fullmatch(code):
        raise FileFormatError(f"{where}: code {code!r} is not snake_case (a-z, 0-9, _)")
    labels = {language: row[f"label_{language}"] or "" for language in LANGUAGES}
    empty = [language for language, text in labels.items() if not text]
    if empty:
        raise FileFormatError(f"{where}: {code!r} has no label in {empty}; give all four")
    return OffenceType(
        code=code,
        cluster=_parse_cluster(row["cluster"], where),
        labels=MappingProxyType(labels),
        online=_parse_flag(row, "online", where),
        discrimination=_parse_flag(row, "discrimination", where),
        complaint_online=_parse_flag(row, "complaint_online", where),
        default_priority=_parse_priority(row["default_priority"], where),
        note=row["note"] or "",
    )


def _parse_cluster(text: str | None, where: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) not in CLUSTERS:
        raise FileFormatError(f"{where}: cluster {text!r} must be 1..10 or empty")
    return int(text)


def _parse_flag(row: dict[str, str | None], column: str, where: str) -> bool:
    text = (row[column] or "").lower()
    if text not in _BOOLEANS:
        raise FileFormatError(f"{where}: {column} is {row[column]!r}; write true or false")
    return _BOOLEANS[text]


def _parse_priority(text: str | None, where: str) -> int:
    if not text or not text.isdigit() or int(text) not in _PRIORITIES:
        raise FileFormatError(f"{where}: default_priority {text!r} must be 1, 2, 3 or 4")
    return int(text)


OFFENCE_TYPES: Mapping[str, OffenceType] = MappingProxyType(
    parse_catalogue(read_packaged(CATALOGUE_FILE), f"taxonomy data file {CATALOGUE_FILE}")
)


def offence_type(code: str) -> OffenceType:
    """The offence type with `code`.

    Raises:
        NotFoundError: no such code in the catalogue.
    """
    try:
        return OFFENCE_TYPES[code]
    except KeyError:
        raise NotFoundError(
            f"no offence type {code!r}; see docs/taxonomy.md or zonal.taxonomy.OFFENCE_TYPES "
            f"for the {len(OFFENCE_TYPES)} codes"
        ) from None
