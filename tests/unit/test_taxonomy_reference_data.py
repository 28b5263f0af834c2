"""Every category that occurs in the reference data is covered by its scheme's table."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from zonal.taxonomy import SCHEMES, UNCLASSIFIED, classify, unclassified_counts

pytestmark = pytest.mark.shared_data

FILES = {
    "houston": "houston_incidents_2010.csv.gz",
    "portland": "portland_cfs_2016_08.csv.gz",
    "dispatch-center": "dispatch_center_2025h2.csv.gz",
    "st-louis": "st_louis_crime_2008_2015.csv.gz",
}


def distinct_categories(shared_data: Path, scheme: str) -> pl.DataFrame:
    """The distinct combinations of the scheme's columns in its reference file, with counts."""
    columns = list(SCHEMES[scheme].columns)
    frame = pl.read_csv(shared_data / FILES[scheme], columns=columns, infer_schema=False)
    return frame.group_by(columns).len("rows")


@pytest.mark.parametrize("scheme", sorted(FILES))
def test_every_value_in_the_file_has_a_rule(shared_data: Path, scheme: str) -> None:
    categories = distinct_categories(shared_data, scheme)
    for column in SCHEMES[scheme].columns:
        values = categories[column].unique().drop_nulls()
        resolved = SCHEMES[scheme].resolve(column, values)
        assert values.filter(resolved.is_null()).to_list() == [], f"{scheme}.{column}"


@pytest.mark.parametrize("scheme", sorted(FILES))
def test_unclassified_rows_are_deliberate_or_empty(shared_data: Path, scheme: str) -> None:
    categories = distinct_categories(shared_data, scheme).drop("rows")
    unclassified = unclassified_counts(categories, classify(scheme, categories))
    for row in unclassified.drop("count").iter_rows(named=True):
        deliberate = [
            SCHEMES[scheme].resolve(column, pl.Series([value]))[0] == UNCLASSIFIED
            for column, value in row.items()
            if value is not None
        ]
        # The first column a rule knows decides, so it must be a deliberate "unclassified".
        assert not deliberate or deliberate[0], f"{scheme}: {row}"


def test_houston_has_no_unclassified_incident(shared_data: Path) -> None:
    categories = distinct_categories(shared_data, "houston")
    assert UNCLASSIFIED not in classify("houston", categories)["offence_type"].to_list()


def test_st_louis_code_and_description_agree_on_every_pair(shared_data: Path) -> None:
    # Two independent tables (code ranges and description prefixes) must tell the same story.
    pairs = distinct_categories(shared_data, "st-louis")
    scheme = SCHEMES["st-louis"]
    by_code = scheme.resolve("Crime", pairs["Crime"])
    by_text = scheme.resolve("Description", pairs["Description"])
    disagreements = pairs.filter(by_code != by_text)
    assert disagreements.height == 0, disagreements.rows()[:5]


def test_most_dispatch_police_calls_get_a_real_type(shared_data: Path) -> None:
    frame = pl.read_csv(
        shared_data / FILES["dispatch-center"], columns=["Agency", "Problem"], infer_schema=False
    )
    police = frame.filter(pl.col("Agency") == "POLICE")
    types = classify("dispatch-center", police)["offence_type"]
    assert (types == UNCLASSIFIED).mean() < 0.05
    assert not types.is_in(["medical_emergency", "fire_rescue"]).any()
