"""The import use case settles before it writes: a file without any zone and a default scheme
that the file's own scheme beats are refused with their fixes, and every option either applies
or is refused. On the in-memory store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from zonal.errors import InputError, NotFoundError
from zonal.services.imports import ImportReport, ImportRequest, import_incidents
from zonal.services.overview import stored_datasets
from zonal.storage.memory import InMemoryStoreUnitOfWork

# the dispatch centre's columns, cut down: no zone, problem types, three agencies
DISPATCH = """Master_Incident_Number,Agency,Problem,Incident_Start_Time,Incident_Arrival_Time
25-1,POLICE,ALARM COMMERCIAL,2025-08-24 00:07:06.000,2025-08-24 00:13:10.710
25-2,EMS,SICK PERSON,2025-08-24 00:15:27.000,NULL
25-3,POLICE,DISORDERLY CONDUCT,2025-08-24 01:02:00.000,NULL
25-4,FIRE,FIRE ALARM,2025-08-24 02:40:00.000,2025-08-24 02:49:00.000
"""
MAPPING = (
    "time=Incident_Start_Time,id=Master_Incident_Number,category=Problem,"
    "arrived=Incident_Arrival_Time"
)


@pytest.fixture
def calls(tmp_path: Path) -> ImportRequest:
    path = tmp_path / "dispatch.csv"
    path.write_text(DISPATCH)
    return ImportRequest(path=path, mapping=MAPPING, time_zone="America/New_York")


def _import(request: ImportRequest, folder: Path) -> tuple[InMemoryStoreUnitOfWork, ImportReport]:
    uow = InMemoryStoreUnitOfWork()
    return uow, import_incidents(uow, request, folder / "rejects")


def test_a_file_without_zones_is_refused_before_anything_is_written(
    calls: ImportRequest, tmp_path: Path
) -> None:
    uow = InMemoryStoreUnitOfWork()
    with pytest.raises(InputError) as refused:
        import_incidents(uow, calls, tmp_path)

    message = str(refused.value)
    assert message.startswith("dispatch.csv: nothing was imported.")
    assert "none of the 4 incidents has a zone" in message and "--zone" in message
    assert "add --scheme dispatch-center" in message, "the scheme is named in the same message"
    assert not uow.committed.import_runs and stored_datasets(uow) == {}


def test_a_files_one_zone_and_its_scheme_import_it(calls: ImportRequest, tmp_path: Path) -> None:
    request = replace(calls, zone="5339", scheme="dispatch-center")

    uow, report = _import(request, tmp_path)

    assert stored_datasets(uow) == {"dispatch": 4}
    with uow:
        assert set(uow.incidents.read(datasets=["dispatch"])["zone"]) == {"5339"}
    assert report.warnings == ()
    assert report.notes == {}, "NULL arrival times are missing, not unparseable times"


def test_a_zone_outside_the_registry_is_refused(calls: ImportRequest, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"--zone '9999' is not a zone .* 5339, 5340"):
        _import(replace(calls, zone="9999", scheme="dispatch-center"), tmp_path)


def test_without_zone_imports_on_purpose_and_warns(calls: ImportRequest, tmp_path: Path) -> None:
    request = replace(calls, without_zone=True, scheme="dispatch-center")

    uow, report = _import(request, tmp_path)

    assert stored_datasets(uow) == {"dispatch": 4}
    (warning,) = report.warnings
    assert "none of the 4 incidents has a zone" in warning


def test_a_chosen_scheme_is_kept_with_a_warning(calls: ImportRequest, tmp_path: Path) -> None:
    uow, report = _import(replace(calls, zone="5339", scheme="zonal"), tmp_path)

    assert stored_datasets(uow) == {"dispatch": 4}
    assert "add --scheme dispatch-center" in report.warnings[0]


def test_agency_applies_to_the_mapped_agency_column(calls: ImportRequest, tmp_path: Path) -> None:
    request = replace(
        calls,
        mapping=f"{MAPPING},agency=Agency",
        agencies=("police",),
        zone="5339",
        scheme="dispatch-center",
    )

    uow, report = _import(request, tmp_path)

    assert stored_datasets(uow) == {"dispatch": 2}
    assert report.notes == {"filtered_out": 2}


def test_agency_without_an_agency_column_is_refused(calls: ImportRequest, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no agency column is mapped: add agency=COLUMN"):
        _import(replace(calls, agencies=("POLICE",), zone="5339"), tmp_path)


def test_agency_on_a_preset_without_agencies_is_refused(tmp_path: Path) -> None:
    request = ImportRequest(path=tmp_path / "h.csv", preset="houston", agencies=("POLICE",))

    with pytest.raises(InputError, match=r"add agency=COLUMN to --map"):
        _import(request, tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"without_zone": True, "zone": "5339"}, "the zones come from --zone: drop --no-zone"),
        ({"without_zone": True, "check_zones": True}, "--check-zones checks zones and --no-zone"),
        (
            {"mapping": "time=Incident_Start_Time", "scheme": "dispatch-center"},
            "add category=COLUMN to --map, or drop --scheme",
        ),
    ],
)
def test_options_that_cannot_apply_are_refused(
    calls: ImportRequest, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        _import(replace(calls, **change), tmp_path)  # type: ignore[arg-type]
