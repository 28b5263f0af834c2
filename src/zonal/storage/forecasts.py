"""Stored forecasts: a run's description and its points (mean and quantiles per series and hour).

A forecast is stored so that the people who plan from it and the analysts who check it later
read the same numbers: the web pages read runs, they never refit a model per visit.
Points are written with executemany in the run's transaction: a failed write stores neither
the run nor part of its points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zonal.forecasting.runs import (
    POINT_COLUMNS,
    POINT_SCHEMA,
    ForecastRunCreate,
    StoredForecastRun,
    stored_points,
)
from zonal.storage.tables import ForecastPointRow, ForecastRunRow

# forecast column -> stored column (q-0.025 -> q_025 ...), for POINT_COLUMNS after the mean
_STORED: dict[str, str] = dict(
    zip(
        POINT_COLUMNS[3:],
        ("q_025", "q_05", "q_10", "q_20", "q_50", "q_80", "q_90", "q_95", "q_975"),
        strict=True,
    )
)
_CHUNK = 20_000


class SqlForecastRunRepository:
    """Forecast runs and their points in the session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, run: ForecastRunCreate, forecast: pl.DataFrame) -> int:
        points = stored_points(forecast).rename(_STORED)
        row = ForecastRunRow(
            **{f.name: getattr(run, f.name) for f in fields(run)},
            created_at=datetime.now(UTC),
            series=int(points["unique_id"].n_unique()),
        )
        self.session.add(row)
        self.session.flush()
        rows = points.with_columns(pl.lit(row.id).alias("run_id")).to_dicts()
        for first in range(0, len(rows), _CHUNK):
            self.session.execute(insert(ForecastPointRow), rows[first : first + _CHUNK])
        return row.id

    def newest(
        self, dataset: str | None = None, *, limit: int | None = None
    ) -> list[StoredForecastRun]:
        order = (ForecastRunRow.created_at.desc(), ForecastRunRow.id.desc())
        query = select(ForecastRunRow).order_by(*order).limit(limit)
        if dataset is not None:
            query = query.where(ForecastRunRow.dataset == dataset)
        return [_public(row) for row in self.session.scalars(query)]

    def get(self, run_id: int) -> StoredForecastRun | None:
        row = self.session.get(ForecastRunRow, run_id)
        return None if row is None else _public(row)

    def points(self, run_id: int, unique_ids: Sequence[str] | None = None) -> pl.DataFrame:
        table = ForecastPointRow
        columns = [table.unique_id, table.ds, table.mean]
        columns += [getattr(table, c) for c in _STORED.values()]
        query = select(*columns).where(table.run_id == run_id).order_by(table.unique_id, table.ds)
        if unique_ids is not None:
            query = query.where(table.unique_id.in_(list(unique_ids)))
        rows = self.session.execute(query).all()
        return pl.DataFrame([tuple(r) for r in rows], schema=POINT_SCHEMA, orient="row")

    def sums(self, run_id: int) -> pl.DataFrame:
        table = ForecastPointRow
        query = (
            select(table.unique_id, func.sum(table.mean))
            .where(table.run_id == run_id)
            .group_by(table.unique_id)
            .order_by(table.unique_id)
        )
        rows = self.session.execute(query).all()
        schema = {"unique_id": pl.String, "expected": pl.Float64}
        return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def _public(row: ForecastRunRow) -> StoredForecastRun:
    return StoredForecastRun(**{f.name: getattr(row, f.name) for f in fields(StoredForecastRun)})
