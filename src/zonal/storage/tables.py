"""What persists, as SQLAlchemy 2 declarative models; migrations/ creates exactly these.

Incidents are written and read in bulk through `zonal.storage.incidents` (Arrow/Polars),
forecast points through `zonal.storage.forecasts`; the ORM classes serve the registry,
import runs, forecast runs and case work.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(sqltypes.TypeDecorator[datetime]):
    """A timezone-aware instant, stored in UTC on every backend and read back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Zonal stores only aware instants")
        return (
            value.astimezone(UTC)
            if dialect.name != "sqlite"
            else value.astimezone(UTC).replace(tzinfo=None)
        )

    def process_result_value(self, value: datetime | None, _dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class ZoneRow(Base):
    __tablename__ = "zones"

    number: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    parent: Mapped[str] = mapped_column(String(40))
    geometry: Mapped[dict[str, Any] | None]


class MunicipalityRow(Base):
    __tablename__ = "municipalities"

    nis: Mapped[str] = mapped_column(String(5), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str | None] = mapped_column(String(200))
    zone: Mapped[str] = mapped_column(ForeignKey("zones.number", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the zone, as loaded
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    area_km2: Mapped[float | None] = mapped_column(Float)


class SectorRow(Base):
    __tablename__ = "sectors"

    zone: Mapped[str] = mapped_column(
        ForeignKey("zones.number", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    geometry: Mapped[dict[str, Any] | None]


class ImportRunRow(Base):
    """One run of an importer: what was read, kept, rejected and why."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(String(1000))
    preset: Mapped[str | None] = mapped_column(String(40))
    time_zone: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rejects_path: Mapped[str | None] = mapped_column(String(1000))


class IncidentRow(Base):
    """The canonical incident schema of zonal.incidents.schema, one row per incident."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_run: Mapped[int | None] = mapped_column(
        ForeignKey("import_runs.id", ondelete="SET NULL")
    )
    incident_id: Mapped[str] = mapped_column(String(100))
    dataset: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[datetime]
    time_resolution: Mapped[str | None] = mapped_column(String(10))
    reported_at: Mapped[datetime | None]
    zone: Mapped[str | None] = mapped_column(String(40))
    sector: Mapped[str | None] = mapped_column(String(40))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    offence_type: Mapped[str | None] = mapped_column(String(60))
    cluster: Mapped[int | None] = mapped_column(SmallInteger)
    source_category: Mapped[str | None] = mapped_column(String(200))
    priority: Mapped[int | None] = mapped_column(SmallInteger)
    origin: Mapped[str] = mapped_column(String(30))
    queued_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    en_route_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    cleared_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    __table_args__ = (
        Index("uq_incidents_dataset_id", "dataset", "incident_id", unique=True),
        Index("ix_incidents_dataset_time", "dataset", "occurred_at"),
        Index("ix_incidents_zone_time", "zone", "occurred_at"),
    )


class ForecastRunRow(Base):
    """One stored forecast of a dataset: how it was made and how its model scored last week."""

    __tablename__ = "forecast_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime]
    model: Mapped[str] = mapped_column(String(40))
    fallback: Mapped[str | None] = mapped_column(String(40))  # used instead: history too short
    level: Mapped[str] = mapped_column(String(10))
    by_cluster: Mapped[bool] = mapped_column(Boolean)
    demand: Mapped[str] = mapped_column(String(10))
    reconciliation: Mapped[str | None] = mapped_column(String(20))
    horizon_hours: Mapped[int] = mapped_column(Integer)
    origin: Mapped[datetime]  # first forecast hour
    time_zone: Mapped[str] = mapped_column(String(64))
    series: Mapped[int] = mapped_column(Integer)
    backtest_origin: Mapped[datetime | None]
    accuracy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    drivers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # feature group: share


class ForecastPointRow(Base):
    """One hour of one series of a stored forecast: the mean and its quantiles."""

    __tablename__ = "forecast_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_runs.id", ondelete="CASCADE"))
    unique_id: Mapped[str] = mapped_column(String(200))
    ds: Mapped[datetime]
    mean: Mapped[float] = mapped_column(Float)
    q_025: Mapped[float] = mapped_column(Float)
    q_05: Mapped[float] = mapped_column(Float)
    q_10: Mapped[float] = mapped_column(Float)
    q_20: Mapped[float] = mapped_column(Float)
    q_50: Mapped[float] = mapped_column(Float)
    q_80: Mapped[float] = mapped_column(Float)
    q_90: Mapped[float] = mapped_column(Float)
    q_95: Mapped[float] = mapped_column(Float)
    q_975: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_forecast_points_run_series", "run_id", "unique_id", "ds"),)


class PlanSnapshotRow(Base):
    """A plan computed from a stored forecast run (zonal.planning.snapshot), or the claim of
    the worker computing it; one row per key."""

    __tablename__ = "plan_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_runs.id", ondelete="CASCADE"))
    staff_to: Mapped[str] = mapped_column(String(16))
    zone: Mapped[str] = mapped_column(String(64))  # "" for the overview of every zone
    incidents: Mapped[int] = mapped_column(Integer)  # newest import run of the dataset
    settings: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    message: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint(
            "run_id", "staff_to", "zone", "incidents", "settings", name="uq_plan_snapshots_key"
        ),
    )
