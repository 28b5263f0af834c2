"""The analytic store in memory: the unit of work of zonal.services.ports over Polars frames
and dicts, for unit tests of the use cases without a database.

It keeps the SQL store's rules that a use case could trip over: nothing is kept without
`commit()`, incident ids are unique per dataset, incidents refer only to a committed import
run (as on PostgreSQL, where they travel on a connection of their own), and the same frames
come back, oldest or by series first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import polars as pl

from zonal.errors import InputError, NotFoundError
from zonal.forecasting.runs import (
    POINT_SCHEMA,
    ForecastRunCreate,
    StoredForecastRun,
    stored_points,
)
from zonal.geo import ZoneRegistry
from zonal.incidents.import_runs import ImportRunCreate
from zonal.incidents.schema import conform, empty_incidents
from zonal.planning.snapshot import PlanKey, PlanState, StoredPlan
from zonal.services.ports import StoreUnitOfWork
from zonal.storage.incidents import utc_bound


@dataclass(frozen=True)
class _ImportRun:
    run: ImportRunCreate
    finished_at: datetime | None = None
    rejects_path: Path | None = None


@dataclass
class _Tables:
    """The store's content; its values are immutable, so a shallow copy is a snapshot."""

    incidents: pl.DataFrame = field(default_factory=empty_incidents)
    import_runs: dict[int, _ImportRun] = field(default_factory=dict)
    registry: ZoneRegistry | None = None
    runs: dict[int, StoredForecastRun] = field(default_factory=dict)
    points: dict[int, pl.DataFrame] = field(default_factory=dict)
    plans: dict[PlanKey, StoredPlan] = field(default_factory=dict)

    def copy(self) -> _Tables:
        runs, points, plans = dict(self.runs), dict(self.points), dict(self.plans)
        return _Tables(self.incidents, dict(self.import_runs), self.registry, runs, points, plans)

    def restore(self, other: _Tables) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(other.copy(), name))


