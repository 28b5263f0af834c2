"""Read a CSV (plain or gzip) or Parquet file into a frame of strings, one row per record.

Every column is read as text so nothing is guessed: parsing happens later, per field, with
expressions. Two bookkeeping columns are added: `LINE` (the record's line in the file: 2 for
the first data row of a CSV, 1 for the first row of a Parquet file) and `RAGGED` (why the
record's field count differs from the header, null when it matches).
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from zonal.errors import FileFormatError, InputError

LINE = "__zonal_line__"
RAGGED = "__zonal_ragged__"
_EXTRA = "__zonal_extra__"
_GZIP_MAGIC = b"\x1f\x8b"
_CSV_SEPARATORS = {".csv": ",", ".txt": ",", ".tsv": "\t"}
# What a .csv may really be separated by: Belgian and other European spreadsheets export ';'
_SNIFFED = (",", ";", "\t", "|")
_PARQUET = (".parquet", ".pq")


@dataclass
class SourceTable:
    """A source file as text: the header's columns, the records, and notes on reading it."""

    frame: pl.DataFrame
    columns: tuple[str, ...]
    notes: dict[str, int]


def load_table(path: Path, null_values: frozenset[str] = frozenset()) -> SourceTable:
    """Read `path` as strings, choosing CSV or Parquet from its extension.

    Raises:
        InputError: the path does not exist.
        FileFormatError: a directory, an unknown extension, an empty or unreadable file.
    """
    suffix = _format_suffix(path)
    if suffix in _PARQUET:
        table = _load_parquet(path)
    else:
        table = _load_csv(path, _CSV_SEPARATORS[suffix])
    if null_values:
        table.frame = table.frame.with_columns(
            pl.when(~pl.col(name).is_in(list(null_values))).then(pl.col(name)).alias(name)
            for name in table.columns
        )
    return table


def _format_suffix(path: Path) -> str:
    if not path.exists():
        raise InputError(f"no file at {path}; check the path and the working directory")
    if path.is_dir():
        raise FileFormatError(
            f"{path} is a directory; give one CSV (.csv, .csv.gz, .tsv) or Parquet file"
        )
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    suffix = suffixes[-1] if suffixes else ""
    if suffix not in _CSV_SEPARATORS and suffix not in _PARQUET:
        raise FileFormatError(
            f"cannot tell the format of {path.name!r} from its extension {suffix or '(none)'!r}; "
            "give a .csv, .csv.gz, .tsv or .parquet file (export spreadsheets as CSV)"
        )
    return suffix


def _load_csv(path: Path, separator: str) -> SourceTable:
    raw = _read_bytes(path)
    if not raw or raw.isspace():
        raise FileFormatError(
            f"{path} is empty; a CSV needs a header line naming its columns, then one line "
            "per incident"
        )
    notes: dict[str, int] = {}
    if separator == ",":
        separator = sniff_separator(raw)
        if separator != ",":
            notes[f"separator_{_SEPARATOR_NAMES[separator]}"] = 1
    try:
        _require_utf8(raw[: raw.find(b"\n") + 1 or len(raw)])  # polars reads a bad header lossily
        frame, columns = _parse_csv(raw, separator, path)
    except UnicodeDecodeError:
        raw, notes = _transcode(raw, path)
        frame, columns = _parse_csv(raw, separator, path)
    frame, checked = _mark_ragged(frame, raw, separator, columns)
    if not checked:
        notes["short_rows_unchecked"] = 1
    return SourceTable(frame, columns, notes)


_SEPARATOR_NAMES = {";": "semicolon", "\t": "tab", "|": "pipe"}


def sniff_separator(raw: bytes) -> str:
    """The separator of a CSV's header line: the candidate that splits it into the most
    fields outside quotes (',' when none does better)."""
    header = raw[: raw.find(b"\n") if b"\n" in raw else len(raw)]
    unquoted = re.sub(rb'"[^"]*"', b"", header)
    counts = {sep: unquoted.count(sep.encode()) for sep in _SNIFFED}
    best = max(_SNIFFED, key=lambda sep: counts[sep])  # ties keep the first: ','
    return best if counts[best] > 0 else ","


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileFormatError(
            f"{path} starts like gzip but cannot be decompressed ({exc}); "
            "re-download or re-compress it"
        ) from exc


def _require_utf8(raw: bytes) -> None:
    raw.decode("utf-8")


