"""The store on SQLite and PostgreSQL: migrations, incident round trips, the registry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from tests.factories import incident_frame
from zonal.errors import InputError
from zonal.geo import default_registry
from zonal.incidents.schema import INCIDENT_SCHEMA
from zonal.storage import (
    counts_by_zone_and_cluster,
    current_revision,
    dataset_counts,
    head_revision,
    load_stored_registry,
    read_incidents,
    save_registry,
    upgrade,
    write_incidents,
)
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


def test_incidents_round_trip_exactly(store: Engine) -> None:
    frame = incidents()
    assert write_incidents(store, frame, import_run=None) == 5
    back = read_incidents(store, datasets=["test"])
    assert back.schema == pl.Schema(INCIDENT_SCHEMA)
    assert back.equals(frame.sort("occurred_at"))


def test_read_filters_in_the_database(store: Engine) -> None:
    write_incidents(store, incidents())
    write_incidents(store, incidents(3, dataset="other"))
    assert dataset_counts(store) == {"test": 5, "other": 3}
    only_5339 = read_incidents(store, datasets=["test"], zones=["5339"])
    assert only_5339["incident_id"].to_list() == ["id-0", "id-3"]
    window = read_incidents(store, start=T0 + timedelta(minutes=30), end=T0 + timedelta(hours=1))
    assert sorted(window["incident_id"].to_list()) == ["id-1", "id-1"]


def test_counts_per_zone_and_cluster(store: Engine) -> None:
    write_incidents(store, incidents())
    counts = counts_by_zone_and_cluster(store, "test").sort("zone", nulls_last=True)
    assert counts.filter(pl.col("zone") == "5339")["incidents"].sum() == 2
    assert counts["incidents"].sum() == 5


def test_duplicate_ids_in_one_dataset_are_refused_and_nothing_is_written(store: Engine) -> None:
    write_incidents(store, incidents())
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        write_incidents(store, incidents(2))
    assert dataset_counts(store) == {"test": 5}


def test_a_failed_replacement_keeps_the_old_rows(store: Engine) -> None:
    write_incidents(store, incidents())
    broken = pl.concat([incidents(2), incidents(2)])  # the same ids twice
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        write_incidents(store, broken, replace_dataset="test")
    assert dataset_counts(store) == {"test": 5}
    write_incidents(store, incidents(3), replace_dataset="test")
    assert dataset_counts(store) == {"test": 3}


def test_empty_filters_and_naive_bounds(store: Engine) -> None:
    write_incidents(store, incidents())
    assert read_incidents(store, zones=[]).height == 0
    assert read_incidents(store, datasets=["nope"]).height == 0
    with pytest.raises(InputError, match="timezone-aware"):
        read_incidents(store, start=datetime(2025, 1, 1))


def test_replacing_a_dataset_touches_only_that_dataset(store: Engine) -> None:
    write_incidents(store, incidents())
    write_incidents(store, incidents(2, dataset="keep"))
    write_incidents(store, incidents(3), replace_dataset="test")
    assert dataset_counts(store) == {"test": 3, "keep": 2}


def test_naive_times_are_refused(store: Engine) -> None:
    frame = incidents().with_columns(pl.col("occurred_at").dt.replace_time_zone(None))
    with pytest.raises(InputError, match="timezone-aware"):
        write_incidents(store, frame)


def test_registry_round_trips_through_the_store(store: Engine) -> None:
    assert load_stored_registry(store) is None
    save_registry(store, default_registry())
    assert load_stored_registry(store) == default_registry()
