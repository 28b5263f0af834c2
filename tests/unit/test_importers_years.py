"""Times that used to be read wrongly without a word: two-digit years, the exports' words for
"no value", and times no police record can have (before 1900, in the future)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import read_times_csv
from zonal.errors import InputError
from zonal.incidents.importers import write_rejects
from zonal.incidents.options import REJECT_REASONS, ImportResult

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _read(folder: Path, header: str, *rows: str, **overrides: object) -> ImportResult:
    return read_times_csv(folder, header, *rows, **{"now": NOW, **overrides})


def test_a_us_export_with_two_digit_years_and_a_padded_hour_reads_as_this_century(
    tmp_path: Path,
) -> None:
    # the export pads single-digit hours with a blank: two blanks after the date
    result = _read(tmp_path, "t", "02/08/23  9:12:58 AM", "12/31/22 11:59:00 PM")

    assert result.rejects.is_empty()
    assert result.incidents["occurred_at"].to_list() == [
        datetime(2023, 2, 8, 15, 12, 58, tzinfo=UTC),  # CST is UTC-6
        datetime(2023, 1, 1, 5, 59, tzinfo=UTC),
    ]


def test_two_digit_years_pivot_as_pythons_percent_y(tmp_path: Path) -> None:
    # 69-99 are 1969-1999 and 00-68 are 2000-2068 (Python's %y; the parser alone says 2069)
    result = _read(tmp_path, "t", "07/20/69 20:17", "01/01/00 00:00", "12/31/99 12:00")

    years = [time.year for time in result.incidents["occurred_at"]]
    assert years == [1969, 2000, 1999]
    assert datetime.strptime("07/20/69", "%m/%d/%y").year == 1969  # the pivot we follow


def test_day_first_two_digit_years_read_too(tmp_path: Path) -> None:
    result = _read(tmp_path, "t", "31/12/19 23:59", "08/01/20 13:05", time_zone="Europe/Brussels")

    assert result.incidents["occurred_at"].to_list() == [
        datetime(2019, 12, 31, 22, 59, tzinfo=UTC),
        datetime(2020, 1, 8, 12, 5, tzinfo=UTC),
    ]


def test_a_four_digit_format_on_two_digit_years_is_refused_with_the_format_to_give(
    tmp_path: Path,
) -> None:
    with pytest.raises(InputError, match=r"two digits: give --time-format '%m/%d/%y %I:%M:%S %p'"):
        _read(tmp_path, "t", "02/08/23  9:12:58 AM", time_format="%m/%d/%Y %I:%M:%S %p")


def test_times_before_1900_or_in_the_future_are_rejected_counted_and_written(
    tmp_path: Path,
) -> None:
    result = _read(
        tmp_path,
        "t,what",
        "2025-06-01 10:00,fine",
        "0023-02-08 09:12,year 23",
        "1899-12-31 10:00,too old",
        "2026-01-16 05:00,tomorrow (11:00 UTC): within the day of tolerance",
        "2026-01-17 10:00,the day after tomorrow",
    )

    assert result.incidents.height == 2
    assert result.reasons == {"implausible_time": 3}
    lines = result.rejects.sort("line")
    assert lines["line"].to_list() == [3, 4, 6]
    assert lines["detail"][0] == "'0023-02-08 09:12' reads as 0023-02-08 09:12:00, before 1900"
    assert "after 2026-01-16 12:00 UTC" in lines["detail"][2]
    with write_rejects(result, tmp_path / "out.parquet").open() as written:
        rows = list(csv.DictReader(written))
    assert [row["reason"] for row in rows] == ["implausible_time"] * 3
    assert "implausible_time" in REJECT_REASONS


def test_a_column_of_impossible_times_refuses_the_import(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"every time of column 't' is one no police record"):
        _read(tmp_path, "t", "0023-02-08 09:12", "0023-02-09 10:00")


def test_an_impossible_follow_up_time_is_null_and_counted(tmp_path: Path) -> None:
    result = _read(
        tmp_path,
        "t,arr",
        "2025-01-10 13:00,2095-01-10 13:09",
        mapping="time=t,arrived=arr",
    )

    assert result.incidents["arrived_at"].to_list() == [None]
    assert result.notes == {"arrived_at_implausible": 1}
    assert result.rejects.is_empty()


@pytest.mark.parametrize("missing", ["NULL", "null", "NA", "", "  ", "NaT", "None"])
def test_the_exports_words_for_no_value_are_missing_times_not_unreadable_ones(
    tmp_path: Path, missing: str
) -> None:
    result = _read(
        tmp_path,
        "t,arr",
        f"{missing},2025-01-10 13:09",
        f"2025-01-10 13:00,{missing}",
        mapping="time=t,arrived=arr",
    )

    assert result.reasons == {"missing_time": 1}
    assert result.incidents["arrived_at"].to_list() == [None]
    assert "arrived_at_unparseable" not in result.notes
