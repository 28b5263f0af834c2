"""What an import reads but cannot resolve (zones, the category scheme, impossible times), and
the options that settle it: a file's one zone, and values to keep that no row holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from zonal.errors import InputError
from zonal.incidents.importers import read_incidents
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions, ImportResult
from zonal.incidents.resolution import (
    BETTER_SCHEME,
    IMPLAUSIBLE_TIMES,
    NO_ZONE,
    OTHER_SCHEME,
    ZONES_MISSING,
    Unresolved,
    unresolved,
)

# a dispatch centre's calls: no zone, problem types of the dispatch-center scheme
DISPATCH = """Incident_Start_Time,Agency,Problem,District
2025-08-24 00:07:06,POLICE,ALARM COMMERCIAL,
2025-08-24 00:15:27,EMS,SICK PERSON,
2025-08-24 01:02:00,POLICE,DISORDERLY CONDUCT,
2025-08-24 02:40:00,POLICE,TRAFFIC STOP,
"""


def _options(mapping: str, **overrides: object) -> ImportOptions:
    settings: dict[str, object] = {
        "mapping": ColumnMapping.parse(mapping),
        "time_zone": "America/New_York",
        "dataset": "calls",
        "now": datetime(2026, 1, 1, tzinfo=UTC),
    }
    settings.update(overrides)
    return ImportOptions(**settings)  # type: ignore[arg-type]


def _findings(folder: Path, content: str, options: ImportOptions) -> list[Unresolved]:
    result = _read(folder, content, options)
    return unresolved(result, options)


def _read(folder: Path, content: str, options: ImportOptions) -> ImportResult:
    path = folder / "calls.csv"
    path.write_text(content, encoding="utf-8")
    return read_incidents(path, options)


def test_a_file_without_a_zone_column_is_said_with_the_three_fixes(tmp_path: Path) -> None:
    options = _options("time=Incident_Start_Time,category=Problem", scheme="dispatch-center")

    (finding,) = _findings(tmp_path, DISPATCH, options)

    assert finding.kind == NO_ZONE
    assert "none of the 4 incidents has a zone (no zone column is mapped)" in finding.message
    assert "zone 'unknown'" in finding.message
    for fix in ("zone=COLUMN", "--zone NUMBER", "--no-zone", "may hold it: District"):
        assert fix in finding.message


def test_an_empty_zone_column_is_no_zone_either(tmp_path: Path) -> None:
    options = _options("time=Incident_Start_Time,zone=District,category=Problem")

    kinds = [f.kind for f in _findings(tmp_path, DISPATCH, options)]

    assert NO_ZONE in kinds


def test_some_rows_without_a_zone_are_counted(tmp_path: Path) -> None:
    content = "t,zone\n2025-01-01 10:00,5339\n2025-01-01 11:00,\n2025-01-01 12:00,5340\n"

    (finding,) = _findings(tmp_path, content, _options("time=t,zone=zone"))

    assert finding.kind == ZONES_MISSING
    assert finding.message.startswith("1 of 3 incidents (33.3%) have no zone")


def test_a_files_one_zone_is_every_rows_zone(tmp_path: Path) -> None:
    options = _options("time=Incident_Start_Time", zone=" 5339 ")

    result = _read(tmp_path, DISPATCH, options)

    assert result.incidents["zone"].to_list() == ["5339"] * 4
    assert unresolved(result, options) == []


def test_a_zone_column_and_a_files_one_zone_are_refused_together() -> None:
    with pytest.raises(InputError, match=r"zone column \('District'\) is mapped .* --zone"):
        _options("time=Incident_Start_Time,zone=District", zone="5339")


def test_a_scheme_the_file_names_and_that_classifies_far_more_is_named(tmp_path: Path) -> None:
    options = _options("time=Incident_Start_Time,category=Problem", zone="5339")

    (finding,) = _findings(tmp_path, DISPATCH, options)

    assert finding.kind == BETTER_SCHEME
    assert "scheme 'zonal' classifies 0 of 4 incidents (0%)" in finding.message
    assert "add --scheme dispatch-center" in finding.message


def test_a_scheme_matching_only_by_position_is_a_guess(tmp_path: Path) -> None:
    content = "t,type\n2025-01-01 10:00,burglary\n2025-01-01 11:00,robbery\n"
    options = _options("time=t,category=type", zone="5339")

    (finding,) = _findings(tmp_path, content, options)

    assert finding.kind == OTHER_SCHEME and "--scheme houston" in finding.message


def test_no_scheme_is_named_when_none_does_far_better(tmp_path: Path) -> None:
    content = "t,offence_type\n2025-01-01 10:00,residential_burglary\n2025-01-01 11:00,fraude\n"
    options = _options("time=t,category=offence_type", zone="5339")

    assert _findings(tmp_path, content, options) == []


def test_impossible_times_are_said_with_the_count_and_examples(tmp_path: Path) -> None:
    content = "t\n2025-01-01 10:00\n0023-02-08 09:12\n2031-01-01 00:00\n"
    options = _options("time=t", zone="5339")

    (finding,) = _findings(tmp_path, content, options)

    assert finding.kind == IMPLAUSIBLE_TIMES
    assert finding.message.startswith("2 rows have a time no police record can have")
    assert "line 3: '0023-02-08 09:12' reads as 0023-02-08 09:12:00, before 1900" in finding.message


def test_values_to_keep_match_whatever_the_case(tmp_path: Path) -> None:
    options = _options("time=Incident_Start_Time", zone="5339", keep_values={"Agency": {"police"}})

    result = _read(tmp_path, DISPATCH, options)

    assert result.rows_read == 3 and result.notes["filtered_out"] == 1


def test_a_value_to_keep_that_no_row_holds_is_refused_with_the_values_held(
    tmp_path: Path,
) -> None:
    options = _options("time=Incident_Start_Time", keep_values={"Agency": {"POLCE"}})

    held = r"no row has \['POLCE'\] in column 'Agency'.*POLICE \(3\), EMS \(1\)"
    with pytest.raises(InputError, match=held):
        _read(tmp_path, DISPATCH, options)
