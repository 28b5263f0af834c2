"""Row-level import behaviour: rejects, ids, places, categories, priorities and origins."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from zonal.errors import InputError, MappingError
from zonal.incidents.importers import read_incidents, write_rejects
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions, OriginRule, PriorityRule
from zonal.incidents.schema import Origin
from zonal.taxonomy import OFFENCE_TYPES

BRUSSELS = (4.24, 50.76, 4.48, 50.92)


def _options(mapping: str, **overrides: object) -> ImportOptions:
    settings_: dict[str, object] = {
        "mapping": ColumnMapping.parse(mapping),
        "time_zone": "Europe/Brussels",
        "dataset": "bxl",
    }
    settings_.update(overrides)
    return ImportOptions(**settings_)  # type: ignore[arg-type]


def _csv(folder: Path, header: str, *rows: str) -> Path:
    path = folder / "incidents.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_every_row_is_an_incident_or_a_reject_with_its_reason(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "id,t,lat,lon,zone,n",
        "a,2024-01-10 10:00,50.85,4.35,5339,1",
        "b,,50.85,4.35,5339,1",
        "c,yesterday,50.85,4.35,5339,1",
        "d,2024-01-10 10:00,50.85,4.35,5339,-1",
        "e,2024-01-10 10:00,50.85,4.35,9999,1",
        "f,2024-01-10 10:00,51.20,4.40,5339,1",
        "a,2024-01-10 11:00,50.85,4.35,5339,1",
    )
    options = _options(
        "time=t,id=id,lat=lat,lon=lon,zone=zone",
        known_zones=frozenset({"5339", "5340"}),
        area=BRUSSELS,
        count_column="n",
    )

    result = read_incidents(path, options)

    assert result.incidents["incident_id"].to_list() == ["a"]
    assert dict(zip(result.rejects["line"], result.rejects["reason"], strict=True)) == {
        3: "missing_time",
        4: "unparseable_time",
        5: "cancellation",
        6: "unknown_zone",
        7: "outside_area",
        8: "duplicate_id",
    }
    assert result.reasons == dict.fromkeys(
        ["missing_time", "unparseable_time", "cancellation", "unknown_zone", "outside_area"]
        + ["duplicate_id"],
        1,
    )
    assert result.incidents.height + result.rejects.height == result.rows_read == 7


def test_reject_details_quote_the_bad_value(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,zone", "yesterday,5339", "2024-01-10 10:00,77")
    options = _options("time=t,zone=zone", known_zones=frozenset({"5339"}))

    details = read_incidents(path, options).rejects["detail"].to_list()

    assert details[0].startswith("'yesterday' does not read as '%Y-%m-%d %H:%M'")
    assert details[1] == "zone '77'"


def test_rejects_keep_the_original_row_as_text(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,reason,zone", "2024-01-10 10:00,,", "never,stolen bike,0042")

    rejects = read_incidents(path, _options("time=t,zone=zone")).rejects

    assert rejects.columns == ["line", "reason", "detail", "t", "source:reason", "zone"]
    assert rejects.row(0)[3:] == ("never", "stolen bike", "0042")


def test_a_duplicate_keeps_the_first_valid_copy(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,t", "x,broken", "x,2024-01-10 10:00", "x,2024-01-10 11:00")

    result = read_incidents(path, _options("time=t,id=id"))

    assert result.incidents.height == 1
    assert result.rejects["reason"].to_list() == ["unparseable_time", "duplicate_id"]
    assert result.rejects["detail"][1] == "id 'x' first seen on line 3"


def test_ids_fall_back_to_dataset_and_line_when_missing(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,t", "x,2024-01-10 10:00", ",2024-01-10 11:00")

    ids = read_incidents(path, _options("time=t,id=id")).incidents["incident_id"]

    assert ids.to_list() == ["x", "bxl:3"]


def test_missing_and_zero_coordinates_are_kept_as_unknown(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,lat,lon", "2024-01-10 10:00,,", "2024-01-10 10:00,0,0")

    result = read_incidents(path, _options("time=t,lat=lat,lon=lon", area=BRUSSELS))

    assert result.incidents["lat"].to_list() == [None, None]
    assert result.notes["coordinates_zero_unknown"] == 1


def test_zero_coordinates_can_be_taken_literally(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,lat,lon", "2024-01-10 10:00,0,0")
    options = _options("time=t,lat=lat,lon=lon", area=BRUSSELS, zero_coordinates_unknown=False)

    assert read_incidents(path, options).reasons == {"outside_area": 1}


def test_unreadable_coordinates_become_null_and_are_counted(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,lat,lon", "2024-01-10 10:00,north,4.35")

    result = read_incidents(path, _options("time=t,lat=lat,lon=lon"))

    assert result.incidents["lon"].to_list() == [4.35]
    assert result.incidents["lat"].to_list() == [None]
    assert result.notes["coordinates_unparseable"] == 1


def test_projected_xy_are_converted_to_wgs84(tmp_path: Path) -> None:
    # Brussels Grand-Place in Belgian Lambert 72
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True).transform(
        4.3525, 50.8467
    )
    path = _csv(tmp_path, "t,x,y", f"2024-01-10 10:00,{x},{y}")

    options = _options("time=t,x=x,y=y", xy_crs="EPSG:31370", area=BRUSSELS)
    incident = read_incidents(path, options).incidents

    assert incident["lon"][0] == pytest.approx(4.3525, abs=1e-6)
    assert incident["lat"][0] == pytest.approx(50.8467, abs=1e-6)


def test_an_unknown_crs_is_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,x,y", "2024-01-10 10:00,1,2")

    with pytest.raises(InputError, match="unknown coordinate reference system 'EPSG:99999'"):
        read_incidents(path, _options("time=t,x=x,y=y", xy_crs="EPSG:99999"))


def test_zone_codes_are_cleaned_and_cut_by_a_pattern(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "t,beat,tract", "2024-01-10 10:00,1A10,802.0", "2024-01-10 10:00,UNK, 17 "
    )

    incidents = read_incidents(
        path, _options("time=t,zone=beat,sector=tract", zone_pattern=r"^(\d+)[A-Z]")
    ).incidents

    assert incidents["zone"].to_list() == ["1", None]
    assert incidents["sector"].to_list() == ["802", "17"]


def test_unknown_zones_pass_when_no_zone_list_is_given(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,zone", "2024-01-10 10:00,anything", "2024-01-10 10:00,")

    result = read_incidents(path, _options("time=t,zone=zone", known_zones=frozenset({"5339"})))

    assert result.reasons == {"unknown_zone": 1}
    assert result.incidents["zone"].to_list() == [None]  # no zone is not an unknown zone


def test_categories_are_classified_and_unknown_ones_counted(tmp_path: Path) -> None:
    code = next(iter(OFFENCE_TYPES))
    path = _csv(
        tmp_path,
        "t,kind",
        f"2024-01-10 10:00,{code}",
        "2024-01-10 10:00,UFO",
        "2024-01-10 11:00,UFO",
    )

    result = read_incidents(path, _options("time=t,category=kind", scheme="zonal"))

    assert result.incidents["offence_type"].to_list() == [code, "unclassified", "unclassified"]
    assert result.incidents["cluster"][0] == OFFENCE_TYPES[code].cluster
    assert result.incidents["source_category"].to_list() == [code, "UFO", "UFO"]
    assert result.unclassified.to_dicts() == [{"kind": "UFO", "count": 2}]


def test_several_category_columns_are_kept_verbatim_together(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "t,a,b,c", "2024-01-10 10:00,PROWLP,,SUSPICIOUS", "2024-01-10 10:00,,,OTHER"
    )

    options = _options("time=t,category=a+b", scheme="zonal")

    with pytest.raises(MappingError, match="scheme 'zonal' reads 1 category column"):
        read_incidents(path, options)
    result = read_incidents(path, _options("time=t,category=a+b+c", scheme="portland"))

    assert result.incidents["source_category"].to_list() == ["PROWLP | SUSPICIOUS", "OTHER"]


def test_without_categories_everything_is_unclassified(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t", "2024-01-10 10:00")

    result = read_incidents(path, _options("time=t"))

    assert result.incidents["offence_type"].to_list() == ["unclassified"]
    assert result.unclassified.is_empty()


def test_priorities_read_as_small_integers(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "t,p", "2024-01-10 10:00,2", "2024-01-10 10:00,urgent", "2024-01-10 10:00,999"
    )

    result = read_incidents(path, _options("time=t,priority=p"))

    assert result.incidents["priority"].to_list() == [2, None, None]
    assert result.notes["priority_unparseable"] == 2


def test_priority_rules_read_text(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "t,d",
        "2024-01-10 10:00,ROBBERY - PRIORITY *H",
        "2024-01-10 10:00,THEFT - COLD",
        "2024-01-10 10:00,AREA CHECK",
    )
    rules = (PriorityRule(r"\*H", 1), PriorityRule("PRIORITY", 2), PriorityRule("COLD", 3))

    result = read_incidents(path, _options("time=t,priority=d", priority_rules=rules))

    assert result.incidents["priority"].to_list() == [1, 3, None]
    assert "priority_unparseable" not in result.notes


def test_origin_rules_then_origin_values_then_the_default(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "t,channel,problem,how",
        "2024-01-10 10:00,Phone,ALARM COMMERCIAL,",
        "2024-01-10 10:00,Phone,THEFT,",
        "2024-01-10 10:00,Radio,THEFT,",
        "2024-01-10 10:00,Web,THEFT,Online_Complaint",
        "2024-01-10 10:00,Web,THEFT,",
    )
    rules = (
        OriginRule("problem", "^ALARM", Origin.ALARM),
        OriginRule("channel", "(?i)^phone$", Origin.CITIZEN_CALL),
        OriginRule("channel", "^Radio$", Origin.OFFICER_INITIATED),
    )

    origins = read_incidents(path, _options("time=t,origin=how", origin_rules=rules)).incidents[
        "origin"
    ]

    assert origins.to_list() == [
        "alarm",
        "citizen_call",
        "officer_initiated",
        "online_complaint",
        "unknown",
    ]


def test_keep_values_filters_before_counting(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,agency", "2024-01-10 10:00,POLICE", "2024-01-10 10:00,FIRE", ",POLICE")

    result = read_incidents(path, _options("time=t", keep_values={"agency": frozenset({"POLICE"})}))

    assert result.rows_read == 2
    assert result.notes["filtered_out"] == 1
    assert result.rejects["line"].to_list() == [4]


def test_multi_offence_records_stay_one_incident_and_are_counted(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,n", "2024-01-10 10:00,3", "2024-01-10 10:00,1")

    result = read_incidents(path, _options("time=t", count_column="n"))

    assert result.incidents.height == 2
    assert result.notes["multi_offence_records"] == 1
    assert result.notes["offences_beyond_first"] == 2


def test_write_rejects_puts_a_csv_beside_the_output(tmp_path: Path) -> None:
    path = _csv(tmp_path, "t,zone", "never,5339", "2024-01-10 10:00,5339")
    result = read_incidents(path, _options("time=t,zone=zone"))

    written = write_rejects(result, tmp_path / "incidents.parquet")

    assert written == tmp_path / "incidents.rejects.csv"
    assert pl.read_csv(written, infer_schema=False).to_dicts() == [
        {
            "line": "2",
            "reason": "unparseable_time",
            "detail": result.rejects["detail"][0],
            "t": "never",
            "zone": "5339",
        }
    ]


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("incidents.parquet", "incidents.rejects.csv"),
        ("calls.2024-run3.csv.gz", "calls.2024-run3.rejects.csv"),
        ("mine.rejects.csv", "mine.rejects.csv"),
    ],
)
def test_rejects_file_name_follows_the_output(tmp_path: Path, output: str, expected: str) -> None:
    path = _csv(tmp_path, "t", "2024-01-10 10:00")
    result = read_incidents(path, _options("time=t"))

    written = write_rejects(result, tmp_path / output)

    assert written == tmp_path / expected
    assert pl.read_csv(written).columns == ["line", "reason", "detail", "t"]


_ROW = st.sampled_from(
    [
        "2024-03-31 02:30,5339",  # in the DST gap: shifted, imported
        "2024-10-27 02:30,5339",  # ambiguous: imported
        "2024-01-10 10:00,5339",
        "2024-01-10 10:00,9999",  # unknown zone
        "not a time,5339",
        ",5339",
        "2024-01-10 10:00,5339,surplus",
        "2024-01-10 10:00",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, max_size=30))
def test_incidents_plus_rejects_always_equal_rows_read(tmp_path: Path, rows: list[str]) -> None:
    rows = ["2024-01-10 09:00,5339", *rows]  # a file whose times never parse is refused
    path = _csv(tmp_path, "t,zone", *rows)
    options = _options("time=t,zone=zone", known_zones=frozenset({"5339"}))

    result = read_incidents(path, options)

    assert result.rows_read == len(rows)
    assert result.incidents.height + result.rejects.height == len(rows)
    assert sum(result.reasons.values()) == result.rejects.height
    assert result.rejects["line"].is_sorted()