class InMemoryIncidents:
    def __init__(self, tables: _Tables, committed: Callable[[], _Tables]) -> None:
        self.tables, self.committed = tables, committed

    def write(
        self,
        frame: pl.DataFrame,
        import_run: int | None = None,
        *,
        replace_dataset: str | None = None,
    ) -> int:
        stored = conform(frame)
        if import_run is not None and import_run not in self.committed().import_runs:
            raise InputError(f"import run {import_run} is not committed: commit it first")
        kept = self.tables.incidents
        if replace_dataset is not None:
            kept = kept.filter(pl.col("dataset") != replace_dataset)
        merged = pl.concat([kept, stored])
        if merged.select(pl.struct("dataset", "incident_id").is_duplicated().any()).item():
            raise InputError("duplicate incident_id in a dataset: (dataset, incident_id) is unique")
        self.tables.incidents = merged
        return frame.height

    def read(
        self,
        *,
        datasets: Sequence[str] | None = None,
        zones: Sequence[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> pl.DataFrame:
        chosen = pl.lit(True)
        if datasets is not None:
            chosen &= pl.col("dataset").is_in(list(datasets))
        if zones is not None:
            chosen &= pl.col("zone").is_in(list(zones)).fill_null(False)
        if start is not None:
            chosen &= pl.col("occurred_at") >= utc_bound(start)
        if end is not None:
            chosen &= pl.col("occurred_at") < utc_bound(end)
        return self.tables.incidents.filter(chosen).sort("occurred_at", maintain_order=True)

    def dataset_counts(self) -> dict[str, int]:
        counts = self.tables.incidents.group_by("dataset").len()
        return {str(name): int(count) for name, count in counts.iter_rows()}

    def counts_by_zone_and_cluster(self, dataset: str) -> pl.DataFrame:
        rows = self.tables.incidents.filter(pl.col("dataset") == dataset)
        counts = rows.group_by("zone", "cluster").agg(pl.len().alias("incidents"))
        return counts.cast({"zone": pl.String, "cluster": pl.Int8, "incidents": pl.Int64})


class InMemoryImportRuns:
    def __init__(self, tables: _Tables) -> None:
        self.tables = tables

    def record(self, run: ImportRunCreate) -> int:
        run_id = max(self.tables.import_runs, default=0) + 1
        self.tables.import_runs[run_id] = _ImportRun(run, finished_at=run.finished_at)
        return run_id

    def finish(self, run_id: int, rejects_path: Path | None) -> None:
        found = self.tables.import_runs.get(run_id)
        if found is None:
            raise NotFoundError(f"import run {run_id} does not exist")
        finished = replace(found, finished_at=datetime.now(UTC), rejects_path=rejects_path)
        self.tables.import_runs[run_id] = finished

    def recorded_time_zone(self, dataset: str) -> str | None:
        runs = [(r.run.started_at, i, r.run) for i, r in self.tables.import_runs.items()]
        mine = [entry for entry in runs if entry[2].dataset == dataset]
        return max(mine, key=lambda entry: entry[:2])[2].time_zone if mine else None

    def latest_id(self, dataset: str) -> int | None:
        return max(
            (i for i, r in self.tables.import_runs.items() if r.run.dataset == dataset),
            default=None,
        )


class InMemoryRegistry:
    def __init__(self, tables: _Tables) -> None:
        self.tables = tables

    def get(self) -> ZoneRegistry | None:
        return self.tables.registry

    def save(self, registry: ZoneRegistry) -> None:
        self.tables.registry = registry


class InMemoryForecastRuns:
    def __init__(self, tables: _Tables) -> None:
        self.tables = tables

    def add(self, run: ForecastRunCreate, forecast: pl.DataFrame) -> int:
        points = stored_points(forecast).cast(pl.Schema(POINT_SCHEMA)).sort("unique_id", "ds")
        run_id = max(self.tables.runs, default=0) + 1
        described = {f.name: getattr(run, f.name) for f in fields(run)}
        described |= {"origin": _utc(run.origin), "backtest_origin": _utc(run.backtest_origin)}
        self.tables.runs[run_id] = StoredForecastRun(
            id=run_id,
            created_at=datetime.now(UTC),
            series=points["unique_id"].n_unique(),
            **described,
        )
        self.tables.points[run_id] = points
        return run_id

    def newest(
        self, dataset: str | None = None, *, limit: int | None = None
    ) -> list[StoredForecastRun]:
        runs = [r for r in self.tables.runs.values() if dataset in (None, r.dataset)]
        runs.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return runs[:limit]

    def get(self, run_id: int) -> StoredForecastRun | None:
        return self.tables.runs.get(run_id)

    def points(self, run_id: int, unique_ids: Sequence[str] | None = None) -> pl.DataFrame:
        points = self.tables.points.get(run_id, pl.DataFrame(schema=POINT_SCHEMA))
        if unique_ids is not None:
            points = points.filter(pl.col("unique_id").is_in(list(unique_ids)))
        return points

    def sums(self, run_id: int) -> pl.DataFrame:
        sums = self.points(run_id).group_by("unique_id").agg(pl.col("mean").sum().alias("expected"))
        return sums.sort("unique_id")


class InMemoryPlans:
    def __init__(self, tables: _Tables) -> None:
        self.tables = tables

    def get(self, key: PlanKey) -> StoredPlan | None:
        return self.tables.plans.get(key)

    def claim(self, key: PlanKey, now: datetime, stale_before: datetime) -> bool:
        found = self.tables.plans.get(key)
        taken_over = found is not None and (
            found.state is PlanState.FAILED
            or (found.state is PlanState.COMPUTING and found.started_at < stale_before)
        )
        if found is not None and not taken_over:
            return False
        self.tables.plans[key] = StoredPlan(key, PlanState.COMPUTING, now)
        return True

    def finish(self, key: PlanKey, content: bytes, now: datetime) -> None:
        self._set(key, state=PlanState.READY, content=content, finished_at=now)

    def fail(self, key: PlanKey, message: str, now: datetime) -> None:
        self._set(key, state=PlanState.FAILED, message=message, finished_at=now)

    def _set(self, key: PlanKey, **changes: object) -> None:
        found = self.tables.plans.get(key)
        if found is not None:  # as an UPDATE of a missing row, nothing happens
            self.tables.plans[key] = replace(found, **changes)  # type: ignore[arg-type]


class InMemoryStoreUnitOfWork:
    """The store and its unit of work in one: every `with` works on a copy of what was
    committed, and `commit()` makes the copy the store."""

    def __init__(self) -> None:
        self.committed = _Tables()
        self._work: _Tables | None = None

    def __enter__(self) -> Self:
        if self._work is not None:
            raise RuntimeError("this unit of work is open already: leave it before entering")
        self._work = work = self.committed.copy()
        self.incidents = InMemoryIncidents(work, lambda: self.committed)
        self.imports = InMemoryImportRuns(work)
        self.registry = InMemoryRegistry(work)
        self.forecasts = InMemoryForecastRuns(work)
        self.plans = InMemoryPlans(work)
        return self

    def __exit__(self, *args: object) -> None:
        self._work = None

    def commit(self) -> None:
        self.committed = self._open().copy()

    def rollback(self) -> None:
        self._open().restore(self.committed)

    def ping(self) -> str:
        self._open()
        return "memory"

    def _open(self) -> _Tables:
        if self._work is None:
            raise RuntimeError("enter the unit of work first: `with uow: ...`")
        return self._work


def _utc(moment: datetime | None) -> datetime | None:
    """An instant as the SQL store gives it back: in UTC; naive ones are refused there too."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: Zonal stores only aware instants")
    return moment.astimezone(UTC)


# mypy holds the fake to the protocol the use cases see
_: type[StoreUnitOfWork] = InMemoryStoreUnitOfWork
