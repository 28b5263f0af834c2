"""The canonical incident schema: one row per incident, whatever the source.

Every importer and the demo generator produce exactly these columns in this order
(`conform` enforces it); storage and forecasting read nothing else. Times are
timezone-aware and held in UTC; the wall-clock zone of the source is recorded on the
import run, and `local_time` converts back for hour-of-week analytics.
"""

from __future__ import annotations

from enum import StrEnum

import polars as pl

from zonal.errors import InputError

UTC_TIME = pl.Datetime("us", "UTC")


class Origin(StrEnum):
    """Who generated the demand: forecasting uses citizen-generated demand by default."""

    CITIZEN_CALL = "citizen_call"
    OFFICER_INITIATED = "officer_initiated"
    ONLINE_COMPLAINT = "online_complaint"
    ALARM = "alarm"
    UNKNOWN = "unknown"


class TimeResolution(StrEnum):
    """How precise `occurred_at` is: a date-only source must not feed hourly models."""

    SECOND = "second"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"


DISPATCH_TIMES: tuple[str, ...] = (
    "queued_at",
    "dispatched_at",
    "en_route_at",
    "arrived_at",
    "cleared_at",
    "closed_at",
)

INCIDENT_SCHEMA: dict[str, pl.DataType] = {
    "incident_id": pl.String(),  # unique within a dataset
    "dataset": pl.String(),  # where the row came from: "houston", "demo-brussels", a file stem
    "occurred_at": UTC_TIME,
    "time_resolution": pl.String(),  # a TimeResolution value
    "reported_at": UTC_TIME,
    "zone": pl.String(),  # police zone number ("5339") or the source's top-level area
    "sector": pl.String(),  # sub-zone area: sector, beat, district part
    "lat": pl.Float64(),
    "lon": pl.Float64(),
    "offence_type": pl.String(),  # a code of zonal.taxonomy, or "unclassified"
    "cluster": pl.Int8(),  # security cluster 1..10; null when unclassified
    "source_category": pl.String(),  # the source's own category, kept verbatim
    "priority": pl.Int8(),  # 1 = most urgent
    "origin": pl.String(),  # an Origin value
    **dict.fromkeys(DISPATCH_TIMES, UTC_TIME),
}

REQUIRED_COLUMNS: tuple[str, ...] = ("incident_id", "dataset", "occurred_at", "origin")


def empty_incidents() -> pl.DataFrame:
    """An incident frame with no rows and the canonical schema."""
    return pl.DataFrame(schema=INCIDENT_SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with exactly the canonical columns, order and types.

    Missing optional columns are added as nulls; extra columns are dropped.

    Raises:
        InputError: a required column is missing or a column cannot take its canonical type.
    """
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise InputError(f"incident frame lacks required column(s) {missing}")
    columns = []
    for name, dtype in INCIDENT_SCHEMA.items():
        if name in frame.columns:
            columns.append(_cast(frame[name], dtype))
        else:
            columns.append(pl.Series(name, [None] * frame.height, dtype=dtype))
    return pl.DataFrame(columns)


def _cast(column: pl.Series, dtype: pl.DataType) -> pl.Series:
    if isinstance(dtype, pl.Datetime):
        if not isinstance(column.dtype, pl.Datetime) or column.dtype.time_zone is None:
            raise InputError(
                f"column {column.name!r} must be a timezone-aware datetime, got {column.dtype}"
            )
        return column.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    try:
        return column.cast(dtype, strict=True)
    except pl.exceptions.InvalidOperationError as exc:
        raise InputError(f"column {column.name!r} cannot be read as {dtype}: {exc}") from exc


def local_time(frame: pl.DataFrame, time_zone: str, column: str = "occurred_at") -> pl.Series:
    """The wall-clock time of `column` in `time_zone`, for hour-of-week work."""
    return frame[column].dt.convert_time_zone(time_zone)
