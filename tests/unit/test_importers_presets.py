"""Presets on small files in each reference format (the real files are integration tests)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zonal.errors import InputError, NotFoundError
from zonal.incidents.presets import PRESETS, get_preset, read_with_preset


def _gz(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


HOUSTON_HEADER = "occurred_at,offense,premise_code,location_type,beat,address,lon,lat,count"
DISPATCH_HEADER = (
    "Master_Incident_Number,Agency,Problem,Priority_Number,Call_Reception,Incident_Start_Time,"
    "Incident_Queue_Time,Incident_Dispatch_Time,Incident_Enroute_Time,Incident_Arrival_Time,"
    "TimeFirstCallCleared,Final_Closed_Time"
)
ST_LOUIS_HEADER = (
    "Complaint,CodedMonth,DateOccur,FlagCrime,FlagUnfounded,FlagAdministrative,Count,Crime,"
    "District,Description,Neighborhood,XCoord,YCoord"
)


def test_an_unknown_preset_lists_the_presets(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="unknown import preset 'boston'; presets: houston"):
        read_with_preset(tmp_path / "x.csv", "boston")


def test_an_unknown_override_lists_the_valid_ones() -> None:
    with pytest.raises(InputError, match=r"no option \['tz'\]; valid: .*time_zone"):
        get_preset("houston").options(tz="UTC")


def test_overrides_replace_preset_options() -> None:
    options = get_preset("houston").options(time_zone="UTC", dataset="hou-utc", area=None)

    assert (options.time_zone, options.dataset, options.area) == ("UTC", "hou-utc", None)


def test_every_preset_names_its_file_and_says_what_it_does() -> None:
    for name, preset in PRESETS.items():
        options = preset.options()
        assert preset.name == name and preset.description and preset.file.endswith(".csv.gz")
        assert options.dataset == name


def test_houston_district_is_the_beats_leading_number(tmp_path: Path) -> None:
    path = _gz(
        tmp_path,
        "h.csv.gz",
        HOUSTON_HEADER,
        "2010-01-01 00:00,murder,18A,lot,15E30,1 a st,-95.43,29.67,1",
        "2010-03-14 02:00,theft,18A,lot,1A10,1 a st,-95.43,29.67,2",
        "2010-03-14 05:00,theft,18A,lot,UNK,1 a st,-95.43,29.67,1",
    )

    result = read_with_preset(path, "houston")

    assert result.incidents["zone"].to_list() == ["15", "1", None]
    assert result.incidents["sector"].to_list() == ["15E30", "1A10", "UNK"]
    assert set(result.incidents["time_resolution"]) == {"hour"}
    assert result.notes == {
        "dst_gap_shifted": 1,
        "multi_offence_records": 1,
        "offences_beyond_first": 1,
    }


def test_dispatch_center_keeps_police_reads_every_time_and_the_origin(tmp_path: Path) -> None:
    times = "2025-08-24 00:07:06.000,2025-08-24 00:07:53.000,2025-08-24 00:09:46.810"
    path = _gz(
        tmp_path,
        "d.csv.gz",
        DISPATCH_HEADER,
        f"25-1,POLICE,ALARM COMMERCIAL,2,Phone,{times},NULL,NULL,2025-08-24 00:35:47.190,NULL",
        f"25-2,EMS,SICK PERSON,1,E-911,{times},NULL,NULL,NULL,NULL",
        f"25-3,POLICE,TRAFFIC STOP,2,OFFICER,{times},NULL,NULL,NULL,NULL",
        f"25-4,POLICE,THEFT,4,E-911,{times},NULL,NULL,NULL,NULL",
    )

    police = read_with_preset(path, "dispatch-center")
    everyone = read_with_preset(path, "dispatch-center", agencies=None)

    assert police.rows_read == 3 and police.notes["filtered_out"] == 1
    assert everyone.rows_read == 4 and "filtered_out" not in everyone.notes
    incident = police.incidents.row(0, named=True)
    assert incident["incident_id"] == "25-1"
    assert incident["occurred_at"] == datetime(2025, 8, 24, 4, 7, 6, tzinfo=UTC)  # EDT
    assert incident["dispatched_at"] == datetime(2025, 8, 24, 4, 9, 46, 810000, tzinfo=UTC)
    assert incident["en_route_at"] is None  # 'NULL'
    assert incident["priority"] == 2
    assert police.incidents["origin"].to_list() == ["alarm", "officer_initiated", "citizen_call"]


def test_dispatch_center_agencies_must_be_a_list(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="agencies must be a list"):
        read_with_preset(tmp_path / "d.csv.gz", "dispatch-center", agencies="POLICE")


def test_st_louis_cancellations_unknown_places_and_districts(tmp_path: Path) -> None:
    path = _gz(
        tmp_path,
        "s.csv.gz",
        ST_LOUIS_HEADER,
        ",2008-04,01/01/2008 20:58,Y, ,,1,177000,8,SEX OFFNS-INCEST,53,888708.3,1028833",
        ',2011-04,1/1/2011 3:05,Y, ,,1, 67501,0,"LARCENY-FROM BUILDING OVER $25,000",17,0,0',
        ",2008-04,01/08/2008 06:30,, Y,,-1,71013,9,AUTO THEFT-PERM RETNT,31,895226.1,1015481",
        "14-1,2014-04,3/29/2014 21:15,Y, ,,1,91113,4,SIMPLE ASSAULT,35,908092,1019473",
        "14-1,2014-04,3/29/2014 21:15,Y, ,,1,91114,4,ASSAULT DOMESTIC,35,908092,1019473",
    )

    result = read_with_preset(path, "st-louis")

    assert result.reasons == {"cancellation": 1, "duplicate_id": 1}
    assert result.incidents["zone"].to_list() == ["8", None, "4"]
    assert result.incidents["lat"][0] == pytest.approx(38.6589, abs=1e-3)
    assert result.incidents["lat"][1] is None
    assert result.notes["coordinates_zero_unknown"] == 1
    assert result.incidents["occurred_at"][1] == datetime(2011, 1, 1, 9, 5, tzinfo=UTC)
    assert result.incidents["incident_id"].to_list() == ["st-louis:2", "st-louis:3", "14-1"]


def test_portland_dates_feet_and_priorities(tmp_path: Path) -> None:
    path = _gz(
        tmp_path,
        "p.csv.gz",
        "CATEGORY,CALL_GROUP,final_case,CASE_DESC,occ_date,x_coordina,y_coordina,census_tra",
        "BURGLARY, SUSPICIOUS,PROWLP,PROWLER,2016-08-10,7660085.0,672910.0,802.0",
        "OTHER,DISORDER,DISTP,DISTURBANCE - PRIORITY,2016-08-11,7660085.0,672910.0,802.0",
        "OTHER,PERSON CRIME,ROBW,ROBBERY - WITH WEAPON *H,2016-08-11,7660085.0,672910.0,802.0",
    )

    result = read_with_preset(path, "portland-nij")

    assert set(result.incidents["time_resolution"]) == {"day"}
    assert result.incidents["occurred_at"][0] == datetime(2016, 8, 10, 7, tzinfo=UTC)  # PDT
    assert result.incidents["lon"][0] == pytest.approx(-122.6139, abs=1e-3)
    assert result.incidents["lat"][0] == pytest.approx(45.4930, abs=1e-3)
    assert result.incidents["sector"][0] == "802"
    assert result.incidents["priority"].to_list() == [None, 2, 1]
