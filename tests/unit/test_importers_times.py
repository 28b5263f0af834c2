"""Times: formats, offsets, resolution, and the daylight-saving policy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import read_times_csv
from zonal.errors import InputError
from zonal.incidents.schema import TimeResolution


def test_a_time_in_the_spring_gap_is_shifted_forward_by_the_gap(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path, "t", "2010-03-14 01:30", "2010-03-14 02:30", "2010-03-14 03:30"
    )

    assert result.incidents["occurred_at"].to_list() == [
        datetime(2010, 3, 14, 7, 30, tzinfo=UTC),  # 01:30 CST
        datetime(2010, 3, 14, 8, 30, tzinfo=UTC),  # 02:30 does not exist: 03:30 CDT
        datetime(2010, 3, 14, 8, 30, tzinfo=UTC),  # 03:30 CDT
    ]
    assert result.notes["dst_gap_shifted"] == 1
    assert result.rejects.is_empty()


def test_an_ambiguous_fall_back_time_takes_the_earlier_instant(tmp_path: Path) -> None:
    result = read_times_csv(tmp_path, "t", "2010-11-07 01:30", "2010-11-07 00:30")

    assert result.incidents["occurred_at"].to_list() == [
        datetime(2010, 11, 7, 6, 30, tzinfo=UTC),  # 01:30 CDT, not 01:30 CST (07:30 UTC)
        datetime(2010, 11, 7, 5, 30, tzinfo=UTC),
    ]
    assert result.notes["dst_ambiguous_earliest"] == 1


def test_an_ambiguous_follow_up_time_is_not_put_before_the_call(tmp_path: Path) -> None:
    # Call at 01:50 (first 01:xx hour), closed at 01:10: only the second 01:10 is after it.
    result = read_times_csv(
        tmp_path,
        "start,closed",
        "2025-11-02 01:50:00,2025-11-02 01:10:00",
        mapping="time=start,closed=closed",
    )

    incident = result.incidents.row(0, named=True)
    assert incident["occurred_at"] == datetime(2025, 11, 2, 6, 50, tzinfo=UTC)
    assert incident["closed_at"] == datetime(2025, 11, 2, 7, 10, tzinfo=UTC)
    assert result.notes["dst_ambiguous_latest"] == 1
    assert result.notes["dst_ambiguous_earliest"] == 1  # the call itself


def test_text_with_an_offset_is_an_instant_whatever_the_zone(tmp_path: Path) -> None:
    result = read_times_csv(tmp_path, "t", "2024-01-10T10:00:00Z", "2024-01-10T10:00:00+01:00")

    assert result.incidents["occurred_at"].to_list() == [
        datetime(2024, 1, 10, 10, tzinfo=UTC),
        datetime(2024, 1, 10, 9, tzinfo=UTC),
    ]


def test_iso_forms_mix_within_a_column(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path, "t", "2024-01-10T10:00:05", "2024-01-10 10:00:05.250", "2024-01-10"
    )

    assert result.rejects.is_empty()
    assert result.incidents["occurred_at"][1] == datetime(2024, 1, 10, 16, 0, 5, 250000, tzinfo=UTC)


def test_a_given_format_reads_european_dates(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path,
        "t",
        "31/12/2024 23:30",
        time_zone="Europe/Brussels",
        time_format="%d/%m/%Y %H:%M",
    )

    assert result.incidents["occurred_at"][0] == datetime(2024, 12, 31, 22, 30, tzinfo=UTC)


def test_unpadded_us_dates_read_with_the_padded_format(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path, "t", "1/2/2009 3:05", "01/02/2009 03:05", time_format="%m/%d/%Y %H:%M"
    )

    assert result.incidents["occurred_at"].n_unique() == 1
    assert result.rejects.is_empty()


@pytest.mark.parametrize(
    ("rows", "zone", "expected"),
    [
        # a US open-data export: month first, 12-hour clock, with and without seconds
        (
            ("01/08/2020 01:05:00 PM", "12/31/2019 11:59 PM"),
            "America/Chicago",
            datetime(2020, 1, 8, 19, 5, tzinfo=UTC),
        ),
        # a Belgian spreadsheet: day first; 31/12 tells it from month first
        (
            ("08/01/2020 13:05", "31/12/2019 23:59"),
            "Europe/Brussels",
            datetime(2020, 1, 8, 12, 5, tzinfo=UTC),
        ),
        (
            ("08.01.2020 13:05:00", "31.12.2019"),
            "Europe/Brussels",
            datetime(2020, 1, 8, 12, 5, tzinfo=UTC),
        ),
        (("2020/01/08 13:05:00",), "America/Chicago", datetime(2020, 1, 8, 19, 5, tzinfo=UTC)),
    ],
)
def test_common_written_forms_are_recognised_without_a_format(
    tmp_path: Path, rows: tuple[str, ...], zone: str, expected: datetime
) -> None:
    result = read_times_csv(tmp_path, "t", *rows, time_zone=zone)

    assert result.rejects.is_empty()
    assert result.incidents["occurred_at"][0] == expected


def test_dates_that_read_both_day_and_month_first_ask_for_the_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="month-first and day-first.*--time-format"):
        read_times_csv(tmp_path, "t", "01/08/2020 13:05", "03/04/2020 10:00")


def test_the_whole_column_settles_day_or_month_first(tmp_path: Path) -> None:
    rows = [f"0{1 + k % 9}/0{1 + k % 7}/2020 10:00" for k in range(1200)] + ["25/12/2020 10:00"]
    result = read_times_csv(tmp_path, "t", *rows, time_zone="Europe/Brussels")

    assert result.rejects.is_empty()
    assert result.incidents["occurred_at"][-1] == datetime(2020, 12, 25, 9, tzinfo=UTC)


def test_a_date_and_a_time_column_read_as_one_time(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path, "Date,Time", "2024-03-10,02:30", "2024-03-10,", ",", mapping="time=Date+Time"
    )

    # 02:30 falls in Chicago's spring gap: shifted to 03:30 CDT; a date alone is a date
    assert result.incidents["occurred_at"].to_list() == [
        datetime(2024, 3, 10, 8, 30, tzinfo=UTC),
        datetime(2024, 3, 10, 6, 0, tzinfo=UTC),
    ]
    assert result.reasons == {"missing_time": 1}


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        (("2024-01-10", "2024-01-11 00:00"), TimeResolution.DAY),
        (("2024-01-10 00:00", "2024-01-10 13:00"), TimeResolution.HOUR),
        (("2024-01-10 13:00", "2024-01-10 13:05"), TimeResolution.MINUTE),
        (("2024-01-10 13:00", "2024-01-10 13:05:07"), TimeResolution.SECOND),
    ],
)
def test_resolution_is_the_coarsest_every_time_fits(
    tmp_path: Path, times: tuple[str, ...], expected: TimeResolution
) -> None:
    result = read_times_csv(tmp_path, "t", *times)

    assert set(result.incidents["time_resolution"]) == {expected.value}


def test_a_given_resolution_wins(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path, "t", "2024-01-10 13:00", time_resolution=TimeResolution.MINUTE
    )

    assert result.incidents["time_resolution"][0] == "minute"


def test_an_unreadable_follow_up_time_is_null_and_counted_not_rejected(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path,
        "t,arr",
        "2024-01-10 13:00,soon",
        "2024-01-10 13:00,2024-01-10 13:09",
        mapping="time=t,arrived=arr",
    )

    assert result.incidents["arrived_at"].to_list() == [
        None,
        datetime(2024, 1, 10, 19, 9, tzinfo=UTC),
    ]
    assert result.notes["arrived_at_unparseable"] == 1
    assert result.rejects.is_empty()


def test_a_follow_up_column_that_never_parses_is_null_not_an_error(tmp_path: Path) -> None:
    result = read_times_csv(
        tmp_path, "t,rep", "2024-01-10 13:00,n/a", mapping="time=t,reported_at=rep"
    )

    assert result.incidents["reported_at"].to_list() == [None]
    assert result.notes["reported_at_unparseable"] == 1
