"""Bulk reads and writes of canonical incident frames: millions of rows, no ORM objects.

PostgreSQL: incidents travel as Arrow through ADBC (binary COPY in, Arrow tables out).
SQLite: the DB-API of Python's own `sqlite3`, the library SQLAlchemy uses too. ADBC's
SQLite driver is deliberately not used: it bundles a second copy of SQLite, and two copies
in one process on one file lose each other's locks and can corrupt it (SQLite's "How To
Corrupt", section 2.2.1; we saw stale reads). On SQLite, times are text in the format
SQLAlchemy's DateTime uses, so ORM reads of the same rows agree. SQLAlchemy owns the schema
(migrations) and every other query.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import adbc_driver_postgresql.dbapi as adbc_postgresql
import polars as pl
from sqlalchemy import Engine, func, select

from zonal.errors import ConfigurationError, InputError
from zonal.incidents.schema import INCIDENT_SCHEMA, UTC_TIME, conform
from zonal.storage.tables import IncidentRow

_COLUMNS: tuple[str, ...] = tuple(INCIDENT_SCHEMA)
_TIME_COLUMNS = [name for name, dtype in INCIDENT_SCHEMA.items() if dtype == UTC_TIME]
_SMALL_INTS = ["cluster", "priority"]  # SMALLINT columns: Arrow int16 for binary COPY
_SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S%.6f"
_CHUNK = 200_000


def write_incidents(
    engine: Engine,
    frame: pl.DataFrame,
    import_run: int | None = None,
    *,
    replace_dataset: str | None = None,
) -> int:
    """Append `frame` (canonical incidents) to the store in one transaction.

    Args:
        import_run: the import run the rows came from, recorded on each row.
        replace_dataset: delete this dataset's incidents in the same transaction first, so
            a failed write leaves the old rows in place.

    Returns:
        The number of rows written.
    """
    stored = conform(frame).with_columns(
        pl.col(_SMALL_INTS).cast(pl.Int16), pl.lit(import_run, dtype=pl.Int32).alias("import_run")
    )
    if engine.dialect.name == "sqlite":
        _write_sqlite(engine, stored, replace_dataset)
    else:
        _write_postgresql(engine, stored, replace_dataset)
    return frame.height


def _write_sqlite(engine: Engine, frame: pl.DataFrame, replace_dataset: str | None) -> None:
    # Columns that are null throughout are left to their NULL default: fewer values to bind.
    names = [name for name in frame.columns if frame[name].null_count() < frame.height]
    text = frame.select(names).with_columns(
        pl.col(name).dt.strftime(_SQLITE_TIME_FORMAT) for name in names if name in _TIME_COLUMNS
    )
    insert = f"INSERT INTO incidents ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if replace_dataset is not None:
            cursor.execute("DELETE FROM incidents WHERE dataset = ?", (replace_dataset,))
        for chunk in text.iter_slices(_CHUNK):
            cursor.executemany(insert, chunk.rows())
        cursor.close()
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.close()


def _write_postgresql(engine: Engine, frame: pl.DataFrame, replace_dataset: str | None) -> None:
    with _adbc_postgresql(engine) as connection:
        cursor = connection.cursor()
        if replace_dataset is not None:
            cursor.execute("DELETE FROM incidents WHERE dataset = $1", (replace_dataset,))
        cursor.adbc_ingest("incidents", frame.to_arrow(), mode="append")
        cursor.close()
        connection.commit()


def read_incidents(
    engine: Engine,
    *,
    datasets: Sequence[str] | None = None,
    zones: Sequence[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pl.DataFrame:
    """Stored incidents as a canonical frame, filtered in the database, oldest first.

    Args:
        datasets: keep these datasets only (all when None).
        zones: keep these zones only.
        start: keep incidents that occurred at or after this aware instant.
        end: keep incidents that occurred before this aware instant.
    """
    sqlite = engine.dialect.name == "sqlite"
    where, params = _filters(sqlite, datasets, zones, start, end)
    query = f"SELECT {', '.join(_COLUMNS)} FROM incidents{where} ORDER BY occurred_at"
    raw = _read_sqlite(engine, query, params) if sqlite else _read_postgresql(engine, query, params)
    return conform(_typed(raw, sqlite))


def _read_sqlite(engine: Engine, query: str, params: list[Any]) -> pl.DataFrame:
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        rows = cursor.execute(query, params).fetchall()
        cursor.close()
    finally:
        connection.close()
    schema = {
        name: pl.String() if name in _TIME_COLUMNS else dtype
        for name, dtype in INCIDENT_SCHEMA.items()
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _read_postgresql(engine: Engine, query: str, params: list[Any]) -> pl.DataFrame:
    with _adbc_postgresql(engine) as connection:
        cursor = connection.cursor()
        cursor.execute(query, tuple(params))
        table = cursor.fetch_arrow_table()
        cursor.close()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _filters(
    sqlite: bool,
    datasets: Sequence[str] | None,
    zones: Sequence[str] | None,
    start: datetime | None,
    end: datetime | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def placeholder(value: Any) -> str:
        params.append(value)
        return "?" if sqlite else f"${len(params)}"

    for column, values in (("dataset", datasets), ("zone", zones)):
        if values is not None:
            marks = ", ".join(placeholder(value) for value in values) or "NULL"
            clauses.append(f"{column} IN ({marks})")
    for operator, moment in ((">=", start), ("<", end)):
        if moment is not None:
            mark = placeholder(_as_text(moment, sqlite))
            clauses.append(
                f"occurred_at {operator} {mark if sqlite else f'CAST({mark} AS timestamptz)'}"
            )
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _as_text(moment: datetime, sqlite: bool) -> str:
    if moment.tzinfo is None:
        raise InputError(f"naive datetime {moment!r}: give a timezone-aware instant")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else utc.isoformat()


def _typed(raw: pl.DataFrame, sqlite: bool) -> pl.DataFrame:
    """Driver output to canonical types (SQLite gives text times)."""
    if sqlite:
        times = pl.col(_TIME_COLUMNS).str.strptime(UTC_TIME, _SQLITE_TIME_FORMAT, strict=True)
    else:
        times = pl.col(_TIME_COLUMNS).cast(UTC_TIME)
    others = [pl.col(n).cast(t) for n, t in INCIDENT_SCHEMA.items() if n not in _TIME_COLUMNS]
    return raw.with_columns(times, *others)


@contextmanager
def _adbc_postgresql(engine: Engine) -> Iterator[Any]:
    """An ADBC connection to the engine's PostgreSQL database; rolled back unless committed."""
    if engine.dialect.name != "postgresql":
        raise ConfigurationError(f"ADBC bulk I/O is for PostgreSQL, not {engine.dialect.name}")
    uri = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = adbc_postgresql.connect(uri)
    try:
        yield connection
    finally:
        connection.close()


def dataset_counts(engine: Engine) -> dict[str, int]:
    """How many incidents each stored dataset holds."""
    query = select(IncidentRow.dataset, func.count()).group_by(IncidentRow.dataset)
    with engine.connect() as connection:
        return {str(name): int(count) for name, count in connection.execute(query).all()}


def counts_by_zone_and_cluster(engine: Engine, dataset: str) -> pl.DataFrame:
    """Incidents of `dataset` per zone and security cluster, aggregated in the database."""
    query = (
        select(IncidentRow.zone, IncidentRow.cluster, func.count().label("incidents"))
        .where(IncidentRow.dataset == dataset)
        .group_by(IncidentRow.zone, IncidentRow.cluster)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return pl.DataFrame(
        [tuple(row) for row in rows],
        schema={"zone": pl.String, "cluster": pl.Int8, "incidents": pl.Int64},
        orient="row",
    )
