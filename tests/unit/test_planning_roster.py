"""Rosters without CP-SAT: the compiled rules, hand-checked rosters, the greedy solver."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from tests.factories import SHIFT_STARTS, roster_slot
from zonal.errors import InputError
from zonal.planning import GreedyRosterSolver, Officer, RestRules, Rosterer, RosterSlot
from zonal.planning.roster import (
    RosterProblem,
    RosterWeights,
    assignment_from_frame,
    slots_from_plan,
    violations,
)
from zonal.planning.roster.compile import compile_problem

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY = date(2025, 3, 3)


def rules_of(**overrides: float) -> RestRules:
    """Rest rules with room for overtime, so that a test sees only the rule it is about."""
    return RestRules(**{"max_overtime_hours": 100.0, **overrides})


def compiled(officers: list[Officer], slots: list[RosterSlot], **rules: float) -> RosterProblem:
    return compile_problem(officers, slots, rules_of(**rules), RosterWeights(), "Europe/Brussels")


def assignment_of(problem: RosterProblem, *worked: int) -> np.ndarray:
    """One unit working the slots with the given indices (slots sorted by start)."""
    matrix = np.zeros(problem.allowed.shape, dtype=bool)
    matrix[0, list(worked)] = True
    return matrix


def greedy(officers: list[Officer], slots: list[RosterSlot], **rules: float) -> Rosterer:
    return Rosterer(rules_of(**rules), solver=GreedyRosterSolver()).fit(officers, slots)


def test_late_then_early_breaks_the_eleven_hour_rest() -> None:
    problem = compiled([Officer("a")], [roster_slot(0, "late"), roster_slot(1, "early")])
    found = violations(problem, assignment_of(problem, 0, 1))
    assert len(found) == 1 and "under 11 h rest" in found[0]


def test_early_then_late_next_day_is_allowed() -> None:
    problem = compiled([Officer("a")], [roster_slot(0, "early"), roster_slot(1, "late")])
    assert violations(problem, assignment_of(problem, 0, 1)) == []


def test_night_then_late_next_day_depends_on_the_minimum_rest() -> None:
    slots = [roster_slot(0, "night"), roster_slot(1, "late")]  # 06:00 to 14:00: eight hours of rest
    strict = compiled([Officer("a")], slots)
    lenient = compiled([Officer("a")], slots, min_rest_hours=8)
    assert violations(strict, assignment_of(strict, 0, 1))
    assert violations(lenient, assignment_of(lenient, 0, 1)) == []


def test_two_shifts_on_one_day_are_a_conflict_even_with_rest() -> None:
    problem = compiled(
        [Officer("a")], [roster_slot(0, "early"), roster_slot(0, "night")], min_rest_hours=0
    )
    assert violations(problem, assignment_of(problem, 0, 1))


def test_seven_days_in_a_row_break_the_six_day_rule() -> None:
    problem = compiled([Officer("a")], [roster_slot(d, "early") for d in range(8)])
    assert any(
        "7 consecutive working days" in v
        for v in violations(problem, assignment_of(problem, *range(7)))
    )
    assert violations(problem, assignment_of(problem, 0, 1, 2, 3, 4, 5, 7)) == []


def test_four_nights_in_a_row_break_the_three_night_rule() -> None:
    problem = compiled([Officer("a")], [roster_slot(d, "night") for d in range(4)])
    assert any(
        "4 consecutive nights" in v for v in violations(problem, assignment_of(problem, 0, 1, 2, 3))
    )


def test_night_shifts_are_recognised_by_their_hours() -> None:
    problem = compiled(
        [Officer("a")], [roster_slot(0, "early"), roster_slot(0, "late"), roster_slot(0, "night")]
    )
    assert problem.night.tolist() == [False, False, True]


def test_leave_and_night_exemptions_forbid_slots() -> None:
    officers = [Officer("a", unavailable=frozenset({MONDAY})), Officer("b", nights=False)]
    problem = compiled(officers, [roster_slot(0, "early"), roster_slot(1, "night")])
    assert problem.allowed.tolist() == [[False, True], [True, False]]


def test_fixed_partners_are_one_unit_of_two() -> None:
    officers = [Officer("a", team="t1"), Officer("b", team="t1"), Officer("c")]
    problem = compiled(officers, [roster_slot(0, "early", officers=2)])
    assert problem.size.tolist() == [2, 1]


def test_part_time_officers_get_a_proportional_fair_share_of_nights() -> None:
    officers = [Officer("full", 38.0), Officer("part", 19.0)]
    problem = compiled(officers, [roster_slot(d, "night", officers=1) for d in range(28)])
    low, high = problem.night_band.T
    assert high[0] > high[1] and low[0] > low[1]


def test_leave_lowers_the_contract_target() -> None:
    week = frozenset(MONDAY + timedelta(days=k) for k in range(7))
    problem = compiled(
        [Officer("a"), Officer("b", unavailable=week)], [roster_slot(d, "early") for d in range(28)]
    )
    assert problem.target_hours.tolist() == pytest.approx([152.0, 114.0])


def test_greedy_roster_respects_rest_and_reports_what_is_uncovered() -> None:
    roster = greedy([Officer("a")], [roster_slot(0, "late"), roster_slot(1, "early")]).roster_
    assert roster.assignments["shift"].to_list() == ["late"]
    assert roster.uncovered["shift"].to_list() == ["early"]
    assert roster.short_officer_hours == 8.0


def test_short_staffed_zone_gets_a_roster_and_the_list_of_gaps() -> None:
    officers = [Officer(f"o{i}") for i in range(3)]
    slots = [roster_slot(d, s, officers=2) for d in range(7) for s in SHIFT_STARTS]
    roster = greedy(officers, slots).roster_
    assert roster.assignments.height > 0
    assert roster.uncovered.height > 0
    assert roster.short_officer_hours == float((roster.coverage["short"] * 8).sum())


def test_greedy_roster_never_breaks_a_hard_rule() -> None:
    rng = np.random.default_rng(4)
    officers = [
        Officer(
            f"o{i}", contract_hours=float(rng.choice([38.0, 30.4])), nights=bool(rng.random() < 0.8)
        )
        for i in range(12)
    ]
    slots = [
        roster_slot(d, s, officers=int(rng.integers(1, 3))) for d in range(28) for s in SHIFT_STARTS
    ]
    fitted = greedy(officers, slots)
    assignment = assignment_from_frame(fitted.problem_, fitted.roster_.assignments)
    assert assignment.sum() > 0
    assert violations(fitted.problem_, assignment) == []


def test_skills_are_filled_first_and_missing_ones_reported() -> None:
    officers = [Officer("nl"), Officer("fr", skills=frozenset({"fr"}))]
    roster = greedy(officers, [roster_slot(0, "early", officers=1, fr=1)]).roster_
    assert roster.assignments["officer_id"].to_list() == ["fr"]
    short = greedy([Officer("nl")], [roster_slot(0, "early", officers=1, fr=1)]).roster_
    assert short.uncovered["skills_short"].to_list() == [1]


def test_officer_hours_stay_under_the_contract() -> None:
    slots = [roster_slot(d, "early") for d in range(7)]
    roster = greedy([Officer("a", contract_hours=16.0)], slots, max_overtime_hours=0).roster_
    assert roster.officers["hours"].item() == 16.0


def test_no_officers_is_refused() -> None:
    with pytest.raises(InputError, match="no officers"):
        greedy([], [roster_slot(0, "early")])


def test_no_slots_is_refused() -> None:
    with pytest.raises(InputError, match="no shifts"):
        greedy([Officer("a")], [])


def test_duplicate_officers_are_refused_by_name() -> None:
    with pytest.raises(InputError, match="'a'"):
        greedy([Officer("a"), Officer("a")], [roster_slot(0, "early")])


def test_naive_slot_times_are_refused() -> None:
    naive = RosterSlot("early", datetime(2025, 3, 3, 6), 8, 1)
    with pytest.raises(InputError, match="naive"):
        greedy([Officer("a")], [naive])


def test_plan_weeks_repeat_on_the_wall_clock_across_daylight_saving() -> None:
    # 2025-03-30 is the spring change in Brussels: 06:00 must stay 06:00 local.
    start = datetime(2025, 3, 24, 6, tzinfo=BRUSSELS)
    starts = pl.DataFrame(
        {"unique_id": "z", "shift": "early", "start": [start], "hours": 8, "teams": 2}
    ).with_columns(pl.col("start").dt.convert_time_zone("UTC"))
    slots = slots_from_plan(starts, weeks=2, team_size=2)
    assert [s.start.astimezone(BRUSSELS).hour for s in slots] == [6, 6]
    assert [s.officers for s in slots] == [4, 4]


def test_plan_with_several_zones_must_be_filtered_first() -> None:
    starts = pl.DataFrame(
        {
            "unique_id": ["a", "b"],
            "shift": "x",
            "start": [datetime(2025, 3, 3, tzinfo=BRUSSELS)] * 2,
            "hours": 8,
            "teams": 1,
        }
    )
    with pytest.raises(InputError, match="several zones"):
        slots_from_plan(starts)


def test_a_hand_edited_roster_is_checked_against_the_rules() -> None:
    fitted = greedy([Officer("a")], [roster_slot(0, "late"), roster_slot(1, "early")])
    problem = fitted.problem_
    late, early = problem.slots
    edited = pl.DataFrame(
        {"officer_id": ["a", "a"], "shift": ["late", "early"], "start": [late.start, early.start]}
    )
    assert violations(problem, assignment_from_frame(problem, edited))
    with pytest.raises(InputError, match="unknown officer"):
        assignment_from_frame(problem, edited.with_columns(officer_id=pl.lit("zz")))
