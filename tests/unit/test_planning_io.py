"""Reading planning files and exporting rosters (CSV, iCalendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from zonal.errors import FileFormatError, InputError
from zonal.forecasting import SeriesKey
from zonal.planning import GreedyRosterSolver, Officer, Rosterer, RosterSlot
from zonal.planning.io import read_frame, read_officers, zone_demand
from zonal.planning.roster import RestRules, to_ical, write_csv

OFFICERS_CSV = """officer_id,contract_hours,skills,team,unavailable,nights
a1,38,fr;driver,t1,2025-03-03..2025-03-05;2025-03-10,true
a2,,nl,t1,,no
b7,30.4,,,,
"""


def test_officers_are_read_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "officers.csv"
    path.write_text(OFFICERS_CSV)
    first, second, third = read_officers(path)
    assert first.skills == frozenset({"fr", "driver"}) and first.team == "t1"
    assert first.unavailable == {
        date(2025, 3, 3),
        date(2025, 3, 4),
        date(2025, 3, 5),
        date(2025, 3, 10),
    }
    assert (second.contract_hours, second.nights) == (38.0, False)
    assert (third.contract_hours, third.team, third.skills) == (30.4, None, frozenset())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,forty,,,,", "'forty' is not a number"),
        ("x,38,,,2025-13-01,", "not a date"),
        ("x,38,,,2025-03-05..2025-03-01,", "ends before it starts"),
        ("x,38,,,,maybe", "true or false"),
    ],
)
def test_bad_officer_values_name_the_officer(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "officers.csv"
    path.write_text("officer_id,contract_hours,skills,team,unavailable,nights\n" + row + "\n")
    with pytest.raises(InputError, match=f"officer x.*{message}"):
        read_officers(path)


def test_officer_file_without_ids_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "officers.csv"
    path.write_text("name\nAnna\n")
    with pytest.raises(InputError, match="officer_id"):
        read_officers(path)


def test_naive_demand_times_are_read_as_local_wall_clock(tmp_path: Path) -> None:
    path = tmp_path / "demand.csv"
    path.write_text("unique_id,ds,mean\nz,2025-03-03 00:00:00,1.5\n")
    frame = read_frame(path, time_zone="Europe/Brussels")
    assert frame["ds"].dt.convert_time_zone("UTC").item() == datetime(2025, 3, 2, 23, tzinfo=UTC)


def _forecast(*ids: str) -> pl.DataFrame:
    ds = datetime(2025, 3, 3, tzinfo=UTC)
    return pl.DataFrame(
        {
            "unique_id": list(ids),
            "area": [SeriesKey.parse(i).area for i in ids],
            "cluster": [SeriesKey.parse(i).cluster for i in ids],
            "level": ["x"] * len(ids),
            "ds": [ds] * len(ids),
            "mean": [float(n) for n in range(len(ids))],
        }
    )


def test_a_zonal_forecast_is_planned_on_its_zone_totals_only() -> None:
    forecast = _forecast("all|all", "all|3", "5339|all", "5339|3", "5339/21004|all", "5340|all")
    demand = zone_demand(forecast)
    assert demand["unique_id"].to_list() == ["5339", "5340"]
    assert demand["mean"].to_list() == [2.0, 5.0]
    assert demand.columns == ["unique_id", "ds", "mean"]


def test_a_city_level_forecast_is_one_zone_and_plain_ids_stay() -> None:
    assert zone_demand(_forecast("all|all", "all|5"))["unique_id"].to_list() == ["all"]
    plain = pl.DataFrame({"unique_id": ["5339"], "mean": [1.0]})
    assert zone_demand(plain).equals(plain)


def test_a_forecast_without_zone_totals_says_how_to_make_one() -> None:
    with pytest.raises(InputError, match="no zone totals"):
        zone_demand(_forecast("5339|3", "5339|4"))


def test_unknown_file_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "demand.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(FileFormatError, match="csv"):
        read_frame(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="does not exist"):
        read_frame(tmp_path / "nope.csv")


def small_roster() -> Rosterer:
    start = datetime(2025, 3, 3, 6, tzinfo=UTC)
    slots = [RosterSlot("early, long name to fold the calendar line " * 2, start, 8, 1)]
    officers = [Officer("a", team="t9")]
    return Rosterer(RestRules(max_overtime_hours=8), solver=GreedyRosterSolver()).fit(
        officers, slots
    )


def test_ical_export_has_one_event_per_shift_and_folds_long_lines() -> None:
    text = to_ical(small_roster().roster_, stamp=datetime(2025, 1, 1, tzinfo=UTC))
    lines = text.split("\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20250303T060000Z" in lines and "DTEND:20250303T140000Z" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # a folded continuation
    assert "\\," in text  # commas escaped in text values


def test_csv_export_gives_local_times(tmp_path: Path) -> None:
    path = write_csv(small_roster().roster_, tmp_path / "roster.csv")
    row = pl.read_csv(path).row(0, named=True)
    assert (row["officer_id"], row["start"], row["team"]) == ("a", "2025-03-03 07:00", "t9")
