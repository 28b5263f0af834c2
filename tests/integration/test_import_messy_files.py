"""The reference files made messy as users' exports are (in a temporary folder, never in the
repository): the dispatch file's columns cut and imported with a mapping, and Houston's times
rewritten as a US export with two-digit years."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from zonal.errors import InputError
from zonal.incidents.importers import read_incidents
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions
from zonal.services.imports import ImportRequest, import_incidents
from zonal.services.overview import stored_datasets
from zonal.storage.memory import InMemoryStoreUnitOfWork

pytestmark = pytest.mark.shared_data

MAPPING = "time=Incident_Start_Time,category=Problem,arrived=Incident_Arrival_Time"


@pytest.fixture(scope="module")
def dispatch_cut(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dispatch file with four of its columns, as a user's export of it would be."""
    columns = ["Incident_Start_Time", "Agency", "Problem", "Incident_Arrival_Time"]
    frame = pl.read_csv(shared_data / "dispatch_center_2025h2.csv.gz", infer_schema=False)
    path = tmp_path_factory.mktemp("messy") / "dispatch_cut.csv"
    frame.select(columns).write_csv(path)
    return path


@pytest.fixture(scope="module")
def houston_us(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Houston's incidents with times as `02/08/10  9:00:00 AM` (two-digit year, padded hour)."""
    frame = pl.read_csv(shared_data / "houston_incidents_2010.csv.gz", infer_schema=False)
    time = pl.col("occurred_at").str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M")
    hour = ((time.dt.hour() + 11) % 12 + 1).cast(pl.String).str.pad_start(2, " ")
    noon = pl.when(time.dt.hour() < 12).then(pl.lit("AM")).otherwise(pl.lit("PM"))
    written = pl.format(
        "{} {}:{}:00 {}", time.dt.strftime("%m/%d/%y"), hour, time.dt.strftime("%M"), noon
    )
    path = tmp_path_factory.mktemp("messy") / "houston_us.csv"
    frame.select(written.alias("Date"), "offense", "beat").write_csv(path)
    return path


def test_the_cut_dispatch_file_is_refused_with_the_zone_and_the_scheme_to_give(
    dispatch_cut: Path, tmp_path: Path
) -> None:
    uow = InMemoryStoreUnitOfWork()
    request = ImportRequest(path=dispatch_cut, mapping=MAPPING, time_zone="America/New_York")

    with pytest.raises(InputError) as refused:
        import_incidents(uow, request, tmp_path)

    assert "none of the 28,751 incidents has a zone" in str(refused.value)
    assert "315 categories unclassified" in str(refused.value)
    assert "add --scheme dispatch-center" in str(refused.value)
    assert stored_datasets(uow) == {}


def test_the_cut_dispatch_files_police_calls_import_into_one_zone(
    dispatch_cut: Path, tmp_path: Path
) -> None:
    uow = InMemoryStoreUnitOfWork()
    request = ImportRequest(
        path=dispatch_cut,
        mapping=f"{MAPPING},agency=Agency",
        time_zone="America/New_York",
        scheme="dispatch-center",
        agencies=("POLICE",),
        zone="5339",
    )

    report = import_incidents(uow, request, tmp_path)

    assert (report.rows_read, report.rows_imported) == (18_989, 18_989)
    assert report.notes["filtered_out"] == 9_762
    assert "arrived_at_unparseable" not in report.notes, "NULL is a missing arrival time"
    assert stored_datasets(uow) == {"dispatch_cut": 18_989}
    again = replace(request, agencies=("POLCE",), dataset="typo")
    with pytest.raises(InputError, match=r"no row has \['POLCE'\] in column 'Agency'"):
        import_incidents(uow, again, tmp_path)


def test_houstons_two_digit_years_read_as_2010(houston_us: Path) -> None:
    options = ImportOptions(
        mapping=ColumnMapping.parse("time=Date,zone=beat,category=offense"),
        time_zone="America/Chicago",
        dataset="houston-us",
        scheme="houston",
        zone_pattern=r"^(\d+)[A-Z]",
    )

    result = read_incidents(houston_us, options)

    assert result.rows_read == 86_314 and result.rejects.is_empty()
    times = result.incidents["occurred_at"]
    assert times.min() == datetime(2010, 1, 1, 6, tzinfo=UTC)  # midnight CST
    assert times.dt.year().unique().to_list() == [2010]
