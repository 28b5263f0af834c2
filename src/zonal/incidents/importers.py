"""Turn any CSV or Parquet file of incidents into the canonical incident frame.

An import never stops half-way and never drops a row silently: a file either cannot be
read at all (a clear error before anything is produced), or every data row ends up as an
incident or as a reject with its line number and reason. `incidents.height +
rejects.height == rows_read`.

    result = read_incidents(Path("calls.csv"), ImportOptions(
        mapping=ColumnMapping.parse("time=occurred_at,zone=beat,category=offense"),
        time_zone="Europe/Brussels", dataset="calls-2024"))
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from zonal.errors import InputError, MappingError
from zonal.incidents import fields
from zonal.incidents.mapping import DISPATCH_TARGETS
from zonal.incidents.options import ImportOptions, ImportResult
from zonal.incidents.rejects import (
    REASON,
    empty_rejects,
    mark_rejects,
    reason_counts,
    reject_frame,
    write_rejects_csv,
)
from zonal.incidents.schema import INCIDENT_SCHEMA, conform
from zonal.incidents.sources import LINE, RAGGED, load_table
from zonal.incidents.timeparse import (
    ParsedTimes,
    choose_formats,
    implausible,
    infer_resolution,
    parse_times,
)
from zonal.taxonomy import SCHEMES, UNCLASSIFIED, classify, get_scheme, unclassified_counts

_NOTE_MASKS = ("dst_gap_shifted", "dst_ambiguous_earliest", "dst_ambiguous_latest")


def read_incidents(path: Path, options: ImportOptions) -> ImportResult:
    """Read `path` (CSV, gzip CSV or Parquet) into canonical incidents and rejects.

    Args:
        path: the source file; the format comes from its extension.
        options: the column mapping and how to read the values.

    Returns:
        Incidents in the canonical schema (`zonal.incidents.schema`), rejects with their
        source line, reason and detail, and counts of what happened on the way.

    Raises:
        InputError: a missing path or an option that cannot apply to this file.
        FileFormatError: the file cannot be read as CSV or Parquet (see the message).
        MappingError: a mapped column is not in the file (the message lists its columns).
        NotFoundError: an unknown taxonomy scheme.
    """
    scheme_columns = _category_names(options)
    table = load_table(path, options.null_values)
    _require_columns(table.columns, options, path)
    source, notes = _keep_rows(table.frame, options)
    notes.update(table.notes)
    work, formats = _build(source, options, scheme_columns)
    work = mark_rejects(work, options, formats)
    rejected = work[REASON].is_not_null()
    rejects = reject_frame(source, work, table.columns) if rejected.any() else None
    kept = work.filter(~rejected)
    incidents, unclassified, categories = _classify(kept, options, scheme_columns)
    notes.update(_notes(kept))
    return ImportResult(
        columns=table.columns,
        incidents=incidents,
        rejects=rejects if rejects is not None else empty_rejects(table.columns),
        rows_read=source.height,
        reasons=reason_counts(rejects) if rejects is not None else {},
        notes={name: value for name, value in notes.items() if value},
        unclassified=unclassified,
        categories=categories,
    )


def write_rejects(result: ImportResult, path: Path) -> Path:
    """Write the rejects of `result` as CSV beside the import's output `path`.

    The file is `<stem>.rejects.csv` in the folder of `path` (or `path` itself when it
    already ends in `.rejects.csv`); it is written even when empty, so a stale one is
    never mistaken for the latest run. Returns the path written.
    """
    return write_rejects_csv(result.rejects, path)


def _category_names(options: ImportOptions) -> dict[str, str]:
    """Source category column -> the scheme column `classify` reads it as.

    Names match case-insensitively (a scheme's columns are the source's own names); a user's
    file with other names maps by position instead (category=my_type for scheme "zonal").
    """
    sources = tuple(dict.fromkeys(options.mapping.category))
    expected = get_scheme(options.scheme).columns
    if not sources:
        return {}
    matched = scheme_columns(sources, expected)
    if matched is not None:
        return matched
    raise MappingError(
        f"scheme {options.scheme!r} reads {len(expected)} category column(s) {list(expected)}, "
        f"but the mapping gives {list(sources)}; map category={'+'.join(expected)} "
        f"(same names or same order), or choose another scheme: {', '.join(sorted(SCHEMES))}"
    )


def scheme_columns(sources: tuple[str, ...], expected: tuple[str, ...]) -> dict[str, str] | None:
    """Source category column -> the scheme column it is read as: by name (whatever the case)
    or, with as many columns as the scheme reads, by position; None when neither fits."""
    by_name = {name.lower(): name for name in expected}
    if all(source.lower() in by_name for source in sources):
        return {source: by_name[source.lower()] for source in sources}
    if len(sources) == len(expected):
        return dict(zip(sources, expected, strict=True))
    return None


def _require_columns(columns: tuple[str, ...], options: ImportOptions, path: Path) -> None:
    missing = [name for name in options.source_columns() if name not in columns]
    if missing:
        raise MappingError(
            f"{path.name} has no column(s) {missing}; its columns are {list(columns)}. "
            "Fix the mapping (target=column) or the preset's column names"
        )


def _keep_rows(frame: pl.DataFrame, options: ImportOptions) -> tuple[pl.DataFrame, dict[str, int]]:
    """The rows whose `keep_values` columns hold one of the values (case-insensitively)."""
    if not options.keep_values:
        return frame, {}
    for column, values in options.keep_values.items():
        _require_values(frame, column, values)
    keep = pl.all_horizontal(
        _folded(column).is_in([value.lower() for value in values]).fill_null(False)
        for column, values in options.keep_values.items()
    )
    kept = frame.filter(keep)
    return kept, {"filtered_out": frame.height - kept.height}


def _folded(column: str) -> pl.Expr:
    return fields.text(column).str.to_lowercase()


def _require_values(frame: pl.DataFrame, column: str, values: frozenset[str]) -> None:
    """Refuse a value to keep that no row holds: a filter that keeps nothing is a typo, and
    its import would be empty without a word."""
    if frame.is_empty():
        return
    held = frame.group_by(fields.text(column).alias(column)).len().sort("len", descending=True)
    present = {str(value).lower() for value in held[column].drop_nulls()}
    absent = sorted(value for value in values if value.lower() not in present)
    if absent:
        found = ", ".join(f"{value} ({count:,})" for value, count in held.head(8).iter_rows())
        raise InputError(
            f"no row has {absent} in column {column!r} (the values to keep, e.g. --agency); "
            f"it holds {found}. Keep values it holds, or every row (--agency ALL)"
        )


def _build(
    source: pl.DataFrame, options: ImportOptions, categories: dict[str, str]
) -> tuple[pl.DataFrame, str]:
    """The canonical fields and the helper columns the reject checks read."""
    mapping = options.mapping
    time_text = source.select(fields.joined_text(mapping.time_columns).alias(mapping.time))[
        mapping.time
    ]
    formats = choose_formats(time_text, options.time_format)
    occurred = parse_times(time_text, formats, options.time_zone)
    now = options.now or datetime.now(UTC)
    wrong = implausible(occurred, time_text, now)
    _refuse_all_implausible(wrong, occurred)
    resolution = options.time_resolution or infer_resolution(occurred.wall_clock)
    work = source.select(
        pl.col(LINE),
        pl.col(RAGGED),
        fields.incident_id(options).alias("incident_id"),
        pl.lit(options.dataset).alias("dataset"),
        pl.lit(resolution.value).alias("time_resolution"),
        fields.zone(options).alias("zone"),
        fields.sector(options).alias("sector"),
        fields.source_category(options).alias("source_category"),
        fields.priority(options).alias("priority"),
        fields.priority_unparseable(options).alias("priority_unparseable"),
        fields.origin(options).alias("origin"),
        fields.count(options).alias("count"),
        *(fields.text(column).alias(_key(column)) for column in categories),
    )
    later = _later_times(source, options, occurred.utc, now)
    parts = [work, fields.coordinates(source, options), later]
    work = pl.concat([part for part in parts if part.width], how="horizontal")
    work = work.with_columns(
        time_text.alias("time_text"),
        occurred.utc.alias("occurred_at"),
        (time_text.is_null()).alias("time_missing"),
        occurred.unparseable.alias("time_unparseable"),
        wrong.alias("time_implausible"),
        *_dst_counts(occurred, later),
    )
    return work, " or ".join(repr(f) for f in formats)


def _refuse_all_implausible(wrong: pl.Series, occurred: ParsedTimes) -> None:
    """Refuse a column whose every time is impossible: a wrong format is far likelier then
    than a file of bad rows (two-digit years read as 00xx, say)."""
    read = occurred.utc.is_not_null().sum()
    if read and wrong.is_not_null().sum() == read:
        raise InputError(
            f"every time of column {occurred.utc.name!r} is one no police record can have, "
            f"e.g. {wrong.drop_nulls()[0]}; check the format (--time-format; two-digit years "
            "read with %y, e.g. '%m/%d/%y %I:%M:%S %p') and the time zone"
        )


def _later_times(
    source: pl.DataFrame, options: ImportOptions, occurred: pl.Series, now: datetime
) -> pl.DataFrame:
    """reported_at and the dispatch times, never rejecting a row: unreadable or impossible
    ones are null (and counted)."""
    columns: dict[str, pl.Series] = {}
    for target in ("reported_at", *DISPATCH_TARGETS):
        column = getattr(options.mapping, target)
        if column is None:
            continue
        values = source.select(fields.time_text(column))[column]
        formats = _formats_or_none(values, options.time_format)
        if formats is None:
            columns[f"{target}_unparseable"] = values.is_not_null()
            columns[target] = pl.repeat(None, values.len(), dtype=occurred.dtype, eager=True)
            continue
        parsed = parse_times(values, formats, options.time_zone, not_before=occurred)
        wrong = implausible(parsed, values, now).is_not_null()
        columns[target] = pl.select(pl.when(~wrong).then(parsed.utc)).to_series().alias(target)
        columns[f"{target}_unparseable"] = parsed.unparseable
        columns[f"{target}_implausible"] = wrong
        for mask in _NOTE_MASKS:
            columns[f"{target}_{mask}"] = getattr(parsed, _mask_field(mask))
    return pl.DataFrame(columns)


def _formats_or_none(values: pl.Series, time_format: str | None) -> tuple[str, ...] | None:
    # a follow-up time column in an odd format must not stop the import: it reads as null
    try:
        return choose_formats(values, time_format)
    except InputError:
        return None


def _mask_field(mask: str) -> str:
    return {"dst_gap_shifted": "gap_shifted"}.get(mask, mask.removeprefix("dst_"))


def _dst_counts(occurred: ParsedTimes, later: pl.DataFrame) -> list[pl.Series]:
    """Per row, how many of its time values each DST rule touched."""
    counts = []
    for mask in _NOTE_MASKS:
        total = getattr(occurred, _mask_field(mask)).cast(pl.Int64())
        for name in later.columns:
            if name.endswith(mask):
                total = total + later[name].cast(pl.Int64())
        counts.append(total.alias(mask))
    return counts


def _key(column: str) -> str:
    # category text travels under a private name: a scheme column may be called
    # "offence_type" or "zone", which the working frame already uses
    return f"__zonal_category__{column}"


def _classify(
    kept: pl.DataFrame, options: ImportOptions, categories: dict[str, str]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The incidents with their offence types, the unclassified source categories and every
    distinct source category (one column per category column), each with its row `count`."""
    keys = [_key(column) for column in categories]
    if not keys:
        typed = kept.with_columns(
            pl.lit(UNCLASSIFIED).alias("offence_type"), pl.lit(None, dtype=pl.Int8).alias("cluster")
        )
        none = pl.DataFrame(schema={"count": pl.UInt32()})
        return _conform(typed), none, none
    # classify each distinct combination once: a million rows carry a few thousand
    distinct = kept.select(keys).unique(maintain_order=True)
    as_scheme = distinct.rename(dict(zip(keys, categories.values(), strict=True)))
    lookup = pl.concat([distinct, classify(options.scheme, as_scheme)], how="horizontal")
    typed = kept.drop("offence_type", "cluster", strict=False).join(
        lookup, on=keys, how="left", nulls_equal=True, maintain_order="left"
    )
    by_source = kept.select(pl.col(_key(c)).alias(c) for c in categories)
    unclassified = unclassified_counts(by_source, typed.select("offence_type"))
    counts = by_source.group_by(list(categories)).agg(pl.len().cast(pl.UInt32()).alias("count"))
    return _conform(typed), unclassified, counts.sort("count", descending=True)


def _conform(frame: pl.DataFrame) -> pl.DataFrame:
    # typed null columns first: conform() would build them from Python lists, row by row
    absent = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in INCIDENT_SCHEMA.items()
        if name not in frame.columns
    ]
    return conform(frame.with_columns(absent) if absent else frame)


def _notes(kept: pl.DataFrame) -> dict[str, int]:
    notes = {mask: int(kept[mask].sum()) for mask in _NOTE_MASKS}
    notes["coordinates_zero_unknown"] = int(kept["coordinates_zero"].sum())
    for name in kept.columns:
        if name.endswith(("_unparseable", "_implausible")) and not name.startswith("time_"):
            notes[name] = int(kept[name].sum())
    multi = kept["count"] > 1
    notes["multi_offence_records"] = int(multi.sum())
    notes["offences_beyond_first"] = int((kept["count"] - 1).filter(multi).sum())
    return notes
