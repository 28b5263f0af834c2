"""The store on SQLite and PostgreSQL: migrations; and the contract every unit of work keeps
(SQLite, PostgreSQL and the in-memory fake): incident round trips, import runs, the registry,
nothing kept without commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from tests.factories import incident_frame
from zonal.errors import InputError
from zonal.geo import default_registry
from zonal.incidents.import_runs import ImportRunCreate
from zonal.incidents.schema import INCIDENT_SCHEMA
from zonal.services.ports import StoreUnitOfWork
from zonal.storage import current_revision, head_revision, upgrade
from zonal.storage.migrate import downgrade
from zonal.storage.tables import Base

T0 = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)  # the night Brussels moves to summer time


def incidents(n: int = 5, dataset: str = "test") -> pl.DataFrame:
    return incident_frame(
        [T0 + timedelta(minutes=37 * i) for i in range(n)],
        incident_id=[f"id-{i}" for i in range(n)],
        dataset=dataset,
        zone=["5339", "5340", None, "5339", "5341"][:n],
        lat=[50.84, None, 50.83, 50.85, 50.82][:n],
        lon=[4.35, None, 4.37, 4.36, 4.31][:n],
        offence_type=["phishing", "assault", "unclassified", "drugs", "nuisance"][:n],
        cluster=[5, 6, None, 3, 10][:n],
        source_category=["Phishing é", "coups", None, "drugs", "tapage"][:n],
        priority=[3, 1, None, 2, 4][:n],
        origin=["online_complaint", "citizen_call", "unknown", "officer_initiated", "citizen_call"][
            :n
        ],
        dispatched_at=[None, T0 + timedelta(minutes=40), None, None, None][:n],
        arrived_at=[None, T0 + timedelta(minutes=49, microseconds=5), None, None, None][:n],
    )


def test_migrations_create_exactly_the_models(store: Engine) -> None:
    with store.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert current_revision(store) == head_revision(store)


def test_downgrade_removes_every_table(store: Engine) -> None:
    downgrade(store, "base")
    assert set(inspect(store).get_table_names()) <= {"alembic_version"}
    upgrade(store)
    assert {"incidents", "zones", "municipalities", "import_runs"} <= set(
        inspect(store).get_table_names()
    )


def write(uow: StoreUnitOfWork, frame: pl.DataFrame, **options: Any) -> int:
    """Write `frame` in a transaction of its own, committed."""
    with uow:
        written = uow.incidents.write(frame, **options)
        uow.commit()
    return written


def read(uow: StoreUnitOfWork, **filters: Any) -> pl.DataFrame:
    with uow:
        return uow.incidents.read(**filters)


def counts(uow: StoreUnitOfWork) -> dict[str, int]:
    with uow:
        return uow.incidents.dataset_counts()


def import_run(dataset: str, time_zone: str, started: datetime = T0) -> ImportRunCreate:
    return ImportRunCreate(
        dataset=dataset,
        source="calls.csv",
        preset=None,
        time_zone=time_zone,
        started_at=started,
        rows_read=5,
        rows_imported=5,
        rows_rejected=0,
    )


def test_incidents_round_trip_exactly(uow: StoreUnitOfWork) -> None:
    frame = incidents()
    assert write(uow, frame, import_run=None) == 5
    back = read(uow, datasets=["test"])
    assert back.schema == pl.Schema(INCIDENT_SCHEMA)
    assert back.equals(frame.sort("occurred_at"))


def test_read_filters_in_the_database(uow: StoreUnitOfWork) -> None:
    write(uow, incidents())
    write(uow, incidents(3, dataset="other"))
    assert counts(uow) == {"test": 5, "other": 3}
    only_5339 = read(uow, datasets=["test"], zones=["5339"])
    assert only_5339["incident_id"].to_list() == ["id-0", "id-3"]
    window = read(uow, start=T0 + timedelta(minutes=30), end=T0 + timedelta(hours=1))
    assert sorted(window["incident_id"].to_list()) == ["id-1", "id-1"]


def test_counts_per_zone_and_cluster(uow: StoreUnitOfWork) -> None:
    write(uow, incidents())
    with uow:
        found = uow.incidents.counts_by_zone_and_cluster("test").sort("zone", nulls_last=True)
    assert found.schema == pl.Schema({"zone": pl.String, "cluster": pl.Int8, "incidents": pl.Int64})
    assert found.filter(pl.col("zone") == "5339")["incidents"].sum() == 2
    assert found["incidents"].sum() == 5
    assert found.filter(pl.col("zone").is_null()).rows() == [(None, None, 1)]


def test_duplicate_ids_in_one_dataset_are_refused_and_nothing_is_written(
    uow: StoreUnitOfWork,
) -> None:
    write(uow, incidents())
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        write(uow, incidents(2))
    assert counts(uow) == {"test": 5}


def test_a_failed_replacement_keeps_the_old_rows(uow: StoreUnitOfWork) -> None:
    write(uow, incidents())
    broken = pl.concat([incidents(2), incidents(2)])  # the same ids twice
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        write(uow, broken, replace_dataset="test")
    assert counts(uow) == {"test": 5}
    write(uow, incidents(3), replace_dataset="test")
    assert counts(uow) == {"test": 3}


def test_empty_filters_and_naive_bounds(uow: StoreUnitOfWork) -> None:
    write(uow, incidents())
    assert read(uow, zones=[]).height == 0
    assert read(uow, datasets=["nope"]).height == 0
    with pytest.raises(InputError, match="timezone-aware"):
        read(uow, start=datetime(2025, 1, 1))


def test_replacing_a_dataset_touches_only_that_dataset(uow: StoreUnitOfWork) -> None:
    write(uow, incidents())
    write(uow, incidents(2, dataset="keep"))
    write(uow, incidents(3), replace_dataset="test")
    assert counts(uow) == {"test": 3, "keep": 2}


def test_naive_times_are_refused(uow: StoreUnitOfWork) -> None:
    frame = incidents().with_columns(pl.col("occurred_at").dt.replace_time_zone(None))
    with pytest.raises(InputError, match="timezone-aware"):
        write(uow, frame)


def test_registry_round_trips_through_the_store(uow: StoreUnitOfWork) -> None:
    with uow:
        assert uow.registry.get() is None
        uow.registry.save(default_registry())
        uow.commit()
    with uow:
        stored = uow.registry.get()
        assert stored == default_registry()
        uow.registry.save(stored)  # over the rows this transaction has just read
        uow.commit()
    with uow:
        assert uow.registry.get() == default_registry()


def test_a_dataset_keeps_the_time_zone_of_its_latest_import(uow: StoreUnitOfWork) -> None:
    with uow:
        first = uow.imports.record(import_run("calls", "America/Chicago"))
        later = import_run("calls", "America/New_York", T0 + timedelta(days=1))
        uow.imports.record(later)
        uow.imports.record(import_run("other", "Europe/Brussels", T0 + timedelta(days=2)))
        uow.commit()
    with uow:
        uow.imports.finish(first, Path("rejects.csv"))
        uow.commit()
    with uow:
        assert uow.imports.recorded_time_zone("calls") == "America/New_York"
        assert uow.imports.recorded_time_zone("nope") is None


def test_incidents_refer_to_their_committed_import_run(uow: StoreUnitOfWork) -> None:
    with uow:
        run_id = uow.imports.record(import_run("test", "Europe/Brussels"))
        uow.commit()
    assert write(uow, incidents(), import_run=run_id) == 5
    assert counts(uow) == {"test": 5}


def test_nothing_is_kept_without_commit(uow: StoreUnitOfWork) -> None:
    write(uow, incidents(2, dataset="kept"))
    with uow:
        uow.incidents.write(incidents(), replace_dataset="kept")
        uow.imports.record(import_run("test", "Europe/Brussels"))
        uow.registry.save(default_registry())
    with uow:
        assert uow.incidents.dataset_counts() == {"kept": 2}
        assert uow.imports.recorded_time_zone("test") is None
        assert uow.registry.get() is None


def test_a_rollback_undoes_what_was_not_committed_yet(uow: StoreUnitOfWork) -> None:
    with uow:
        uow.registry.save(default_registry())
        uow.commit()
        uow.incidents.write(incidents())
        uow.rollback()
        assert uow.incidents.dataset_counts() == {}
        assert uow.registry.get() == default_registry()


def test_a_unit_of_work_is_entered_once_at_a_time(uow: StoreUnitOfWork) -> None:
    with uow:
        assert uow.ping() in {"sqlite", "postgresql", "memory"}
        with pytest.raises(RuntimeError, match="open already"), uow:
            pass  # pragma: no cover
    with uow:  # and again once left
        assert uow.incidents.dataset_counts() == {}
