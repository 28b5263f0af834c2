"""Bulk reads and writes of canonical incident frames: millions of rows, no ORM objects.

PostgreSQL: incidents travel as Arrow through ADBC (binary COPY in, Arrow tables out), on a
connection of the unit of work's own beside its session. SQLite: the DB-API of Python's own
`sqlite3` under the session, the library SQLAlchemy uses too. ADBC's SQLite driver is
deliberately not used: it bundles a second copy of SQLite, and two copies in one process on
one file lose each other's locks and can corrupt it (SQLite's "How To Corrupt", section
2.2.1; we saw stale reads). On SQLite, times are text in the format SQLAlchemy's DateTime
uses, so ORM reads of the same rows agree. SQLAlchemy owns the schema (migrations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import adbc_driver_postgresql.dbapi as adbc_postgresql
import polars as pl
from sqlalchemy import Engine

from zonal.errors import ConfigurationError, InputError
from zonal.incidents.schema import INCIDENT_SCHEMA, UTC_TIME, conform

_COLUMNS: tuple[str, ...] = tuple(INCIDENT_SCHEMA)
_TIME_COLUMNS = [name for name, dtype in INCIDENT_SCHEMA.items() if dtype == UTC_TIME]
_SMALL_INTS = ["cluster", "priority"]  # SMALLINT columns: Arrow int16 for binary COPY
_SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S%.6f"
_CHUNK = 200_000
_DATASET_COUNTS: dict[str, Any] = {"dataset": pl.String, "incidents": pl.Int64}
_ZONE_COUNTS: dict[str, Any] = {"zone": pl.String, "cluster": pl.Int8, "incidents": pl.Int64}


class SqlIncidentRepository:
    """Incidents through a DB-API connection of the unit of work.

    Args:
        connection: gives the connection, opened on first use: on SQLite the session's own,
            on PostgreSQL an ADBC connection (`adbc_connection`).
        dialect: "sqlite" or "postgresql".
    """

    def __init__(self, connection: Callable[[], Any], dialect: str) -> None:
        self._connection, self._sqlite = connection, dialect == "sqlite"

    def write(
        self,
        frame: pl.DataFrame,
        import_run: int | None = None,
        *,
        replace_dataset: str | None = None,
    ) -> int:
        stored = conform(frame).with_columns(
            pl.col(_SMALL_INTS).cast(pl.Int16),
            pl.lit(import_run, dtype=pl.Int32).alias("import_run"),
        )
        with self._cursor() as cursor:
            if replace_dataset is not None:
                delete = f"DELETE FROM incidents WHERE dataset = {'?' if self._sqlite else '$1'}"
                cursor.execute(delete, (replace_dataset,))
            if self._sqlite:
                _insert_sqlite(cursor, stored)
            else:
                cursor.adbc_ingest("incidents", stored.to_arrow(), mode="append")
        return frame.height

    def read(
        self,
        *,
        datasets: Sequence[str] | None = None,
        zones: Sequence[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> pl.DataFrame:
        where, params = _filters(self._sqlite, datasets, zones, start, end)
        query = f"SELECT {', '.join(_COLUMNS)} FROM incidents{where} ORDER BY occurred_at"
        schema = {
            name: pl.String() if self._sqlite and name in _TIME_COLUMNS else dtype
            for name, dtype in INCIDENT_SCHEMA.items()
        }
        return conform(_typed(self._fetch(query, params, schema), self._sqlite))

    def dataset_counts(self) -> dict[str, int]:
        query = "SELECT dataset, COUNT(*) FROM incidents GROUP BY dataset"
        counts = self._fetch(query, [], _DATASET_COUNTS)
        return {str(name): int(count) for name, count in counts.iter_rows()}

    def counts_by_zone_and_cluster(self, dataset: str) -> pl.DataFrame:
        where, params = _filters(self._sqlite, [dataset], None, None, None)
        query = f"SELECT zone, cluster, COUNT(*) FROM incidents{where} GROUP BY zone, cluster"
        return self._fetch(query, params, _ZONE_COUNTS)

    def _fetch(self, query: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
        """Rows as a frame of `schema` (names by position): plain tuples from sqlite3, an Arrow
        table from ADBC."""
        with self._cursor() as cursor:
            cursor.execute(query, params if self._sqlite else tuple(params))
            if self._sqlite:
                return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
            table = cursor.fetch_arrow_table()
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame.rename(dict(zip(frame.columns, schema, strict=True))).cast(pl.Schema(schema))

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        cursor = self._connection().cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def _insert_sqlite(cursor: Any, frame: pl.DataFrame) -> None:
    # Columns that are null throughout are left to their NULL default: fewer values to bind.
    names = [name for name in frame.columns if frame[name].null_count() < frame.height]
    text = frame.select(names).with_columns(
        pl.col(name).dt.strftime(_SQLITE_TIME_FORMAT) for name in names if name in _TIME_COLUMNS
    )
    insert = f"INSERT INTO incidents ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    for chunk in text.iter_slices(_CHUNK):
        cursor.executemany(insert, chunk.rows())


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


def utc_bound(moment: datetime) -> datetime:
    """A time bound of a read, in UTC.

    Raises:
        InputError: `moment` is naive.
    """
    if moment.tzinfo is None:
        raise InputError(f"naive datetime {moment!r}: give a timezone-aware instant")
    return moment.astimezone(UTC)


def _as_text(moment: datetime, sqlite: bool) -> str:
    utc = utc_bound(moment)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else utc.isoformat()


def _typed(raw: pl.DataFrame, sqlite: bool) -> pl.DataFrame:
    """Driver output to canonical types (SQLite gives text times)."""
    if sqlite:
        times = pl.col(_TIME_COLUMNS).str.strptime(UTC_TIME, _SQLITE_TIME_FORMAT, strict=True)
    else:
        times = pl.col(_TIME_COLUMNS).cast(UTC_TIME)
    others = [pl.col(n).cast(t) for n, t in INCIDENT_SCHEMA.items() if n not in _TIME_COLUMNS]
    return raw.with_columns(times, *others)


def adbc_connection(engine: Engine) -> Any:
    """A new ADBC connection to the engine's PostgreSQL database, in a transaction.

    Raises:
        ConfigurationError: the engine is not on PostgreSQL.
    """
    if engine.dialect.name != "postgresql":
        raise ConfigurationError(f"ADBC bulk I/O is for PostgreSQL, not {engine.dialect.name}")
    uri = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return adbc_postgresql.connect(uri)
