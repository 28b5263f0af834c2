"""Foreign category schemes: the mapping tables from other forces' categories to ours.

The built-in schemes are listed in `data/schemes.csv` (`name, file, columns, description`,
with `columns` separated by `|` in order of precedence) and each has its own rule table in
`data/` (see `zonal.taxonomy.rules` for the format). The `zonal` scheme is built from the
catalogue itself: it reads files already written in our own codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import polars as pl

from zonal.errors import FileFormatError, InputError, NotFoundError
from zonal.taxonomy._tables import line_of, read_packaged, read_path, require_columns
from zonal.taxonomy.offences import OFFENCE_TYPES
from zonal.taxonomy.rules import parse_rules, resolve

REGISTRY_FILE = "schemes.csv"
REGISTRY_COLUMNS: tuple[str, ...] = ("name", "file", "columns", "description")
ZONAL = "zonal"


@dataclass(frozen=True, eq=False)
class CategoryScheme:
    """A foreign category scheme: the columns it reads, in precedence order, and its rules.

    A row takes its offence type from the first column whose value a rule knows (even when
    that rule deliberately says `unclassified`); later columns are only fallbacks.
    """

    name: str
    columns: tuple[str, ...]
    description: str
    rules: pl.DataFrame

    def resolve(self, column: str, values: pl.Series) -> pl.Series:
        """The offence type the rules give each of `values` of `column`; null where none match."""
        return resolve(self.rules, column, values)


def read_scheme(
    path: Path, name: str, columns: tuple[str, ...], description: str = ""
) -> CategoryScheme:
    """Read a user's mapping table at `path` as a scheme reading `columns` (first wins).

    Raises:
        FileFormatError: the table breaks the rule format (see `zonal.taxonomy.rules`).
    """
    return _scheme(name, columns, description, read_path(path), str(path))


def _scheme(
    name: str, columns: tuple[str, ...], description: str, table: pl.DataFrame, source: str
) -> CategoryScheme:
    if not columns:
        raise InputError(f"scheme {name!r} names no source column; give at least one")
    rules = parse_rules(table, source, columns, OFFENCE_TYPES.keys())
    return CategoryScheme(name=name, columns=columns, description=description, rules=rules)


def _zonal_scheme() -> CategoryScheme:
    codes = list(OFFENCE_TYPES)
    table = pl.DataFrame(
        {
            "column": ["offence_type"] * len(codes),
            "match": ["exact"] * len(codes),
            "value": codes,
            "offence_type": codes,
            "note": ["identity: our own code"] * len(codes),
        }
    )
    description = "Files already in Zonal's vocabulary: column offence_type holds our codes."
    return _scheme(ZONAL, ("offence_type",), description, table, "the zonal identity scheme")


def _packaged_schemes() -> dict[str, CategoryScheme]:
    registry = read_packaged(REGISTRY_FILE)
    source = f"taxonomy data file {REGISTRY_FILE}"
    require_columns(registry, REGISTRY_COLUMNS, source)
    schemes = {ZONAL: _zonal_scheme()}
    for index, row in enumerate(registry.iter_rows(named=True)):
        name, file = row["name"] or "", row["file"] or ""
        if not name or name in schemes:
            raise FileFormatError(f"{source}, {line_of(index)}: name {name!r} is empty or taken")
        columns = tuple(c.strip() for c in (row["columns"] or "").split("|") if c.strip())
        table = read_packaged(file)
        schemes[name] = _scheme(name, columns, row["description"] or "", table, file)
    return schemes


SCHEMES: Mapping[str, CategoryScheme] = MappingProxyType(_packaged_schemes())


def get_scheme(scheme: str | CategoryScheme) -> CategoryScheme:
    """The scheme named `scheme` (a CategoryScheme is returned as is).

    Raises:
        NotFoundError: no built-in scheme has that name.
    """
    if isinstance(scheme, CategoryScheme):
        return scheme
    try:
        return SCHEMES[scheme]
    except KeyError:
        raise NotFoundError(
            f"unknown category scheme {scheme!r}; known schemes: {', '.join(sorted(SCHEMES))}"
        ) from None
