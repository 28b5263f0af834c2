"""Mapping rules: how one column of a foreign category scheme maps to offence types.

A rule table has the columns `column, match, value, offence_type, note`:

- `column`: the source column the rule reads;
- `match`: `exact` (the whole value), `prefix` (the value starts with it) or `pattern`
  (the whole value, where each `x` stands for one digit: `5xxxx` is any five-digit code
  starting with 5);
- `value`: compared after trimming, collapsing inner runs of whitespace and lower-casing;
- `offence_type`: a code of the catalogue, or `unclassified` with a `note` saying why.

An exact rule wins; otherwise the most specific matching rule (most fixed characters), and
among equally specific ones the first in the file.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from zonal.errors import FileFormatError
from zonal.taxonomy._tables import line_of, require_columns
from zonal.taxonomy.offences import UNCLASSIFIED

RULE_COLUMNS: tuple[str, ...] = ("column", "match", "value", "offence_type", "note")
MATCH_KINDS: tuple[str, ...] = ("exact", "prefix", "pattern")
# The characters Rust's regex crate treats as meta (what regex::escape escapes).
_REGEX_META = frozenset("\\.+*?()|[]{}^$#&-~")


def normalised(column: pl.Expr) -> pl.Expr:
    """The matching key of a value: trimmed, inner whitespace collapsed, lower case."""
    return column.str.strip_chars().str.replace_all(r"\s+", " ").str.to_lowercase()


def parse_rules(
    frame: pl.DataFrame, source: str, columns: Collection[str], types: Collection[str]
) -> pl.DataFrame:
    """Validate a rule table and add the `key`, `regex`, `specificity` and `order` it is run by.

    Raises:
        FileFormatError: a missing header column, an unknown source column, match kind or
            offence type, an empty value, a duplicate rule, or `unclassified` without a note.
    """
    require_columns(frame, RULE_COLUMNS, source)
    rules = frame.select(RULE_COLUMNS).with_columns(
        pl.col("match").str.to_lowercase(),
        normalised(pl.col("value")).alias("key"),
        pl.int_range(pl.len()).alias("order"),
    )
    for index, row in enumerate(rules.iter_rows(named=True)):
        _check_rule(row, f"{source}, {line_of(index)}", columns, types)
    _check_duplicates(rules, source)
    return rules.with_columns(
        pl.Series(
            "regex", [_regex(m, k) for m, k in zip(rules["match"], rules["key"], strict=True)]
        ),
        pl.Series(
            "specificity",
            [_specificity(m, k) for m, k in zip(rules["match"], rules["key"], strict=True)],
        ),
    )


def _check_rule(
    row: dict[str, object], where: str, columns: Collection[str], types: Collection[str]
) -> None:
    if row["column"] not in columns:
        raise FileFormatError(
            f"{where}: column {row['column']!r} is not one of this scheme's {sorted(columns)}"
        )
    if row["match"] not in MATCH_KINDS:
        raise FileFormatError(f"{where}: match {row['match']!r} must be one of {MATCH_KINDS}")
    if not row["key"]:
        raise FileFormatError(f"{where}: the value is empty; give the source value to match")
    if row["offence_type"] not in types:
        raise FileFormatError(
            f"{where}: offence_type {row['offence_type']!r} is not in the catalogue "
            "(see docs/taxonomy.md)"
        )
    if row["offence_type"] == UNCLASSIFIED and not row["note"]:
        raise FileFormatError(
            f"{where}: {row['value']!r} maps to {UNCLASSIFIED!r} without a note; "
            "say in the note why it deliberately has no offence type"
        )


def _check_duplicates(rules: pl.DataFrame, source: str) -> None:
    twice = rules.filter(pl.struct("column", "match", "key").is_duplicated())
    if twice.height:
        first = twice.row(0, named=True)
        raise FileFormatError(
            f"{source}: the {first['match']} rule {first['value']!r} for column "
            f"{first['column']!r} is listed {twice.height} times; keep one"
        )


def _regex(match: str, key: str) -> str | None:
    if match == "exact":
        return None  # exact rules are looked up by key, not scanned
    body = "".join(_pattern_char(c) if match == "pattern" else _escape(c) for c in key)
    return f"^{body}$" if match == "pattern" else f"^{body}"


def _pattern_char(char: str) -> str:
    return "[0-9]" if char == "x" else _escape(char)


def _escape(char: str) -> str:
    return f"\\{char}" if char in _REGEX_META else char


def _specificity(match: str, key: str) -> int:
    return len(key) - key.count("x") if match == "pattern" else len(key)


def resolve(rules: pl.DataFrame, column: str, values: pl.Series) -> pl.Series:
    """The offence type each of `values` gets from the rules for `column`; null if none match.

    Work is done once per distinct value and mapped back with a hash lookup, so a million
    rows with a few thousand distinct values cost little more than the lookup itself.
    """
    raw = values.cast(pl.String)
    lookup = _lookup(rules.filter(pl.col("column") == column), raw.unique().drop_nulls())
    return raw.replace_strict(
        lookup["raw"], lookup["offence_type"], default=None, return_dtype=pl.String
    ).alias(column)


def _lookup(rules: pl.DataFrame, distinct: pl.Series) -> pl.DataFrame:
    values = pl.DataFrame({"raw": distinct}).with_columns(normalised(pl.col("raw")).alias("key"))
    exact = rules.filter(pl.col("match") == "exact").select("key", "offence_type")
    found = values.join(exact, on="key", how="left")
    scanned = _scan(found.filter(pl.col("offence_type").is_null()), rules)
    return pl.concat([found.filter(pl.col("offence_type").is_not_null()), scanned]).select(
        "raw", "offence_type"
    )


def _scan(pending: pl.DataFrame, rules: pl.DataFrame) -> pl.DataFrame:
    """Best prefix/pattern rule for each pending (distinct) value.

    One vectorised regex test per rule: a constant pattern is compiled once, whereas a
    cross join against a column of patterns would compile one per value and rule.
    """
    scanning = rules.filter(pl.col("regex").is_not_null())
    candidates = [
        pending.lazy()
        .filter(pl.col("key").str.contains(rule["regex"]))
        .select(
            "raw",
            pl.lit(rule["specificity"]).alias("specificity"),
            pl.lit(rule["order"]).alias("order"),
            pl.lit(rule["offence_type"]).alias("scanned"),
        )
        for rule in scanning.iter_rows(named=True)
    ]
    best = (
        pl.concat(candidates or [_no_candidates()])
        .sort(["specificity", "order"], descending=[True, False])
        .unique("raw", keep="first", maintain_order=True)
        .select("raw", "scanned")
        .collect()
    )
    return (
        pending.join(best, on="raw", how="left")
        .with_columns(pl.col("scanned").alias("offence_type"))
        .select(pending.columns)
    )


def _no_candidates() -> pl.LazyFrame:
    schema = {"raw": pl.String, "specificity": pl.Int64, "order": pl.Int64, "scanned": pl.String}
    return pl.LazyFrame(schema=schema)
