"""`zonal import incidents` on the files a new user has: no zone column, foreign problem types,
agencies mixed, NULL times, a US export with two-digit years. Nothing lands in zone 'unknown'
without the user saying so."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from tests.e2e.test_cli import dataset_counts, stored_incidents
from zonal.cli import app

runner = CliRunner()

DISPATCH = """Master_Incident_Number,Agency,Problem,Incident_Start_Time,Incident_Arrival_Time
25-1,POLICE,ALARM COMMERCIAL,2025-08-24 00:07:06.000,2025-08-24 00:13:10.710
25-2,EMS,SICK PERSON,2025-08-24 00:15:27.000,NULL
25-3,POLICE,DISORDERLY CONDUCT,2025-08-24 01:02:00.000,NULL
25-4,FIRE,FIRE ALARM,2025-08-24 02:40:00.000,2025-08-24 02:49:00.000
"""
MAPPING = "time=Incident_Start_Time,category=Problem,arrived=Incident_Arrival_Time"


def _dispatch(folder: Path) -> list[str]:
    path = folder / "dispatch.csv"
    path.write_text(DISPATCH)
    return ["import", "incidents", str(path), "--tz", "America/New_York"]


def test_a_file_without_zones_is_refused_with_what_to_do(zonal_home: Path) -> None:
    result = runner.invoke(app, [*_dispatch(zonal_home), "--map", MAPPING])

    assert result.exit_code == 2
    assert "nothing was imported" in result.output
    for fix in ("zone=COLUMN", "--zone", "--no-zone", "--scheme dispatch-center"):
        assert fix in result.output
    assert "dispatch" not in dataset_counts()


def test_a_single_zone_file_imports_with_zone_and_scheme(zonal_home: Path) -> None:
    args = [*_dispatch(zonal_home), "--map", MAPPING, "--zone", "5339"]
    result = runner.invoke(app, [*args, "--scheme", "dispatch-center"])

    assert result.exit_code == 0, result.output
    assert set(stored_incidents("dispatch")["zone"]) == {"5339"}
    assert "unparseable" not in result.output, "NULL arrival times are missing values"
    assert "Warning" not in result.output


def test_no_zone_imports_knowingly_and_warns(zonal_home: Path) -> None:
    args = [*_dispatch(zonal_home), "--map", MAPPING, "--scheme", "dispatch-center"]
    result = runner.invoke(app, [*args, "--no-zone"])

    assert result.exit_code == 0, result.output
    assert "Warning:" in result.output and "zone 'unknown'" in result.output
    assert dataset_counts()["dispatch"] == 4


def test_an_unknown_zone_is_refused(zonal_home: Path) -> None:
    args = [*_dispatch(zonal_home), "--map", MAPPING, "--zone", "9999"]
    result = runner.invoke(app, args)

    assert result.exit_code == 3 and "--zone '9999' is not a zone of the registry" in result.output


def test_agency_with_a_map_applies_to_the_agency_column_or_is_refused(zonal_home: Path) -> None:
    args = [*_dispatch(zonal_home), "--zone", "5339", "--scheme", "dispatch-center"]

    refused = runner.invoke(app, [*args, "--map", MAPPING, "--agency", "POLICE"])
    kept = runner.invoke(app, [*args, "--map", f"{MAPPING},agency=Agency", "--agency", "POLICE"])

    assert refused.exit_code == 2 and "add agency=COLUMN to --map" in refused.output
    assert kept.exit_code == 0, kept.output
    assert dataset_counts()["dispatch"] == 2


def test_a_us_export_with_two_digit_years_is_read_in_its_century(zonal_home: Path) -> None:
    path = zonal_home / "us.csv"
    path.write_text(
        "Date,Beat\n"
        "02/08/23  9:12:58 AM,5339\n"
        "02/08/23 11:40:00 PM,5339\n"
        "02/08/0023 11:40:00 PM,5339\n"  # someone's typo: a year no police record has
    )
    args = ["import", "incidents", str(path), "--map", "time=Date,zone=Beat", "--tz", "UTC"]

    result = runner.invoke(app, args)

    assert result.exit_code == 0, result.output
    assert "rejected: implausible_time" in result.output
    assert "Warning:" in result.output and "line 4" in result.output
    stored = stored_incidents("us")["occurred_at"].dt.year().to_list()
    assert stored == [2023, 2023]
    (rejects,) = (zonal_home / "rejects").glob("us-run*.csv")
    with rejects.open() as written:
        assert [row["reason"] for row in csv.DictReader(written)] == ["implausible_time"]
