"""What an import needs to know beyond the file, and what it hands back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from zonal.errors import InputError
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.schema import Origin, TimeResolution

# Every reason a row can be rejected for, in the order they are checked: a row carries
# the first one that applies.
REJECT_REASONS: tuple[str, ...] = (
    "ragged_row",  # more or fewer fields than the header
    "missing_time",  # the time column is empty
    "unparseable_time",  # the time does not read with the format(s) tried
    "implausible_time",  # a time no police record can have: before 1900, or in the future
    "cancellation",  # a count below 1: a record cancelling an earlier one
    "unknown_zone",  # a zone outside ImportOptions.known_zones
    "outside_area",  # coordinates outside ImportOptions.area
    "duplicate_id",  # an id already seen on an earlier line (the first is kept)
)


@dataclass(frozen=True)
class OriginRule:
    """Rows whose `column` matches the regex `pattern` get `origin` (first rule wins)."""

    column: str
    pattern: str
    origin: Origin


@dataclass(frozen=True)
class PriorityRule:
    """Priority values matching the regex `pattern` read as `priority` (first rule wins)."""

    pattern: str
    priority: int


@dataclass(frozen=True)
class ImportOptions:
    """How to read one source file into canonical incidents.

    Args:
        mapping: canonical field -> source column.
        time_zone: IANA zone of the source's wall-clock times (ignored for times with an offset).
        dataset: name recorded on every incident and used for generated ids.
        scheme: taxonomy scheme that classifies the category columns.
        time_format: strptime format of all time columns; None tries ISO 8601 forms.
        time_resolution: precision of the times; None infers it from the values.
        known_zones: zones accepted; other non-empty zones are rejected.
        area: lon_min, lat_min, lon_max, lat_max; coordinates outside are rejected.
        xy_crs: CRS of mapped x/y columns (e.g. "EPSG:2913"), converted to WGS84.
        zero_coordinates_unknown: read a (0, 0) coordinate pair as unknown, not as a place.
        null_values: strings that mean "missing" in every column (e.g. "NULL").
        keep_values: source column -> values to keep; other rows are filtered out before
            counting, reported in notes["filtered_out"], not as rejects.
        zone_pattern: regex whose first group extracts the zone from the zone column.
        origin_rules: how source values map to an Origin; unmatched rows get default_origin.
        default_origin: origin of rows no rule or origin value decides.
        priority_rules: how priority text reads as a number; None parses integers.
        count_column: offences per record; a count below 1 rejects the row as a cancellation.
        zone: the zone of every row, for a file of one zone; not with a zone column.
        now: the clock times are checked against (later than a day after it is implausible);
            None reads the clock when the file is imported.
    """

    mapping: ColumnMapping
    time_zone: str
    dataset: str
    scheme: str = "zonal"
    time_format: str | None = None
    time_resolution: TimeResolution | None = None
    known_zones: frozenset[str] | None = None
    area: tuple[float, float, float, float] | None = None
    xy_crs: str | None = None
    zero_coordinates_unknown: bool = True
    null_values: frozenset[str] = frozenset()
    keep_values: dict[str, frozenset[str]] = field(default_factory=dict)
    zone_pattern: str | None = None
    origin_rules: tuple[OriginRule, ...] = ()
    default_origin: Origin = Origin.UNKNOWN
    priority_rules: tuple[PriorityRule, ...] | None = None
    count_column: str | None = None
    zone: str | None = None
    now: datetime | None = None

    def __post_init__(self) -> None:
        _check_time_zone(self.time_zone)
        if not self.dataset.strip():
            raise InputError("dataset name is empty; give a short name such as 'houston'")
        if self.area is not None:
            _check_area(self.area)
        _check_patterns(self)
        if self.mapping.x is not None and not self.xy_crs:
            raise InputError(
                f"x/y columns ({self.mapping.x!r}, {self.mapping.y!r}) are mapped but "
                "xy_crs is not set; give their CRS, e.g. 'EPSG:31370' for Belgian Lambert 72"
            )
        _check_zone(self)

    def source_columns(self) -> tuple[str, ...]:
        """Every source column these options read, mapped or used by a rule or filter."""
        names = [column for columns in self.mapping.sources().values() for column in columns]
        names += [rule.column for rule in self.origin_rules]
        names += list(self.keep_values)
        if self.count_column is not None:
            names.append(self.count_column)
        return tuple(dict.fromkeys(names))


@dataclass
class ImportResult:
    """Canonical incidents plus an account of every row that did not become one.

    `rows_read` counts data rows after `keep_values` filtering, so
    `incidents.height + rejects.height == rows_read` always holds.
    """

    incidents: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int
    reasons: dict[str, int]
    notes: dict[str, int]
    unclassified: pl.DataFrame
    # every distinct source category (one column per category column) with its row `count`
    categories: pl.DataFrame = field(default_factory=pl.DataFrame)
    columns: tuple[str, ...] = ()  # the file's columns, as its header names them


def _check_time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"unknown time zone {name!r}; give an IANA name such as 'Europe/Brussels' "
            "or 'America/Chicago'"
        ) from exc


def _check_zone(options: ImportOptions) -> None:
    if options.zone is None:
        return
    if not options.zone.strip():
        raise InputError("the zone of the file is empty; give a zone number such as '5339'")
    if options.mapping.zone is not None:
        raise InputError(
            f"a zone column ({options.mapping.zone!r}) is mapped and every row is also given "
            f"zone {options.zone!r} (--zone); give one of them: drop --zone, or map no zone"
        )


def _check_area(area: tuple[float, float, float, float]) -> None:
    lon_min, lat_min, lon_max, lat_max = area
    if not (lon_min < lon_max and lat_min < lat_max):
        raise InputError(
            f"area {area} is not lon_min, lat_min, lon_max, lat_max with min < max; "
            "e.g. (4.24, 50.76, 4.48, 50.92) for Brussels"
        )


def _check_patterns(options: ImportOptions) -> None:
    patterns = [("zone_pattern", options.zone_pattern)] if options.zone_pattern else []
    patterns += [("origin rule", rule.pattern) for rule in options.origin_rules]
    patterns += [("priority rule", rule.pattern) for rule in options.priority_rules or ()]
    for name, pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise InputError(f"{name} {pattern!r} is not a regular expression: {exc}") from exc
        if name == "zone_pattern" and compiled.groups < 1:
            raise InputError(
                f"zone_pattern {pattern!r} needs a group around the zone, e.g. r'^(\\d+)'"
            )
