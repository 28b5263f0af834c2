"""Import, overview, registry and demo use cases on the in-memory store, no database; and the
rules of the fake that keep those tests honest (what the SQL store would refuse, it refuses)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from zonal.errors import InputError, NotFoundError
from zonal.geo import ZoneRegistry, default_registry
from zonal.incidents.demo import DEMO_DATASET, DemoSpec
from zonal.incidents.import_runs import ImportRunCreate
from zonal.incidents.schema import conform
from zonal.services.demo import build_demo
from zonal.services.forecasts import dataset_time_zone
from zonal.services.imports import ImportRequest, import_incidents
from zonal.services.overview import store_health, stored_datasets, zone_overview
from zonal.services.zones import registry_of, seed_default_registry, zone_detail
from zonal.storage.memory import InMemoryStoreUnitOfWork

T0 = datetime(2025, 3, 3, 8, tzinfo=UTC)
CALLS = """start,zone,type
2025-03-03 09:15,5339,phishing
2025-03-03 10:30,5339,assault
2025-03-04 11:10,5340,assault
2025-03-04 12:00,9999,assault
"""


def incidents(dataset: str, zones: list[str | None], clusters: list[int | None]) -> pl.DataFrame:
    return conform(
        pl.DataFrame(
            {
                "incident_id": [f"{dataset}-{i}" for i in range(len(zones))],
                "dataset": dataset,
                "occurred_at": [T0 + timedelta(hours=i) for i in range(len(zones))],
                "zone": zones,
                "cluster": pl.Series(clusters, dtype=pl.Int8),
                "origin": "citizen_call",
            }
        )
    )


def stored(uow: InMemoryStoreUnitOfWork, *frames: pl.DataFrame) -> InMemoryStoreUnitOfWork:
    for frame in frames:
        with uow:
            uow.incidents.write(frame)
            uow.commit()
    return uow


@pytest.fixture
def calls(tmp_path: Path) -> ImportRequest:
    path = tmp_path / "calls.csv"
    path.write_text(CALLS)
    return ImportRequest(
        path=path, mapping="time=start,zone=zone,category=type", time_zone="Europe/Brussels"
    )


def test_an_import_stores_what_it_kept_and_records_its_clock(
    calls: ImportRequest, tmp_path: Path
) -> None:
    uow = InMemoryStoreUnitOfWork()
    report = import_incidents(uow, calls, tmp_path / "rejects")
    assert (report.dataset, report.rows_read, report.rows_imported) == ("calls", 4, 3)
    assert report.reasons == {"unknown_zone": 1}, "zones are checked against the registry"
    assert report.rejects_path is not None and "9999" in report.rejects_path.read_text()
    assert stored_datasets(uow) == {"calls": 3}
    assert dataset_time_zone(uow, "calls") == "Europe/Brussels"


def test_an_import_refuses_to_overwrite_without_replace(
    calls: ImportRequest, tmp_path: Path
) -> None:
    uow = InMemoryStoreUnitOfWork()
    import_incidents(uow, calls, tmp_path)
    with pytest.raises(InputError, match=r"'calls' already holds 3 incidents; add --replace"):
        import_incidents(uow, calls, tmp_path)
    assert len(uow.committed.import_runs) == 1, "refused before a run is recorded"
    shorter = calls.path.with_name("calls-2.csv")
    shorter.write_text(CALLS.rsplit("\n", 3)[0] + "\n")
    again = replace(calls, path=shorter, dataset="calls", replace=True)
    assert import_incidents(uow, again, tmp_path).rows_imported == 2
    assert stored_datasets(uow) == {"calls": 2}


def test_the_overview_shows_the_demo_else_the_largest_dataset() -> None:
    uow = stored(
        InMemoryStoreUnitOfWork(),
        incidents("small", ["5339", "5340"], [1, 2]),
        incidents("big", ["5339", "5339", None, "X1"], [3, None, 3, 4]),
    )
    overview = zone_overview(uow, None, "fr")
    assert overview.dataset == "big" and overview.datasets == {"small": 2, "big": 4}
    rows = {row.zone: row for row in overview.rows}
    assert list(rows)[:6] == list(default_registry().zones) and list(rows)[6:] == ["X1"]
    ixelles = rows["5339"]
    assert ixelles.name == "Bruxelles-Capitale/Ixelles" and ixelles.in_registry
    assert (ixelles.by_cluster[2], ixelles.outside_clusters, ixelles.total) == (1, 1, 2)
    assert not rows["X1"].in_registry and rows["X1"].name == "X1"
    assert zone_overview(uow, "small", "fr").dataset == "small"
    stored(uow, incidents(DEMO_DATASET, ["5341"], [5]))
    assert zone_overview(uow, None, "fr").synthetic
    with pytest.raises(NotFoundError, match="stored datasets: big, demo-brussels-synthetic, small"):
        zone_overview(uow, "nope", "fr")


def test_an_empty_store_has_an_overview_without_counts() -> None:
    overview = zone_overview(InMemoryStoreUnitOfWork(), None, "en")
    assert overview.dataset is None and overview.datasets == {}
    assert overview.totals() == dict.fromkeys(default_registry().zones, 0.0)


def test_a_new_store_gets_the_default_registry_once() -> None:
    uow = InMemoryStoreUnitOfWork()
    seed_default_registry(uow)
    assert uow.committed.registry == default_registry()
    shipped = default_registry()
    ixelles = shipped.zone("5339")
    smaller = ZoneRegistry([ixelles], shipped.municipalities_of("5339"))
    with uow:
        uow.registry.save(smaller)
        uow.commit()
    seed_default_registry(uow)
    assert list(registry_of(uow).zones) == ["5339"], "a loaded registry is kept"
    assert zone_detail(uow, "5339").municipalities == shipped.municipalities_of("5339")
    with pytest.raises(NotFoundError, match="no zone numbered '5340'"):
        zone_detail(uow, "5340")


def test_the_demo_is_built_once_unless_rebuilt() -> None:
    uow = InMemoryStoreUnitOfWork()
    first = build_demo(uow, DemoSpec(days=7, seed=3))
    assert first.created and stored_datasets(uow) == {DEMO_DATASET: first.incidents}
    again = build_demo(uow, DemoSpec(days=14, seed=3))
    assert not again.created and again.incidents == first.incidents
    rebuilt = build_demo(uow, DemoSpec(days=14, seed=3), rebuild=True)
    assert rebuilt.created and stored_datasets(uow) == {DEMO_DATASET: rebuilt.incidents}
    assert rebuilt.incidents > first.incidents and len(uow.committed.import_runs) == 2


def test_the_health_check_reaches_the_store() -> None:
    assert store_health(InMemoryStoreUnitOfWork()) == "memory"


def test_incidents_refer_only_to_a_committed_import_run() -> None:
    uow = InMemoryStoreUnitOfWork()
    run = ImportRunCreate("calls", "calls.csv", None, "UTC", T0, 1, 1, 0)
    with uow:
        run_id = uow.imports.record(run)
        # PostgreSQL writes incidents on a connection of their own: it cannot see this run
        with pytest.raises(InputError, match="not committed"):
            uow.incidents.write(incidents("calls", ["5339"], [1]), import_run=run_id)
        uow.commit()
        assert uow.incidents.write(incidents("calls", ["5339"], [1]), import_run=run_id) == 1


def test_the_fake_is_used_inside_a_transaction_only() -> None:
    uow = InMemoryStoreUnitOfWork()
    with pytest.raises(RuntimeError, match="enter the unit of work first"):
        uow.commit()
