"""Bulk reads and writes of canonical incident frames: millions of rows, no ORM objects.

SQLite takes a DB-API `executemany` of plain tuples; PostgreSQL takes `COPY ... FROM STDIN`.
Reads go straight into Polars. Both keep times in UTC (the SQLite text format is the one
SQLAlchemy's DateTime uses, so ORM reads of the same rows agree).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Engine, String, delete, func, select, type_coerce
from sqlalchemy.engine import Connection

from zonal.incidents.schema import INCIDENT_SCHEMA, UTC_TIME, conform
from zonal.storage.tables import IncidentRow

_COLUMNS: tuple[str, ...] = tuple(INCIDENT_SCHEMA)
_TIME_COLUMNS = [name for name, dtype in INCIDENT_SCHEMA.items() if dtype == UTC_TIME]
_SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S%.6f"
_CHUNK = 100_000


def write_incidents(engine: Engine, frame: pl.DataFrame, import_run: int | None = None) -> int:
    """Append `frame` (canonical incidents) to the store in one transaction.

    Returns:
        The number of rows written.
    """
    frame = conform(frame)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            _copy_postgres(connection, frame, import_run)
        else:
            _executemany(connection, frame, import_run)
    return frame.height


def _executemany(connection: Connection, frame: pl.DataFrame, import_run: int | None) -> None:
    as_text = frame.with_columns(pl.col(_TIME_COLUMNS).dt.strftime(_SQLITE_TIME_FORMAT))
    as_text = as_text.with_columns(pl.lit(import_run, dtype=pl.Int64).alias("import_run"))
    names = [*_COLUMNS, "import_run"]
    statement = f"INSERT INTO incidents ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    cursor = connection.connection.cursor()
    for chunk in as_text.select(names).iter_slices(_CHUNK):
        cursor.executemany(statement, chunk.rows())
    cursor.close()


def _copy_postgres(connection: Connection, frame: pl.DataFrame, import_run: int | None) -> None:
    with_run = frame.with_columns(pl.lit(import_run, dtype=pl.Int64).alias("import_run"))
    names = [*_COLUMNS, "import_run"]
    statement = f"COPY incidents ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    cursor = connection.connection.cursor()
    with cursor.copy(statement) as copy:
        for chunk in with_run.select(names).iter_slices(_CHUNK):
            buffer = io.BytesIO()
            chunk.write_csv(buffer, include_header=False, null_value="\\N")
            copy.write(buffer.getvalue())
    cursor.close()


def read_incidents(
    engine: Engine,
    *,
    datasets: Sequence[str] | None = None,
    zones: Sequence[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pl.DataFrame:
    """Stored incidents as a canonical frame, filtered in the database.

    Args:
        datasets: keep these datasets only (all when None).
        zones: keep these zones only.
        start: keep incidents that occurred at or after this aware instant.
        end: keep incidents that occurred before this aware instant.
    """
    table = IncidentRow.__table__
    query = select(*(_as_text(table.c[name], engine) for name in _COLUMNS))
    if datasets is not None:
        query = query.where(table.c.dataset.in_(list(datasets)))
    if zones is not None:
        query = query.where(table.c.zone.in_(list(zones)))
    if start is not None:
        query = query.where(table.c.occurred_at >= start)
    if end is not None:
        query = query.where(table.c.occurred_at < end)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(table.c.occurred_at)).all()
    raw = pl.DataFrame(
        [tuple(row) for row in rows],
        schema={name: _text_dtype(dtype) for name, dtype in INCIDENT_SCHEMA.items()},
        orient="row",
    )
    parsed = pl.col(_TIME_COLUMNS).str.strptime(UTC_TIME, _SQLITE_TIME_FORMAT, strict=True)
    return conform(raw.with_columns(parsed))


def _as_text(column: ColumnElement[Any], engine: Engine) -> ColumnElement[Any]:
    """Times leave the database as UTC text in one format, parsed in bulk by Polars."""
    if column.name not in _TIME_COLUMNS:
        return column
    if engine.dialect.name == "postgresql":
        utc = func.timezone("UTC", column)
        return func.to_char(utc, "YYYY-MM-DD HH24:MI:SS.US").label(column.name)
    return type_coerce(column, String).label(column.name)


def _text_dtype(dtype: pl.DataType) -> pl.DataType:
    return pl.String() if dtype == UTC_TIME else dtype


def delete_dataset(engine: Engine, dataset: str) -> int:
    """Remove every incident of `dataset`; returns how many were removed."""
    with engine.begin() as connection:
        result = connection.execute(delete(IncidentRow).where(IncidentRow.dataset == dataset))
    return result.rowcount


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
