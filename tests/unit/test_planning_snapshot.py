"""Plan snapshots: a plan read back from its bytes is the plan that was computed."""

from __future__ import annotations

import pytest
from polars.testing import assert_frame_equal

from zonal.errors import InputError
from zonal.planning.demo import DEMO_TIME_ZONE, demo_outcome
from zonal.planning.plans import ZonePlan, zone_plan
from zonal.planning.roster import GreedyRosterSolver
from zonal.planning.snapshot import (
    pack_summary,
    pack_zone_plan,
    summarise,
    unpack_summary,
    unpack_zone_plan,
)


@pytest.fixture(scope="module")
def plan() -> ZonePlan:
    return zone_plan(demo_outcome(), "5342", DEMO_TIME_ZONE, solver=GreedyRosterSolver())


def test_a_zone_plan_survives_its_snapshot_with_types_and_time_zones(plan: ZonePlan) -> None:
    back = unpack_zone_plan(pack_zone_plan(plan))
    assert (back.zone, back.time_zone, back.comparison) == (
        plan.zone,
        plan.time_zone,
        plan.comparison,
    )
    assert back.curve["ds"].dtype.time_zone == DEMO_TIME_ZONE  # type: ignore[attr-defined]
    for name in ("curve", "starts"):
        assert_frame_equal(getattr(back, name), getattr(plan, name))
    for name in ("assignments", "coverage", "officers"):
        assert_frame_equal(getattr(back.roster, name), getattr(plan.roster, name))
    assert back.roster.status is plan.roster.status
    assert back.roster.short_officer_hours == plan.roster.short_officer_hours


def test_a_summary_has_one_row_per_zone_with_its_solve_status() -> None:
    summary = summarise(demo_outcome())
    assert sorted(summary.zones["unique_id"]) == ["5339", "5340", "5341", "5342", "5343", "5344"]
    assert {"status", "gap", "plan_officer_hours"} <= set(summary.zones.columns)
    assert_frame_equal(unpack_summary(pack_summary(summary)).zones, summary.zones)


def test_damaged_or_foreign_bytes_are_refused_saying_to_recompute(plan: ZonePlan) -> None:
    with pytest.raises(InputError, match="damaged"):
        unpack_zone_plan(b"not a zip")
    with pytest.raises(InputError, match="not a zone plan snapshot"):
        unpack_zone_plan(pack_summary(summarise(demo_outcome())))
    packed = pack_zone_plan(plan)
    with pytest.raises(InputError, match="not a summary"):
        unpack_summary(packed)
