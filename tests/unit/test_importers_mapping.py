"""Column mapping text and import options: what users type, and the errors they get."""

from __future__ import annotations

import pytest

from zonal.errors import InputError, MappingError
from zonal.incidents.mapping import TARGETS, ColumnMapping
from zonal.incidents.options import ImportOptions, OriginRule
from zonal.incidents.schema import Origin


def test_parse_reads_the_documented_example() -> None:
    mapping = ColumnMapping.parse("time=occurred_at,zone=beat,category=offense,lat=lat,lon=lon")

    assert mapping.time == "occurred_at"
    assert mapping.zone == "beat"
    assert mapping.category == ("offense",)
    assert (mapping.lat, mapping.lon) == ("lat", "lon")
    assert mapping.incident_id is None


def test_parse_accepts_canonical_names_as_aliases_and_keeps_inner_spaces() -> None:
    mapping = ColumnMapping.parse(
        " occurred_at = Date Occurred , incident_id=Case No, queued_at=Q, closed=C "
    )

    assert mapping.time == "Date Occurred"
    assert mapping.incident_id == "Case No"
    assert mapping.queued_at == "Q"
    assert mapping.closed_at == "C"


def test_category_takes_several_columns_joined_by_plus() -> None:
    mapping = ColumnMapping.parse("time=t,category=final_case + CALL_GROUP+CATEGORY")

    assert mapping.category == ("final_case", "CALL_GROUP", "CATEGORY")


def test_time_may_join_a_date_and_a_time_column() -> None:
    mapping = ColumnMapping.parse("time=DATE OCC + TIME OCC,zone=AREA")

    assert mapping.time_columns == ("DATE OCC", "TIME OCC")
    assert mapping.sources()["time"] == ("DATE OCC", "TIME OCC")
    assert ColumnMapping.parse(mapping.to_text()) == mapping


def test_to_text_round_trips() -> None:
    text = "time=t,id=n,sector=s,x=e,y=n2,category=a+b,priority=p,en_route=r"
    mapping = ColumnMapping.parse(text)

    assert ColumnMapping.parse(mapping.to_text()) == mapping


def test_unknown_target_lists_the_valid_ones() -> None:
    with pytest.raises(MappingError, match="unknown mapping target 'beat'") as caught:
        ColumnMapping.parse("time=t,beat=b")

    assert all(target in str(caught.value) for target in TARGETS)


@pytest.mark.parametrize("text", ["time", "time=", "=t", "time=t,zone"])
def test_bad_syntax_says_how_to_write_pairs(text: str) -> None:
    with pytest.raises(MappingError, match="target=column"):
        ColumnMapping.parse(text)


def test_a_target_given_twice_is_refused() -> None:
    with pytest.raises(MappingError, match="given twice"):
        ColumnMapping.parse("time=a,time=b")


def test_time_is_required() -> None:
    with pytest.raises(MappingError, match="no 'time' target"):
        ColumnMapping.parse("zone=beat")


def test_an_empty_category_column_is_refused() -> None:
    with pytest.raises(MappingError, match="empty column name"):
        ColumnMapping.parse("time=t,category=a+")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time=t,lat=a", "both 'lat' and 'lon'"),
        ("time=t,y=b", "both 'x' and 'y'"),
        ("time=t,lat=a,lon=b,x=c,y=d", "either lat/lon or x/y"),
    ],
)
def test_half_or_double_coordinate_pairs_are_refused(text: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        ColumnMapping.parse(text)


def _options(**overrides: object) -> ImportOptions:
    settings: dict[str, object] = {
        "mapping": ColumnMapping.parse("time=t"),
        "time_zone": "Europe/Brussels",
        "dataset": "test",
    }
    settings.update(overrides)
    return ImportOptions(**settings)  # type: ignore[arg-type]


def test_an_unknown_time_zone_is_named_with_an_example() -> None:
    with pytest.raises(InputError, match="unknown time zone 'Europe/Bruxelles'.*IANA"):
        _options(time_zone="Europe/Bruxelles")


def test_xy_without_a_crs_asks_for_one() -> None:
    with pytest.raises(InputError, match="xy_crs is not set"):
        _options(mapping=ColumnMapping.parse("time=t,x=e,y=n"))


def test_an_area_with_min_above_max_is_refused() -> None:
    with pytest.raises(InputError, match="lon_min, lat_min, lon_max, lat_max"):
        _options(area=(4.5, 50.9, 4.2, 50.7))


def test_an_empty_dataset_name_is_refused() -> None:
    with pytest.raises(InputError, match="dataset name is empty"):
        _options(dataset="  ")


def test_a_zone_pattern_needs_a_group() -> None:
    with pytest.raises(InputError, match="needs a group"):
        _options(zone_pattern=r"^\d+")


def test_a_broken_rule_pattern_is_quoted() -> None:
    with pytest.raises(InputError, match=r"'\(unclosed' is not a regular expression"):
        _options(origin_rules=(OriginRule("t", "(unclosed", Origin.ALARM),))


def test_source_columns_lists_mapped_rule_filter_and_count_columns_once() -> None:
    options = _options(
        mapping=ColumnMapping.parse("time=t,category=a+b,origin=o"),
        origin_rules=(OriginRule("channel", "x", Origin.ALARM),),
        keep_values={"agency": frozenset({"POLICE"})},
        count_column="n",
    )

    assert options.source_columns() == ("t", "a", "b", "o", "channel", "agency", "n")
