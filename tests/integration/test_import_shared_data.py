"""Each reference file imports with its preset: every row accounted for, counts as documented."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from zonal.incidents.options import ImportResult
from zonal.incidents.presets import PRESETS, read_with_preset
from zonal.incidents.schema import DISPATCH_TIMES, INCIDENT_SCHEMA

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def imported(shared_data: Path) -> dict[str, ImportResult]:
    return {name: read_with_preset(shared_data / p.file, name) for name, p in PRESETS.items()}


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_row_is_imported_or_rejected_with_a_reason(
    imported: dict[str, ImportResult], name: str
) -> None:
    result = imported[name]

    assert result.incidents.height + result.rejects.height == result.rows_read
    assert sum(result.reasons.values()) == result.rejects.height
    assert result.incidents.schema == pl.Schema(INCIDENT_SCHEMA)
    assert result.incidents["incident_id"].is_unique().all()
    assert result.rejects["reason"].null_count() == 0


def test_houston_reads_all_86314_rows(imported: dict[str, ImportResult]) -> None:
    result = imported["houston"]

    assert result.rows_read == 86_314
    # only geocoding misses far outside Houston are rejected
    assert set(result.reasons) == {"outside_area"}
    assert result.reasons["outside_area"] < 300
    assert result.incidents["zone"].drop_nulls().n_unique() == 23  # districts 1..24, no 22
    assert result.incidents["sector"].n_unique() == 121
    assert set(result.incidents["time_resolution"]) == {"hour"}
    assert result.unclassified.is_empty()
    assert result.notes["multi_offence_records"] == 827


def test_portland_has_dates_places_and_priorities(imported: dict[str, ImportResult]) -> None:
    result = imported["portland-nij"]
    incidents = result.incidents

    assert result.rows_read == 19_376
    assert result.reasons == {"missing_time": 1}  # the file's one empty row
    assert set(incidents["time_resolution"]) == {"day"}
    # feet in EPSG:2913 land around downtown Portland (45.52 N, 122.65 W), none outside
    assert incidents["lat"].median() == pytest.approx(45.52, abs=0.03)
    assert incidents["lon"].median() == pytest.approx(-122.65, abs=0.05)
    assert set(incidents["priority"].drop_nulls()) == {1, 2, 3}


def test_dispatch_keeps_the_18989_police_calls(imported: dict[str, ImportResult]) -> None:
    result = imported["dispatch-center"]
    incidents = result.incidents

    assert result.rows_read == 18_989
    assert result.notes["filtered_out"] == 28_751 - 18_989
    assert result.rejects.is_empty()
    assert set(incidents["origin"]) == {"citizen_call", "officer_initiated", "alarm", "unknown"}
    assert incidents["dispatched_at"].null_count() == 0
    for name in DISPATCH_TIMES:  # the fall-back night never puts a step before the call
        assert (incidents[name] < incidents["occurred_at"]).sum() == 0


def test_dispatch_can_keep_every_agency(shared_data: Path) -> None:
    path = shared_data / PRESETS["dispatch-center"].file

    result = read_with_preset(path, "dispatch-center", agencies=None)

    assert result.rows_read == 28_751
    assert "filtered_out" not in result.notes


def test_st_louis_rejects_cancellations_by_their_own_reason(
    imported: dict[str, ImportResult],
) -> None:
    result = imported["st-louis"]
    incidents = result.incidents

    assert result.rows_read == 445_326
    assert result.reasons["cancellation"] == 7_382
    assert set(result.reasons) <= {"cancellation", "duplicate_id", "outside_area"}
    assert result.notes["coordinates_zero_unknown"] > 0
    assert result.notes["dst_gap_shifted"] > 0
    assert set(incidents["zone"].drop_nulls()) == {str(d) for d in range(1, 10)}
    assert incidents["lat"].drop_nulls().is_between(38.4, 38.9).all()
