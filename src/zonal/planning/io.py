"""Reading planning inputs from files: long frames (CSV or Parquet) and officer lists.

Officer CSV columns (only officer_id is required):
    officer_id, contract_hours (per week, default 38), skills ("fr;driver"),
    team (fixed partners share one), unavailable ("2025-03-03;2025-03-10..2025-03-14"),
    nights (true/false, default true)
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl

from zonal.errors import FileFormatError, InputError
from zonal.forecasting.series_key import SeriesKey
from zonal.planning.roster import Officer

_TRUE = {"true", "1", "yes", "y", "ja", "oui"}
_FALSE = {"false", "0", "no", "n", "nee", "non"}


def read_frame(path: Path, time_zone: str = "Europe/Brussels") -> pl.DataFrame:
    """A long frame from CSV or Parquet; a naive `ds` is read as wall clock of `time_zone`.

    Raises:
        FileFormatError: the file is missing, of another format, or unreadable.
        InputError: `ds` cannot be read as datetimes.
    """
    frame = _load(path)
    if "ds" not in frame.columns:
        return frame
    ds = frame["ds"]
    if ds.dtype == pl.String:
        try:
            ds = ds.str.to_datetime(time_unit="us")
        except pl.exceptions.ComputeError as exc:
            raise InputError(
                f"{path}: column 'ds' holds values that are not datetimes: {exc}"
            ) from exc
    if not isinstance(ds.dtype, pl.Datetime):
        raise InputError(f"{path}: column 'ds' must hold datetimes, got {ds.dtype}")
    if ds.dtype.time_zone is None:
        ds = ds.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
    return frame.with_columns(ds.alias("ds"))


def zone_demand(frame: pl.DataFrame) -> pl.DataFrame:
    """The zones' demand in a Zonal forecast (ids 'area|cluster'), one series per zone.

    A forecast of `zonal forecast` holds every level: the total, zones, sectors and their
    clusters. Planning staffs zones, so it keeps each zone's total ('5339|all' becomes
    '5339'); a forecast made at city level alone keeps its total ('all'). A frame whose ids
    are plain zone numbers is returned as it is.

    Raises:
        InputError: a hierarchical forecast without a zone or city total.
    """
    if "unique_id" not in frame.columns or frame.height == 0:
        return frame
    ids = pl.col("unique_id").cast(pl.String)
    if not frame.select(SeriesKey.is_key_expr(ids).any()).item():
        return frame
    # a zone's total, not a province's or a sector's; the city's when there is no zone
    level = SeriesKey.level_expr(ids)
    zones = frame.filter(level.is_in(["zone", "total"]))
    if zones["unique_id"].n_unique() > 1:
        zones = zones.filter(level != "total")
    if zones.height == 0:
        raise InputError(
            "the forecast has no zone totals (ids like '5339|all'); forecast with "
            "--clusters or --level zone, or give one series per zone"
        )
    labels = [c for c in ("area", "cluster", "level") if c in frame.columns]
    return zones.with_columns(SeriesKey.area_expr(ids).alias("unique_id")).drop(labels)


def _load(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise FileFormatError(f"{path} does not exist or is not a file")
    suffix = "".join(path.suffixes[-2:]).lower()
    try:
        if suffix.endswith(".parquet"):
            return pl.read_parquet(path)
        if suffix.endswith((".csv", ".csv.gz")):
            return pl.read_csv(path, infer_schema_length=10_000)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FileFormatError(f"{path} cannot be read: {exc}") from exc
    raise FileFormatError(f"{path}: give a .csv, .csv.gz or .parquet file, not {suffix!r}")


def read_officers(path: Path) -> list[Officer]:
    """Officers from a CSV file (see the module docstring for the columns).

    Raises:
        FileFormatError: unreadable file.
        InputError: no officer_id column, no rows, or a value that cannot be read
            (the message names the officer and the value).
    """
    frame = _load(path).cast(pl.String)
    if "officer_id" not in frame.columns:
        raise InputError(f"{path} lacks the column 'officer_id'; it has {frame.columns}")
    if frame.height == 0:
        raise InputError(f"{path} lists no officers")
    return [_officer(row) for row in frame.iter_rows(named=True)]


def _officer(row: dict[str, str | None]) -> Officer:
    officer_id = (row.get("officer_id") or "").strip()
    if not officer_id:
        raise InputError(f"an officer row has no officer_id: {row}")
    return Officer(
        officer_id=officer_id,
        contract_hours=_hours(officer_id, row.get("contract_hours")),
        skills=frozenset(s.strip() for s in (row.get("skills") or "").split(";") if s.strip()),
        team=(row.get("team") or "").strip() or None,
        unavailable=_dates(officer_id, row.get("unavailable") or ""),
        nights=_flag(officer_id, row.get("nights")),
    )


def _hours(officer_id: str, text: str | None) -> float:
    if text is None or not text.strip():
        return 38.0
    try:
        hours = float(text)
    except ValueError:
        raise InputError(f"officer {officer_id}: contract_hours {text!r} is not a number") from None
    if not 0 < hours <= 60:
        raise InputError(f"officer {officer_id}: contract_hours {hours:g} must lie in (0, 60]")
    return hours


def _dates(officer_id: str, text: str) -> frozenset[date]:
    days: set[date] = set()
    for part in filter(None, (p.strip() for p in text.split(";"))):
        first, _, last = part.partition("..")
        try:
            start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        except ValueError:
            raise InputError(
                f"officer {officer_id}: unavailable {part!r} is not a date (2025-03-03) or a "
                f"range (2025-03-03..2025-03-07)"
            ) from None
        if end < start:
            raise InputError(f"officer {officer_id}: range {part!r} ends before it starts")
        days.update(start + timedelta(days=k) for k in range((end - start).days + 1))
    return frozenset(days)


def _flag(officer_id: str, text: str | None) -> bool:
    value = (text or "true").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InputError(f"officer {officer_id}: nights {text!r} must be true or false")


def read_shift_starts(path: Path) -> pl.DataFrame:
    """A shift plan's starts written by `zonal plan run --out` (unique_id, shift, start, ...).

    Raises:
        FileFormatError: unreadable file.
        InputError: missing columns or start times without a UTC offset.
    """
    frame = _load(path)
    missing = [
        c for c in ("unique_id", "shift", "start", "hours", "teams") if c not in frame.columns
    ]
    if missing:
        raise InputError(f"{path} lacks {missing}; give the shifts.csv of `zonal plan run --out`")
    start = frame["start"]
    if start.dtype == pl.String:
        try:
            start = start.str.to_datetime(time_unit="us", time_zone="UTC")
        except pl.exceptions.PolarsError as exc:
            raise InputError(f"{path}: start times need a UTC offset: {exc}") from exc
    return frame.with_columns(start.alias("start"), pl.col("unique_id").cast(pl.String))
