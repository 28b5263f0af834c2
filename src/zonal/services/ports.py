"""What the analytic use cases need from the store, as protocols: stored incidents, import
runs, the zone registry, forecast runs and computed plans behind one unit of work, and a
place to run work that must not block a request (`Jobs`). The SQL adapters
(zonal.storage.unit_of_work) and the in-memory fake (zonal.storage.memory) implement them.
Nothing here imports a database library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol, Self

import polars as pl

from zonal.forecasting.runs import ForecastRunCreate, StoredForecastRun
from zonal.geo import ZoneRegistry
from zonal.incidents.import_runs import ImportRunCreate
from zonal.planning.snapshot import PlanKey, StoredPlan


class IncidentRepository(Protocol):
    """Canonical incident frames (zonal.incidents.schema), read and written in bulk."""

    def read(
        self,
        *,
        datasets: Sequence[str] | None = None,
        zones: Sequence[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> pl.DataFrame:
        """Incidents oldest first; all datasets and zones when None; `start` (inclusive) and
        `end` (exclusive) are aware instants (InputError for naive ones)."""
        ...

    def dataset_counts(self) -> dict[str, int]:
        """How many incidents each stored dataset holds."""
        ...

    def counts_by_zone_and_cluster(self, dataset: str) -> pl.DataFrame:
        """zone, cluster, incidents: the dataset's incidents per zone and security cluster."""
        ...

    def write(
        self,
        frame: pl.DataFrame,
        import_run: int | None = None,
        *,
        replace_dataset: str | None = None,
    ) -> int:
        """Append `frame`; first delete `replace_dataset`'s incidents when given (the old rows
        stay until commit). `import_run` must be committed already: on PostgreSQL incidents
        travel on a bulk connection of their own. Returns the number of rows written."""
        ...


class ImportRunRepository(Protocol):
    def record(self, run: ImportRunCreate) -> int:
        """Record the run; its id, which the incidents it brings refer to."""
        ...

    def finish(self, run_id: int, rejects_path: Path | None) -> None:
        """Mark the run finished now, with the CSV its rejects went to (if any)."""
        ...

    def recorded_time_zone(self, dataset: str) -> str | None:
        """The time zone of the dataset's latest import run; None for an unknown dataset."""
        ...

    def latest_id(self, dataset: str) -> int | None:
        """The id of the dataset's latest import run (its incidents' version); None if none."""
        ...


class RegistryRepository(Protocol):
    def get(self) -> ZoneRegistry | None:
        """The stored registry, or None when the store holds no zones yet."""
        ...

    def save(self, registry: ZoneRegistry) -> None:
        """Replace the stored registry with `registry`."""
        ...


class ForecastRunRepository(Protocol):
    def add(self, run: ForecastRunCreate, forecast: pl.DataFrame) -> int:
        """Store `run` and its points (zonal.forecasting.runs.POINT_COLUMNS); the new id.
        InputError (and nothing stored) when the forecast lacks a column or a value."""
        ...

    def newest(
        self, dataset: str | None = None, *, limit: int | None = None
    ) -> list[StoredForecastRun]:
        """Stored runs, newest first; those of `dataset` only when given; `limit` at most."""
        ...

    def get(self, run_id: int) -> StoredForecastRun | None: ...

    def points(self, run_id: int, unique_ids: Sequence[str] | None = None) -> pl.DataFrame:
        """The run's points (of `unique_ids` only, when given), POINT_SCHEMA, by series and
        hour; empty for an unknown run."""
        ...

    def sums(self, run_id: int) -> pl.DataFrame:
        """unique_id, expected: each series' mean summed over the horizon, by unique_id."""
        ...


class PlanRepository(Protocol):
    """Computed plans (zonal.planning.snapshot), one per key, claimed before they are computed
    so that two workers never solve the same plan at once."""

    def get(self, key: PlanKey) -> StoredPlan | None: ...

    def claim(self, key: PlanKey, now: datetime, stale_before: datetime) -> bool:
        """Mark `key` as being computed by this caller; False when it is ready, or another
        caller claimed it at `stale_before` or later. A failed or stale claim is taken over."""
        ...

    def finish(self, key: PlanKey, content: bytes, now: datetime) -> None:
        """Keep the computed snapshot of a claimed key."""
        ...

    def fail(self, key: PlanKey, message: str, now: datetime) -> None:
        """Record why a claimed key could not be computed; the next claim takes it over."""
        ...


class Jobs(Protocol):
    """Where work that takes seconds runs: in the background for the web app, at once for the
    CLI. Work is named by a key; work already waiting or running under a key is not queued
    twice."""

    def submit(self, key: object, work: Callable[[], None]) -> None: ...


class StoreUnitOfWork(Protocol):
    """A transaction on the analytic store: entering opens it, leaving rolls back whatever was
    not committed. It may be entered again once left (a use case that fits a model between
    reading and writing holds no transaction open meanwhile), never twice at once."""

    # Read-only members, so that an adapter may hold narrower types.
    @property
    def incidents(self) -> IncidentRepository: ...
    @property
    def imports(self) -> ImportRunRepository: ...
    @property
    def registry(self) -> RegistryRepository: ...
    @property
    def forecasts(self) -> ForecastRunRepository: ...
    @property
    def plans(self) -> PlanRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...

    def ping(self) -> str:
        """Reach the store; the name of its backend (sqlite, postgresql, memory)."""
        ...
