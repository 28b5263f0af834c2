"""Read wall-clock time text into UTC instants, with an explicit daylight-saving policy.

Policy (documented in docs/importing.md):
- a local time inside a spring-forward gap (2010-03-14 02:30 in America/Chicago) does not
  exist; it is shifted forward by the length of the gap (to 03:30 CDT) and counted;
- a local time in the fall-back hour happens twice; the earlier instant is taken and
  counted, except for a follow-up time (dispatch, arrival, ...) whose earlier instant falls
  before the incident's own time while the later one does not: the later one is taken then,
  since a unit cannot arrive before the call.
- text with an explicit offset (`+01:00`, `Z`) is an instant already; the zone is ignored.

Years: `%Y` reads only text with a four-digit year (the parser would otherwise read `23` as the
year 0023); a two-digit year reads with `%y`, pivoted as Python's `%y` is: 69-99 are 1969-1999,
00-68 are 2000-2068. A time before 1900 or more than a day after the import's clock is no
police record's: `implausible` says why, and the importer rejects them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl

from zonal.errors import InputError
from zonal.incidents.schema import UTC_TIME, TimeResolution

NAIVE = pl.Datetime("us")
# ISO 8601 forms tried when no format is given, or beside it (typed Parquet times arrive so)
ISO_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M:%S%.f%#z",
)
# Common written forms, tried only when no ISO form reads a column and no format is given:
# police exports from spreadsheets and US open-data portals. Families that read the same
# text two ways (03/04/2020: 3 April or 4 March) are told apart on the whole column.
# Two-digit years (02/08/23) are read month or day first, never year first: 23-02-08 would
# read both ways.
_CLOCKS_12 = (" %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M", "")
_CLOCKS_24 = (" %H:%M:%S", " %H:%M", "")
WRITTEN_FORMATS: dict[str, tuple[str, ...]] = {
    "month-first": tuple(f"%m/%d/{y}{t}" for y in ("%Y", "%y") for t in _CLOCKS_12),
    "day-first": tuple(
        f"%d{sep}%m{sep}{y}{t}" for y in ("%Y", "%y") for sep in "/.-" for t in _CLOCKS_24
    ),
    "year-first": tuple(f"%Y/%m/%d{t}" for t in _CLOCKS_12),
}
# Texts that mean "no time" in exports (SQL, R, pandas, Python), read as missing, whatever the
# case. Not "n/a": someone typed that, and it is counted as text that is not a time.
MISSING_TIME_TEXTS: tuple[str, ...] = ("NULL", "NA", "NAN", "NAT", "NONE")
# No police record is older, nor later than the import's clock by more than the tolerance
# (a day covers any time-zone mix-up: offsets stay within 14 hours).
EARLIEST_TIME = datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)
_SAMPLE = 1000
_DAY = timedelta(days=1)
_TWO_DIGIT_YEAR = r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(\D|$)"
_PIVOT_YEAR = 2069  # %y reads 69 as 2069; Python's %y, and this module, as 1969


@dataclass
class ParsedTimes:
    """UTC instants of one time column, with masks saying what happened to each value."""

    utc: pl.Series
    wall_clock: pl.Series  # naive local time as written, for resolution inference
    unparseable: pl.Series  # text present but not readable as a time
    gap_shifted: pl.Series
    ambiguous_earliest: pl.Series
    ambiguous_latest: pl.Series


def choose_formats(values: pl.Series, time_format: str | None) -> tuple[str, ...]:
    """The formats worth trying on `values`: those that read some of its first values.

    `time_format` comes first when given; ISO 8601 forms follow, since they cannot be
    misread. Trying only formats seen in a sample keeps a million-row parse to one pass.

    Raises:
        InputError: no format reads any of the sampled values.
    """
    candidates = tuple(dict.fromkeys((time_format, *ISO_FORMATS) if time_format else ISO_FORMATS))
    sample = values.drop_nulls().head(_SAMPLE)
    if sample.is_empty():
        return candidates
    chosen = tuple(f for f in candidates if _read(sample, f).null_count() < sample.len())
    if not chosen and time_format is None:
        chosen = _written_formats(values, sample)
    if not chosen:
        hint = _format_hint(sample, time_format)
        raise InputError(
            f"no value of column {values.name!r} reads as a date/time, e.g. {sample[0]!r}; "
            f"tried {list(candidates)} and common written forms. {hint}"
        )
    return chosen


def _format_hint(sample: pl.Series, time_format: str | None) -> str:
    if time_format and "%Y" in time_format and sample.str.contains(_TWO_DIGIT_YEAR).any():
        two_digit = time_format.replace("%Y", "%y")
        return (
            f"The years have two digits: give --time-format {two_digit!r} "
            "(%y reads 69-99 as 1969-1999 and 00-68 as 2000-2068)"
        )
    return "Give the format with time_format (--time-format), e.g. '%d/%m/%Y %H:%M'"


def _written_formats(values: pl.Series, sample: pl.Series) -> tuple[str, ...]:
    """The formats of the one written family that reads the most of `sample`.

    Raises:
        InputError: two families read the whole column (every day is 12 or less), so the
            dates are ambiguous; the message asks for the format.
    """
    read = {name: _family_reads(sample, forms) for name, forms in WRITTEN_FORMATS.items()}
    best = max(read.values(), key=lambda found: found[1])
    if best[1] == 0:
        return ()
    tied = [name for name, found in read.items() if found[1] == best[1]]
    if len(tied) > 1:
        whole = values.drop_nulls()
        read = {name: _family_reads(whole, WRITTEN_FORMATS[name]) for name in tied}
        best = max(read.values(), key=lambda found: found[1])
        tied = [name for name, found in read.items() if found[1] == best[1]]
    if len(tied) > 1:
        raise InputError(
            f"the times of column {values.name!r} read both {' and '.join(tied)} "
            f"(e.g. {sample[0]!r}); give the format with --time-format, e.g. "
            "'%d/%m/%Y %H:%M' or '%m/%d/%Y %H:%M'"
        )
    return best[0]


def _family_reads(values: pl.Series, forms: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """The forms of a family that read some of `values`, and how many values they read."""
    parsed = {f: _read(values, f) for f in forms}
    used = tuple(f for f, out in parsed.items() if out.null_count() < values.len())
    if not used:
        return (), 0
    return used, values.len() - _coalesce(
        [parsed[f] for f in used], NAIVE, values.len()
    ).null_count()


def parse_times(
    values: pl.Series,
    formats: tuple[str, ...],
    time_zone: str,
    not_before: pl.Series | None = None,
) -> ParsedTimes:
    """Read `values` (text) with `formats` as wall-clock times in `time_zone`, into UTC.

    Args:
        values: time text; null means missing.
        formats: strptime formats, tried in order; a format with %z/%#z reads an offset.
        time_zone: IANA zone of wall-clock text.
        not_before: instants this column should not precede (the incident's own time), used
            to choose between the two instants of an ambiguous fall-back time.
    """
    n = values.len()
    naive = _coalesce([_read(values, f) for f in formats if not _has_offset(f)], NAIVE, n)
    aware = _coalesce([_read(values, f) for f in formats if _has_offset(f)], UTC_TIME, n)
    earliest = naive.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
    strict = naive.dt.replace_time_zone(time_zone, ambiguous="null", non_existent="null")
    gap = naive.is_not_null() & earliest.is_null()
    ambiguous = earliest.is_not_null() & strict.is_null()
    local = _shift_gaps(naive, earliest, gap, time_zone) if gap.any() else earliest
    utc = local.dt.convert_time_zone("UTC")
    later = pl.repeat(False, n, dtype=pl.Boolean(), eager=True)
    if not_before is not None and ambiguous.any():
        utc, later = _prefer_later(naive, utc, ambiguous, not_before, time_zone)
    utc = pl.select(pl.coalesce(aware, utc)).to_series().alias(values.name)
    return ParsedTimes(
        utc=utc,
        wall_clock=pl.select(pl.coalesce(aware.dt.replace_time_zone(None), naive)).to_series(),
        unparseable=values.is_not_null() & utc.is_null(),
        gap_shifted=gap,
        ambiguous_earliest=ambiguous & ~later,
        ambiguous_latest=later,
    )


def infer_resolution(wall_clock: pl.Series) -> TimeResolution:
    """The coarsest resolution every time fits: all midnights are dates, all :00 are hours."""
    times = wall_clock.drop_nulls()
    if times.is_empty():
        return TimeResolution.SECOND
    sub_second = (times.dt.microsecond() != 0).any()
    seconds = (times.dt.second() != 0).any() or sub_second
    minutes = (times.dt.minute() != 0).any() or seconds
    hours = (times.dt.hour() != 0).any() or minutes
    if seconds:
        return TimeResolution.SECOND
    if minutes:
        return TimeResolution.MINUTE
    return TimeResolution.HOUR if hours else TimeResolution.DAY


def implausible(times: ParsedTimes, text: pl.Series, now: datetime) -> pl.Series:
    """Why each time is one no police record can have (before 1900, or more than a day after
    `now`), e.g. "'02/08/0023' reads as 0023-02-08 00:00:00, before 1900"; null for the
    others and for missing times."""
    latest = now + FUTURE_TOLERANCE
    early = times.utc < EARLIEST_TIME
    late = times.utc > latest
    why = (
        pl.when(early)
        .then(pl.lit("before 1900"))
        .otherwise(pl.lit(f"after {latest:%Y-%m-%d %H:%M} UTC, a day past the import's clock"))
    )
    read = times.wall_clock.dt.strftime("%Y-%m-%d %H:%M:%S")
    detail = pl.format("'{}' reads as {}, {}", text, read, why)
    return pl.select(pl.when(early | late).then(detail)).to_series().alias(times.utc.name)


def _read(values: pl.Series, time_format: str) -> pl.Series:
    dtype = UTC_TIME if _has_offset(time_format) else NAIVE
    parsed = values.str.strptime(dtype, time_format, strict=False)
    if "%Y" in time_format:
        # the parser reads "02/08/23" under %Y as the year 0023: leave such text to %y
        parsed = pl.select(pl.when(values.str.contains(r"\d{4}")).then(parsed)).to_series()
    if "%y" in time_format:
        late = parsed.dt.year() >= _PIVOT_YEAR
        parsed = pl.select(
            pl.when(late).then(parsed.dt.offset_by("-100y")).otherwise(parsed)
        ).to_series()
    return parsed


def _has_offset(time_format: str) -> bool:
    return re.search(r"%[#:]?z", time_format) is not None


def _coalesce(series: list[pl.Series], dtype: pl.DataType, height: int) -> pl.Series:
    if not series:
        return pl.repeat(None, height, dtype=dtype, eager=True)
    if len(series) == 1:
        return series[0]
    return pl.select(pl.coalesce(series)).to_series()


def _shift_gaps(naive: pl.Series, earliest: pl.Series, gap: pl.Series, time_zone: str) -> pl.Series:
    # Read a gap time with the UTC offset in force a day before: 02:30 at UTC-6 is
    # 08:30 UTC, i.e. 03:30 at UTC-5, which is the time shifted forward by the gap.
    day_before = naive - _DAY
    before = day_before.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
    offset = day_before - before.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    shifted = (naive - offset).dt.replace_time_zone("UTC").dt.convert_time_zone(time_zone)
    return pl.select(pl.when(gap).then(shifted).otherwise(earliest)).to_series()


def _prefer_later(
    naive: pl.Series,
    utc: pl.Series,
    ambiguous: pl.Series,
    not_before: pl.Series,
    time_zone: str,
) -> tuple[pl.Series, pl.Series]:
    latest = naive.dt.replace_time_zone(time_zone, ambiguous="latest", non_existent="null")
    latest = latest.dt.convert_time_zone("UTC")
    later = ambiguous & (utc < not_before) & (latest >= not_before)
    later = later.fill_null(False)
    chosen = pl.select(pl.when(later).then(latest).otherwise(utc)).to_series()
    return chosen, later
