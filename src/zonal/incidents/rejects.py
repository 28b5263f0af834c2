"""Why a row did not become an incident: one reason per row, the first that applies.

The reasons, in the order they are checked, are `options.REJECT_REASONS`. Rejected rows
keep every source column as text beside `line`, `reason` and `detail`, so a user can fix
them in the source and import again.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from zonal.errors import InputError
from zonal.incidents.options import ImportOptions
from zonal.incidents.sources import LINE, RAGGED

REASON = "__zonal_reason__"
DETAIL = "__zonal_detail__"
REJECT_COLUMNS: tuple[str, ...] = ("line", "reason", "detail")


def mark_rejects(work: pl.DataFrame, options: ImportOptions, formats: str) -> pl.DataFrame:
    """Add REASON and DETAIL (null for rows that import) to the working frame.

    `work` holds the canonical fields plus the helper columns `time_text`, `time_missing`,
    `time_unparseable`, `time_implausible` (why, or null) and `count`.
    """
    checks = _checks(options, formats)
    reason: pl.Expr = pl.lit(None, dtype=pl.String())
    detail: pl.Expr = pl.lit(None, dtype=pl.String())
    for name, condition, explain in reversed(checks):
        reason = pl.when(condition).then(pl.lit(name)).otherwise(reason)
        detail = pl.when(condition).then(explain).otherwise(detail)
    work = work.with_columns(reason.alias(REASON), detail.alias(DETAIL))
    return _mark_duplicates(work) if options.mapping.incident_id is not None else work


def _checks(options: ImportOptions, formats: str) -> list[tuple[str, pl.Expr, pl.Expr]]:
    checks = [
        ("ragged_row", pl.col(RAGGED).is_not_null(), pl.col(RAGGED)),
        ("missing_time", pl.col("time_missing"), pl.lit(f"{options.mapping.time!r} is empty")),
        (
            "unparseable_time",
            pl.col("time_unparseable"),
            pl.format("{} does not read as {}", _quoted("time_text"), pl.lit(formats)),
        ),
        ("implausible_time", pl.col("time_implausible").is_not_null(), pl.col("time_implausible")),
        ("cancellation", pl.col("count") < 1, pl.format("count is {}", pl.col("count"))),
    ]
    if options.known_zones is not None:
        unknown = pl.col("zone").is_not_null() & ~pl.col("zone").is_in(list(options.known_zones))
        checks.append(("unknown_zone", unknown, pl.format("zone {}", _quoted("zone"))))
    if options.area is not None:
        checks.append(("outside_area", _outside(options.area), _where()))
    return checks


def _quoted(column: str) -> pl.Expr:
    return pl.concat_str(pl.lit("'"), pl.col(column), pl.lit("'"))


def _outside(area: tuple[float, float, float, float]) -> pl.Expr:
    lon_min, lat_min, lon_max, lat_max = area
    inside = pl.col("lon").is_between(lon_min, lon_max) & pl.col("lat").is_between(lat_min, lat_max)
    # unknown coordinates are not outside: the incident still counts for its zone
    return pl.col("lat").is_not_null() & pl.col("lon").is_not_null() & ~inside


def _where() -> pl.Expr:
    return pl.format("lat {}, lon {}", pl.col("lat").round(6), pl.col("lon").round(6))


def _mark_duplicates(work: pl.DataFrame) -> pl.DataFrame:
    # Only rows that would import compete for an id, so a bad first copy does not
    # reject a good second one.
    valid = pl.col(REASON).is_null()
    first_line = pl.col(LINE).filter(valid).min().over("incident_id")
    duplicate = valid & (pl.col(LINE) != first_line)
    return work.with_columns(
        pl.when(duplicate).then(pl.lit("duplicate_id")).otherwise(pl.col(REASON)).alias(REASON),
        pl.when(duplicate)
        .then(pl.format("id {} first seen on line {}", _quoted("incident_id"), first_line))
        .otherwise(pl.col(DETAIL))
        .alias(DETAIL),
    )


def reject_frame(
    source: pl.DataFrame, work: pl.DataFrame, columns: tuple[str, ...]
) -> pl.DataFrame:
    """The rejected rows: line, reason, detail, then every source column as text."""
    rejected = work[REASON].is_not_null()
    head = work.filter(rejected).select(
        pl.col(LINE).alias("line"), pl.col(REASON).alias("reason"), pl.col(DETAIL).alias("detail")
    )
    original = source.filter(rejected).select(
        pl.col(name).alias(_free_name(name)) for name in columns
    )
    return pl.concat([head, original], how="horizontal")


def _free_name(name: str) -> str:
    # a source column called "reason" must not overwrite the reject's own reason
    return f"source:{name}" if name in REJECT_COLUMNS else name


def empty_rejects(columns: tuple[str, ...]) -> pl.DataFrame:
    """A reject frame with no rows, for files with nothing to reject."""
    schema = {"line": pl.Int64(), "reason": pl.String(), "detail": pl.String()}
    schema.update({_free_name(name): pl.String() for name in columns})
    return pl.DataFrame(schema=schema)


def reason_counts(rejects: pl.DataFrame) -> dict[str, int]:
    """Rejected rows per reason, most frequent first."""
    counts = rejects.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
    return {row[0]: row[1] for row in counts.iter_rows()}


def rejects_path(output: Path) -> Path:
    """Where the rejects of an import written to `output` go: `<stem>.rejects.csv` beside it."""
    if output.name.endswith(".rejects.csv"):
        return output
    stem = Path(output.name.removesuffix(".gz")).stem or output.name
    return output.with_name(f"{stem}.rejects.csv")


def write_rejects_csv(rejects: pl.DataFrame, output: Path) -> Path:
    """Write `rejects` as CSV beside `output` and return the path written."""
    path = rejects_path(output)
    if not path.parent.is_dir():
        raise InputError(f"cannot write rejects to {path}: folder {path.parent} does not exist")
    rejects.write_csv(path)
    return path
