"""Roster exports: CSV for spreadsheets, iCalendar (RFC 5545) for officers' calendars."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from zonal.planning.roster.result import RosterResult

_ICAL_LINE = 75  # octets per line before folding (RFC 5545, 3.1)


def to_csv(result: RosterResult, time_zone: str = "Europe/Brussels") -> str:
    """One row per officer and shift, with local start and end times, as CSV text."""
    return _local(result, time_zone).write_csv()


def write_csv(result: RosterResult, path: Path, time_zone: str = "Europe/Brussels") -> Path:
    """Write `to_csv` to `path`."""
    _local(result, time_zone).write_csv(path)
    return path


def _local(result: RosterResult, time_zone: str) -> pl.DataFrame:
    return result.assignments.with_columns(
        pl.col("start").dt.convert_time_zone(time_zone).dt.strftime("%Y-%m-%d %H:%M"),
        pl.col("end").dt.convert_time_zone(time_zone).dt.strftime("%Y-%m-%d %H:%M"),
    )


def to_ical(
    result: RosterResult, officer_id: str | None = None, stamp: datetime | None = None
) -> str:
    """The roster (or one officer's shifts) as an iCalendar document.

    Args:
        result: a solved roster.
        officer_id: only this officer's shifts; None for everyone's.
        stamp: DTSTAMP of the events (defaults to now; fixed in tests).
    """
    frame = result.assignments
    if officer_id is not None:
        frame = frame.filter(pl.col("officer_id") == officer_id)
    created = _ical_time(stamp or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Zonal//planning roster//EN"]
    for row in frame.iter_rows(named=True):
        lines += _event(row, created)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def write_ical(result: RosterResult, path: Path, officer_id: str | None = None) -> Path:
    """Write `to_ical` to `path`."""
    path.write_text(to_ical(result, officer_id), encoding="utf-8", newline="")
    return path


def _event(row: dict[str, object], created: str) -> list[str]:
    start, end = row["start"], row["end"]
    assert isinstance(start, datetime) and isinstance(end, datetime)
    uid = f"{row['officer_id']}-{_ical_time(start)}-{row['shift']}@zonal"
    team = f" (team {row['team']})" if row["team"] else ""
    summary = f"{row['shift']} shift: {row['officer_id']}{team}"
    return [
        "BEGIN:VEVENT",
        f"UID:{_escape(uid)}",
        f"DTSTAMP:{created}",
        f"DTSTART:{_ical_time(start)}",
        f"DTEND:{_ical_time(end)}",
        f"SUMMARY:{_escape(summary)}",
        "END:VEVENT",
    ]


def _ical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= _ICAL_LINE:
        return line
    parts: list[str] = []
    current = ""
    for char in line:
        limit = _ICAL_LINE if not parts else _ICAL_LINE - 1
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)