def _transcode(raw: bytes, path: Path) -> tuple[bytes, dict[str, int]]:
    """UTF-8 bytes of a non-UTF-8 file, read as cp1252 or, failing that, latin-1.

    Spreadsheet exports on Windows are cp1252: refusing them would stop most users, so the
    fallback is taken and reported in the notes with the offset of the first non-UTF-8 byte.
    """
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
    else:
        raise FileFormatError(f"cannot read {path}: the CSV reader reports invalid UTF-8")
    try:
        text, encoding = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"  # never fails: every byte is a char
    notes = {f"encoding_fallback_{encoding}": 1, "first_non_utf8_byte": offset}
    return text.encode("utf-8"), notes


def _parse_csv(raw: bytes, separator: str, path: Path) -> tuple[pl.DataFrame, tuple[str, ...]]:
    try:
        header = pl.read_csv(raw, n_rows=0, infer_schema=False, separator=separator).columns
        # One spare column catches records with more fields than the header.
        frame = pl.read_csv(
            raw,
            has_header=False,
            skip_rows=1,
            separator=separator,
            schema={name: pl.String() for name in [*header, _EXTRA]},
            truncate_ragged_lines=True,
            missing_columns="insert",
            row_index_name=LINE,
            row_index_offset=2,
        )
    except (
        pl.exceptions.ComputeError,
        pl.exceptions.NoDataError,
        pl.exceptions.SchemaError,
    ) as exc:
        if "utf-8" in str(exc).lower():
            raise UnicodeDecodeError("utf-8", raw, 0, 1, str(exc)) from exc
        raise FileFormatError(
            f"cannot read {path} as CSV: {exc}. Check the separator and the quoting"
        ) from exc
    return frame.with_columns(pl.col(LINE).cast(pl.Int64)), tuple(header)


def _mark_ragged(
    frame: pl.DataFrame, raw: bytes, separator: str, header: tuple[str, ...]
) -> tuple[pl.DataFrame, bool]:
    """Add RAGGED; the flag is False when short records could not be told apart."""
    width = len(header)
    checked = True
    too_many = pl.col(_EXTRA).is_not_null()
    detail = pl.when(too_many).then(pl.lit(f"more fields than the header's {width}"))
    # A short record reads like one whose last fields are empty; only the raw line tells
    # them apart, so count fields only when some record lacks its last field.
    if frame.height and frame[header[-1]].null_count():
        counts = _field_counts(raw, separator, frame.height)
        checked = counts is not None
        if counts is not None:
            wrong = counts != width
            detail = pl.when(wrong).then(
                pl.format("{} fields, the header has {}", counts, pl.lit(width))
            )
    return frame.with_columns(detail.otherwise(None).alias(RAGGED)).drop(_EXTRA), checked


def _field_counts(raw: bytes, separator: str, records: int) -> pl.Series | None:
    """Fields per physical line, or None when a quoted field spans lines (no 1:1 match)."""
    lines = pl.read_csv(
        raw,
        has_header=False,
        separator="\x1f",  # a control character no CSV uses: one field per line
        quote_char=None,
        schema={"line": pl.String()},
        truncate_ragged_lines=True,
        missing_columns="insert",
    )["line"].slice(1)
    if lines.len() != records:
        return None
    unquoted = lines.fill_null("").str.replace_all(r'"[^"]*"', "")
    return (unquoted.str.count_matches(separator, literal=True) + 1).cast(pl.Int64)


def _load_parquet(path: Path) -> SourceTable:
    try:
        frame = pl.read_parquet(path)
    except (pl.exceptions.ComputeError, OSError) as exc:
        raise FileFormatError(
            f"cannot read {path} as Parquet ({exc}); check it was written as Parquet"
        ) from exc
    columns = tuple(frame.columns)
    try:
        frame = frame.select(_as_text(name, dtype) for name, dtype in frame.schema.items())
    except pl.exceptions.InvalidOperationError as exc:
        raise FileFormatError(
            f"{path} has a column that cannot be read as text ({exc}); flatten nested columns"
        ) from exc
    frame = frame.with_row_index(LINE, offset=1).with_columns(
        pl.col(LINE).cast(pl.Int64), pl.lit(None, dtype=pl.String()).alias(RAGGED)
    )
    return SourceTable(frame, columns, {})


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    # ISO text keeps typed times readable by the same parser as CSV text
    column = pl.col(name)
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        return column.dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M:%S%.f+00:00")
    if isinstance(dtype, pl.Datetime):
        return column.dt.strftime("%Y-%m-%d %H:%M:%S%.f")
    if isinstance(dtype, pl.Date):
        return column.dt.strftime("%Y-%m-%d")
    return column.cast(pl.String())
