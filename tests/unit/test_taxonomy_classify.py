"""classify(): foreign categories to offence types, row for row, with clear errors."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonal.errors import FileFormatError, InputError, MappingError, NotFoundError
from zonal.taxonomy import (
    OFFENCE_TYPES,
    SCHEMES,
    UNCLASSIFIED,
    classify,
    offence_type,
    read_scheme,
    unclassified_counts,
)


def types_of(scheme: str, **columns: list[str | None]) -> list[str]:
    return classify(scheme, pl.DataFrame(columns))["offence_type"].to_list()


def test_houston_offences_map_to_their_types_and_clusters() -> None:
    frame = pl.DataFrame({"offense": ["burglary", "auto theft", "murder", "rape"]})
    result = classify("houston", frame)
    assert result["offence_type"].to_list() == [
        "residential_burglary",
        "vehicle_theft",
        "homicide",
        "sexual_offence",
    ]
    assert result["cluster"].to_list() == [7, 7, 6, 6]


def test_result_has_the_contract_columns_and_types() -> None:
    result = classify("houston", pl.DataFrame({"offense": ["theft"], "beat": ["15E30"]}))
    assert result.schema == pl.Schema({"offence_type": pl.String, "cluster": pl.Int8})


def test_matching_ignores_case_and_surrounding_whitespace() -> None:
    assert types_of("houston", offense=["  AUTO Theft ", "Aggravated  Assault"]) == [
        "vehicle_theft",
        "assault",
    ]


def test_unknown_and_missing_values_become_unclassified_without_cluster() -> None:
    result = classify("houston", pl.DataFrame({"offense": ["arson?", None, "theft"]}))
    assert result["offence_type"].to_list() == [UNCLASSIFIED, UNCLASSIFIED, "other_theft"]
    assert result["cluster"].to_list() == [None, None, 7]


def test_unclassified_values_are_counted_most_frequent_first() -> None:
    frame = pl.DataFrame({"offense": ["jaywalking", "theft", "loitering", "jaywalking", None]})
    counts = unclassified_counts(frame, classify("houston", frame))
    assert counts.rows() == [("jaywalking", 2), ("loitering", 1), (None, 1)]
    assert counts.columns == ["offense", "count"]


def test_counting_refuses_frames_of_different_height() -> None:
    frame = pl.DataFrame({"offense": ["theft", "murder"]})
    with pytest.raises(InputError, match="2 category rows"):
        unclassified_counts(frame, classify("houston", frame.head(1)))


def test_unknown_scheme_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="'chicago'.*houston.*portland"):
        classify("chicago", pl.DataFrame({"offense": ["theft"]}))


def test_missing_column_is_named() -> None:
    with pytest.raises(MappingError, match=r"\['CALL_GROUP', 'CATEGORY'\]"):
        classify("portland", pl.DataFrame({"final_case": ["ROBW"]}))


def test_portland_maps_by_final_case_first_then_falls_back() -> None:
    result = types_of(
        "portland",
        final_case=["ROBW", None, "NEWCODE", None, None],
        CALL_GROUP=["PERSON CRIME", " SUSPICIOUS", "TRAFFIC", None, None],
        CATEGORY=["STREET CRIMES", "OTHER", "OTHER", "MOTOR VEHICLE THEFT", "OTHER"],
    )
    assert result == [
        "robbery",
        "suspicious_situation",
        "traffic_accident",
        "vehicle_theft",
        UNCLASSIFIED,
    ]


@pytest.mark.parametrize(
    ("crime", "expected"),
    [
        (" 10000", "homicide"),
        ("21000", "sexual_offence"),
        ("31111", "robbery"),
        ("41011", "assault"),
        ("41014", "domestic_violence"),
        ("51312", "residential_burglary"),
        ("52212", "commercial_burglary"),
        ("63701", "shoplifting"),
        ("64701", "theft_from_vehicle"),
        ("66701", "bicycle_theft"),
        ("69703", "theft_from_person"),
        ("71013", "vehicle_theft"),
        ("81000", "arson"),
        ("91114", "domestic_violence"),
        ("100000", "other_fraud"),
        ("115400", "identity_theft"),
        ("182400", "drugs"),
        ("211000", "traffic_offence"),
        ("265321", "traffic_accident"),
        ("191100", UNCLASSIFIED),
    ],
)
def test_st_louis_codes_map_along_the_ucr_hierarchy(crime: str, expected: str) -> None:
    assert types_of("st-louis", Crime=[crime], Description=[None]) == [expected]


def test_st_louis_patterns_only_match_digits_of_the_right_length() -> None:
    # 1xxxx is homicide; neither a six-digit code nor letters may pass for it.
    result = types_of(
        "st-louis",
        Crime=["1abcd", "199999", "12345"],
        Description=["no such text", None, None],
    )
    assert result == [UNCLASSIFIED, UNCLASSIFIED, "homicide"]


def test_st_louis_falls_back_to_the_description() -> None:
    result = types_of(
        "st-louis",
        Crime=[None, "999999"],
        Description=["LARCENY-SHOPLIFT UNDER $500", "burglary-business/day/force ent"],
    )
    assert result == ["shoplifting", "commercial_burglary"]


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("ALARM RESIDENTIAL", "alarm"),
        ("BURGLARY RESIDENTIAL IN PROG", "residential_burglary"),
        ("LARCENY FROM AUTO DELAY", "theft_from_vehicle"),
        ("LARCENY OTHER DELAY", "other_theft"),
        ("DOMESTIC VIOL NO INJ", "domestic_violence"),
        ("CHEST PAIN ALS 1", "medical_emergency"),
        ("MUTUAL ALS TRAUMA", "medical_emergency"),
        ("MUTUAL GAS LEAK", "fire_rescue"),
        ("WALK IN HQ LOBBY", UNCLASSIFIED),
    ],
)
def test_dispatch_problems_map_by_their_most_specific_rule(problem: str, expected: str) -> None:
    assert types_of("dispatch-center", Problem=[problem]) == [expected]


def test_zonal_scheme_is_the_identity_on_our_codes() -> None:
    codes = sorted(OFFENCE_TYPES)
    result = classify("zonal", pl.DataFrame({"offence_type": codes}))
    assert result["offence_type"].to_list() == codes
    assert result["cluster"].to_list() == [offence_type(code).cluster for code in codes]


def test_schemes_describe_their_columns() -> None:
    assert SCHEMES["portland"].columns == ("final_case", "CALL_GROUP", "CATEGORY")
    assert SCHEMES["st-louis"].columns == ("Crime", "Description")
    assert all(scheme.description for scheme in SCHEMES.values())


HOUSTON_LIKE = st.sampled_from(
    ["theft", "BURGLARY", " auto theft", "murder", "jaywalking", "", None, "rape "]
)


@settings(deadline=None)  # speed belongs in bench/, not in a test
@given(st.lists(HOUSTON_LIKE, max_size=30))
def test_each_row_is_classified_on_its_own_in_input_order(values: list[str | None]) -> None:
    together = types_of("houston", offense=values)
    one_by_one = [types_of("houston", offense=[value])[0] for value in values]
    assert together == one_by_one


def write_rules(folder: Path, *lines: str) -> Path:
    path = folder / "rules.csv"
    path.write_text("column,match,value,offence_type,note\n" + "\n".join(lines) + "\n")
    return path


def test_a_user_scheme_prefers_exact_then_the_most_specific_rule(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        "code,prefix,THEFT,other_theft,",
        "code,prefix,THEFT BIKE,bicycle_theft,",
        "code,exact,THEFT BIKE RECOVERED,lost_documents,",
        "code,pattern,9xx,alarm,",
        "code,pattern,95x,nuisance,",
        "code,pattern,9x5,drugs,equally specific as 95x but listed later",
    )
    scheme = read_scheme(path, "mine", ("code",))
    result = classify(
        scheme,
        pl.DataFrame(
            {"code": ["theft car", "theft bike blue", "Theft Bike Recovered", "912", "953", "955"]}
        ),
    )
    assert result["offence_type"].to_list() == [
        "other_theft",
        "bicycle_theft",
        "lost_documents",
        "alarm",
        "nuisance",
        "nuisance",
    ]


def test_a_deliberate_unclassified_stops_the_fallback(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        "code,exact,MISC,unclassified,says nothing",
        "group,exact,PROPERTY,other_theft,",
    )
    scheme = read_scheme(path, "mine", ("code", "group"))
    frame = pl.DataFrame({"code": ["MISC", None], "group": ["PROPERTY", "PROPERTY"]})
    assert classify(scheme, frame)["offence_type"].to_list() == [UNCLASSIFIED, "other_theft"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("code,exact,MISC,unclassified,", "without a note"),
        ("code,exact,MISC,pickpocketing,", "offence_type 'pickpocketing' is not in"),
        ("kind,exact,MISC,other_theft,", "column 'kind' is not one of"),
        ("code,regex,MISC,other_theft,", "match 'regex' must be one of"),
        ("code,exact,  ,other_theft,", "the value is empty"),
    ],
)
def test_a_broken_rule_is_refused_with_its_row(tmp_path: Path, line: str, message: str) -> None:
    path = write_rules(tmp_path, "code,exact,OK,other_theft,", line)
    with pytest.raises(FileFormatError, match=f"data row 2: .*{message}"):
        read_scheme(path, "mine", ("code",))


def test_a_rule_listed_twice_is_refused(tmp_path: Path) -> None:
    path = write_rules(tmp_path, "code,exact,Theft,other_theft,", "code,exact, THEFT ,robbery,")
    with pytest.raises(
        FileFormatError, match="exact rule 'Theft' for column 'code' is listed 2 times"
    ):
        read_scheme(path, "mine", ("code",))


def test_a_table_without_the_documented_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text("source,target\nTHEFT,other_theft\n")
    with pytest.raises(FileFormatError, match="lacks column"):
        read_scheme(path, "mine", ("source",))
