"""SeriesKey: the series id AREA|CLUSTER read, written and described, row by row and by column."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonal.errors import InputError
from zonal.forecasting.series_key import TOTAL, TOTAL_KEY, SeriesKey

# id -> (area, cluster, zone, parent area, area name, depth, level), written out by hand
KNOWN = {
    "all|all": ("all", "all", "all", None, "all", 0, "total"),
    "all|3": ("all", "3", "all", None, "all", 0, "total+cluster"),
    "5339|all": ("5339", "all", "5339", "all", "5339", 1, "zone"),
    "5339|none": ("5339", "none", "5339", "all", "5339", 1, "zone+cluster"),
    "5339/5339-01|3": ("5339/5339-01", "3", "5339", "5339", "5339-01", 2, "sector+cluster"),
    "5339/5339-01/b|all": ("5339/5339-01/b", "all", "5339", "5339/5339-01", "b", 3, "sub-sector"),
    "province:40000|all": (
        "province:40000",
        "all",
        "province:40000",
        "all",
        "province:40000",
        1,
        "province",
    ),
    "region:02000|7": (
        "region:02000",
        "7",
        "region:02000",
        "all",
        "region:02000",
        1,
        "region+cluster",
    ),
    "1A10|all": ("1A10", "all", "1A10", "all", "1A10", 1, "zone"),  # a beat as a top area
}
HOSTILE = ["a|b|c", "|3", "5339|", "|", "", "5339", "5339 all", "||", "a||b"]

part = st.text(st.characters(blacklist_characters="|", blacklist_categories=("Cs",)), min_size=1)
keys = st.builds(SeriesKey, part, part)
# ids with the shapes the hierarchy makes: areas of path steps, groups, the total
step = st.sampled_from(["5339", "5340", "01", "1A10", "unknown", "x y"])
area = st.one_of(
    st.just(TOTAL),
    st.lists(step, min_size=1, max_size=4).map("/".join),
    st.sampled_from(["province:40000", "region:02000"]),
)
shaped = st.builds(SeriesKey, area, st.sampled_from([TOTAL, "none", "1", "12"]))


@pytest.mark.parametrize("text", sorted(KNOWN))
def test_hand_written_ids_are_read_into_their_parts(text: str) -> None:
    key = SeriesKey.parse(text)
    seen = (key.area, key.cluster, key.zone, key.parent_area, key.area_name, key.depth, key.level)
    assert seen == KNOWN[text]
    assert key.is_area_total == text.endswith("|all")
    assert key.is_total == (text == "all|all")
    assert key.is_group == (":" in text)


def test_the_area_path_runs_from_the_top_down() -> None:
    assert SeriesKey.parse("5339/5339-01/b|3").area_path == (
        "5339",
        "5339/5339-01",
        "5339/5339-01/b",
    )
    assert SeriesKey.parse("5339|all").area_path == ("5339",)
    assert SeriesKey.parse("all|all").area_path == ()


def test_an_area_covers_itself_and_the_areas_below_it_only() -> None:
    zone = SeriesKey.parse("53|all")
    assert zone.covers_area(SeriesKey.parse("53/a|1"))
    assert zone.covers_area(SeriesKey.parse("53|2"))
    assert not zone.covers_area(SeriesKey.parse("539/a|1"))  # a prefix of the name is no parent
    assert TOTAL_KEY.covers_area(zone) and not zone.covers_area(TOTAL_KEY)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_malformed_id_is_refused_quoting_it_and_the_expected_form(text: str) -> None:
    with pytest.raises(InputError, match="AREA\\|CLUSTER") as raised:
        SeriesKey.parse(text)
    assert repr(text) in str(raised.value)


@pytest.mark.parametrize(("area", "cluster"), [("a|b", "1"), ("a", "1|2"), ("", "1"), ("a", "")])
def test_a_key_cannot_be_built_from_parts_that_would_not_read_back(area: str, cluster: str) -> None:
    with pytest.raises(InputError, match="AREA\\|CLUSTER"):
        SeriesKey(area, cluster)


def test_keys_compare_by_value_and_write_the_id() -> None:
    assert SeriesKey.parse("5339|3") == SeriesKey("5339", "3")
    assert {SeriesKey("5339", "3"), SeriesKey.parse("5339|3")} == {SeriesKey("5339", "3")}
    assert SeriesKey("5339", "3") != SeriesKey("5339", "all")
    assert str(SeriesKey("province:40000", "all")) == "province:40000|all"
    assert str(TOTAL_KEY) == "all|all"


def test_a_plain_id_is_an_area_of_its_own() -> None:
    assert SeriesKey.parse_or_area("5339") == SeriesKey("5339", "all")
    assert SeriesKey.parse_or_area("5339|3") == SeriesKey("5339", "3")
    with pytest.raises(InputError, match="'a\\|b\\|c'"):
        SeriesKey.parse_or_area("a|b|c")


@given(keys)
def test_every_key_reads_back_from_its_id(key: SeriesKey) -> None:
    assert SeriesKey.parse(str(key)) == key


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
def test_any_text_with_one_inner_bar_reads_back_and_any_other_is_refused(text: str) -> None:
    well_formed = text.count("|") == 1 and not text.startswith("|") and not text.endswith("|")
    try:
        key = SeriesKey.parse(text)
    except InputError:
        assert not well_formed
    else:
        assert well_formed and str(key) == text


def _frame(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"unique_id": texts}, schema={"unique_id": pl.String})


def test_the_column_helpers_read_hand_written_ids() -> None:
    texts = sorted(KNOWN)
    read = _frame(texts).select(
        area=SeriesKey.area_expr(),
        cluster=SeriesKey.cluster_expr(),
        name=SeriesKey.area_name_expr(),
        level=SeriesKey.level_expr(),
    )
    assert read.rows() == [(KNOWN[t][0], KNOWN[t][1], KNOWN[t][4], KNOWN[t][6]) for t in texts]


def test_the_column_helpers_test_hand_written_ids() -> None:
    frame = _frame(["5339|all", "5339|3", "53|all", "5339/01|all", "all|all", "a|b|c", "5339"])
    tested = frame.select(
        total=SeriesKey.is_area_total_expr(),
        of_5339=SeriesKey.of_area_expr("5339"),
        well_formed=SeriesKey.is_key_expr(pl.col("unique_id")),
    )
    assert tested["total"].to_list() == [True, False, True, True, True, False, False]
    assert tested["of_5339"].to_list() == [True, True, False, False, False, False, False]
    assert tested["well_formed"].to_list() == [True, True, True, True, True, False, False]


def test_ids_are_built_by_column_and_null_where_a_part_is_missing() -> None:
    parts = pl.DataFrame({"area": ["5339", "all", None], "cluster": ["3", "all", "1"]})
    built = parts.select(SeriesKey.build_expr(pl.col("area"), pl.col("cluster")))
    assert built.to_series().to_list() == ["5339|3", "all|all", None]


@given(st.lists(shaped, min_size=1, max_size=20))
def test_the_column_helpers_agree_with_the_key(found: list[SeriesKey]) -> None:
    frame = _frame([str(k) for k in found]).with_columns(
        area=SeriesKey.area_expr(), cluster=SeriesKey.cluster_expr()
    )
    read = frame.select(
        SeriesKey.build_expr(pl.col("area"), pl.col("cluster")).alias("id"),
        "area",
        "cluster",
        SeriesKey.level_expr().alias("level"),
        SeriesKey.area_name_expr().alias("name"),
        SeriesKey.is_area_total_expr().alias("total"),
        SeriesKey.is_key_expr().alias("key"),
    )
    assert read.rows() == [
        (str(k), k.area, k.cluster, k.level, k.area_name, k.is_area_total, True) for k in found
    ]


@given(keys)
def test_the_area_and_cluster_columns_read_any_key(key: SeriesKey) -> None:
    frame = _frame([str(key)])
    read = frame.select(SeriesKey.area_expr(), SeriesKey.cluster_expr().alias("c")).row(0)
    assert read == (key.area, key.cluster)
