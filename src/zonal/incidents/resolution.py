"""What an import read but could not resolve, found before anything is stored, each with
how to fix it.

    for finding in unresolved(result, options):
        print(finding.kind, finding.message)

The importer itself never refuses a row for these: a file without zones or with foreign
category codes reads fine. Whether one of them stops an import is the caller's decision
(`zonal.services.imports` refuses a file without any zone and an unasked-for scheme that a
known one beats by far, unless the user says otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from zonal.incidents.importers import scheme_columns
from zonal.incidents.options import ImportOptions, ImportResult
from zonal.taxonomy import SCHEMES, UNCLASSIFIED, classify

NO_ZONE = "no_zone"  # no incident has a zone: everything would count under "unknown"
ZONES_MISSING = "zones_missing"  # some incidents have no zone
BETTER_SCHEME = "better_scheme"  # a scheme whose own columns the file has classifies far more
OTHER_SCHEME = "other_scheme"  # a scheme read by position classifies far more
IMPLAUSIBLE_TIMES = "implausible_times"  # rows rejected for times no record can have

# A scheme is suggested when it classifies at least this share of the rows more than the
# scheme used, and at least twice as many: a few matches by chance must not name one.
FAR_MORE = 0.10
_ZONE_LIKE = re.compile(r"zone|district|beat|precinct|area|sector|commune|gemeente|nis", re.I)


@dataclass(frozen=True)
class Unresolved:
    """One thing an import could not resolve: its kind, and a message saying how to fix it."""

    kind: str
    message: str


def unresolved(result: ImportResult, options: ImportOptions) -> list[Unresolved]:
    """What `result` leaves unresolved, most serious first: zones, categories, times."""
    found = [_zones(result, options), _scheme(result, options), _implausible(result)]
    return [finding for finding in found if finding is not None]


def _zones(result: ImportResult, options: ImportOptions) -> Unresolved | None:
    rows = result.incidents.height
    missing = result.incidents["zone"].null_count()
    if not rows or not missing:
        return None
    source = _zone_source(options)
    if missing < rows:
        return Unresolved(
            ZONES_MISSING,
            f"{missing:,} of {rows:,} incidents ({missing / rows:.1%}) have no zone ({source}); "
            "they are stored under zone 'unknown'",
        )
    return Unresolved(NO_ZONE, _no_zone_message(result, rows, source))


def _zone_source(options: ImportOptions) -> str:
    column = options.mapping.zone
    if column is None:
        return "no zone column is mapped"
    if options.zone_pattern:
        return f"column {column!r} is empty or does not match zone_pattern"
    return f"column {column!r} is empty"


def _no_zone_message(result: ImportResult, rows: int, source: str) -> str:
    candidates = [name for name in result.columns if _ZONE_LIKE.search(name)]
    hint = (
        f"columns that may hold it: {', '.join(candidates)}"
        if candidates
        else "the file has no column named like a zone"
    )
    return (
        f"none of the {rows:,} incidents has a zone ({source}), so the forecast and the plan "
        "would be for zone 'unknown' and the zone map would show every zone at 0. Map the "
        f"zone column (--map ...,zone=COLUMN; {hint}), give the zone of a file that covers "
        "one zone (--zone NUMBER, e.g. --zone 5339), or import it without zones on purpose "
        "(--no-zone)"
    )


def _scheme(result: ImportResult, options: ImportOptions) -> Unresolved | None:
    categories = result.categories
    if "count" not in categories.columns or categories.width < 2 or result.unclassified.is_empty():
        return None
    rows = int(categories["count"].sum())
    scores = {name: _classified_rows(name, categories) for name in SCHEMES}
    used = scores[options.scheme]
    best = max((name for name in scores if name != options.scheme), key=scores.__getitem__)
    if scores[best] - used < FAR_MORE * rows or scores[best] < 2 * used:
        return None
    # a file with the scheme's own column names comes from that source; by position it is
    # only a guess that happens to match
    by_name = _named(categories, SCHEMES[best].columns)
    return Unresolved(
        BETTER_SCHEME if by_name else OTHER_SCHEME,
        f"scheme {options.scheme!r} classifies {used:,} of {rows:,} incidents ({used / rows:.0%}) "
        f"and leaves {result.unclassified.height:,} categories unclassified; scheme {best!r} "
        f"classifies {scores[best]:,} ({scores[best] / rows:.0%}): add --scheme {best} "
        f"(or --scheme {options.scheme} to keep these categories unclassified)",
    )


def _named(categories: pl.DataFrame, columns: tuple[str, ...]) -> bool:
    wanted = {column.lower() for column in columns}
    return all(name.lower() in wanted for name in categories.columns if name != "count")


def _classified_rows(scheme: str, categories: pl.DataFrame) -> int:
    """Rows whose category `scheme` classifies; 0 when its columns do not fit the mapping's."""
    sources = tuple(name for name in categories.columns if name != "count")
    matched = scheme_columns(sources, SCHEMES[scheme].columns)
    if matched is None:
        return 0
    typed = classify(scheme, categories.select(pl.col(s).alias(c) for s, c in matched.items()))
    return int(categories["count"].filter(typed["offence_type"] != UNCLASSIFIED).sum())


def _implausible(result: ImportResult) -> Unresolved | None:
    count = result.reasons.get("implausible_time", 0)
    if not count:
        return None
    rejected = result.rejects.filter(pl.col("reason") == "implausible_time").head(3)
    examples = "; ".join(f"line {line}: {detail}" for line, detail in _lines(rejected))
    return Unresolved(
        IMPLAUSIBLE_TIMES,
        f"{count:,} rows have a time no police record can have (before 1900, or in the future) "
        f"and are rejected as implausible_time, e.g. {examples}. Check those rows, or the "
        "format of the times (--time-format; two-digit years read with %y)",
    )


def _lines(rejects: pl.DataFrame) -> list[tuple[int, str]]:
    return [(int(line), str(detail)) for line, detail in rejects.select("line", "detail").rows()]
