"""Shift design with fake solvers: the covering model, tiling checks, fallbacks, breaks."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl
import pytest

from tests.factories import MONDAY, hourly_frame
from zonal.errors import InputError
from zonal.planning import ShiftDesigner, ShiftType
from zonal.planning.shift_model import build_zone_model
from zonal.planning.solvers import GreedyCoverSolver, MipSolution, ScriptedSolver, SolveStatus

THREE_EIGHTS = (
    ShiftType("early", 8, (6,)),
    ShiftType("late", 8, (14,)),
    ShiftType("night", 8, (22,)),
)


def requirement(teams: list[int] | np.ndarray, zone: str = "z") -> pl.DataFrame:
    return hourly_frame({zone: teams}, "teams", dtype=np.int64)


def greedy_designer(**kwargs: object) -> ShiftDesigner:
    return ShiftDesigner(THREE_EIGHTS, solver=GreedyCoverSolver(), n_jobs=1, **kwargs)  # type: ignore[arg-type]


def test_night_shift_wraps_to_monday_morning_on_a_weekly_plan() -> None:
    hours = np.arange(168) % 24
    model = build_zone_model(np.ones(168, np.int64), hours, THREE_EIGHTS[2:], True, True)
    sunday_night = int(np.flatnonzero(model.start == 166)[0])
    covered = model.duty_rows[model.duty_cols == sunday_night]
    assert sorted(covered.tolist()) == [0, 1, 2, 3, 4, 5, 166, 167]


def test_constant_one_team_takes_three_eight_hour_shifts_a_day() -> None:
    plan = greedy_designer().fit(requirement([1] * 168)).plan_
    assert plan.summary["officer_hours"].item() == 168 * 2
    assert plan.starts.group_by("shift").agg(pl.col("teams").sum()).sort("shift").rows() == [
        ("early", 7),
        ("late", 7),
        ("night", 7),
    ]


def test_the_plan_covers_every_required_hour() -> None:
    teams = np.random.default_rng(2).integers(1, 6, 168)
    plan = greedy_designer().fit(requirement(teams)).plan_
    assert plan.coverage["surplus"].min() >= 0
    assert plan.coverage["required"].to_list() == teams.tolist()


def test_shifts_that_do_not_tile_the_day_are_refused_naming_the_hours() -> None:
    only_days = (ShiftType("day", 8, (6,)),)
    with pytest.raises(InputError, match="14:00.*tile the day"):
        ShiftDesigner(only_days, solver=GreedyCoverSolver()).fit(requirement([1] * 168))


def test_uncoverable_hours_without_requirement_are_fine() -> None:
    only_days = (ShiftType("day", 8, (6,)),)
    teams = [1 if 6 <= h % 24 < 14 else 0 for h in range(168)]
    plan = ShiftDesigner(only_days, solver=GreedyCoverSolver()).fit(requirement(teams)).plan_
    assert plan.summary["officer_hours"].item() == 7 * 8 * 2


def test_a_solver_finding_nothing_falls_back_to_the_greedy_plan() -> None:
    nothing = MipSolution(SolveStatus.NO_SOLUTION, None, None, None, None, 5.0, "scripted")
    solver = ScriptedSolver([nothing])
    plan = ShiftDesigner(THREE_EIGHTS, solver=solver).fit(requirement([2] * 168)).plan_
    assert plan.summary["solver"].item() == "greedy"
    assert plan.coverage["surplus"].min() >= 0
    assert solver.calls and solver.calls[0][1] == 5.0


def test_best_found_plan_keeps_its_gap() -> None:
    def best_found(problem: object) -> MipSolution:
        x = GreedyCoverSolver().solve(problem, 1.0).x  # type: ignore[arg-type]
        return MipSolution(SolveStatus.FEASIBLE, x, 100.0, 95.0, 0.05, 1.0, "scripted")

    plan = (
        ShiftDesigner(THREE_EIGHTS, solver=ScriptedSolver([best_found]))
        .fit(requirement([1] * 168))
        .plan_
    )
    assert plan.summary.select("status", "gap").row(0) == ("feasible", 0.05)


def test_uncovered_breaks_reduce_the_middle_hour() -> None:
    with_break = (ShiftType("8h", 8, tuple(range(24)), break_minutes=30),)
    model = build_zone_model(np.ones(24, np.int64), np.arange(24), with_break, True, False)
    first = model.problem.activity(np.eye(model.start.size)[0])
    assert first[:8].tolist() == [1, 1, 1, 1, 0.5, 1, 1, 1]


def test_non_cyclic_horizon_starts_with_shifts_begun_before_it() -> None:
    plan = greedy_designer(cyclic=False).fit(requirement([1] * 24)).plan_
    assert plan.starts["start"].min() == MONDAY - timedelta(hours=2)  # Sunday 22:00 night
    assert plan.summary["officer_hours"].item() == 24 * 2  # only hours inside are paid


def test_several_zones_are_planned_independently() -> None:
    frame = pl.concat([requirement([1] * 168, "a"), requirement([2] * 168, "b")])
    summary = greedy_designer().fit(frame).plan_.summary.sort("unique_id")
    assert summary["officer_hours"].to_list() == [336.0, 672.0]
    assert summary["flat_officer_hours"].to_list() == [336.0, 672.0]


@pytest.mark.parametrize(
    ("hours", "starts", "message"), [(0, (6,), "1 to 24"), (8, (25,), "0..23"), (8, (), "0..23")]
)
def test_impossible_shift_types_are_refused(
    hours: int, starts: tuple[int, ...], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        ShiftType("bad", hours, starts)


def test_no_shift_types_is_refused() -> None:
    with pytest.raises(InputError, match="at least one"):
        ShiftDesigner(()).fit(requirement([1] * 24))


def test_negative_requirements_are_refused() -> None:
    with pytest.raises(InputError, match="negative"):
        greedy_designer().fit(requirement([1] * 23 + [-1]))
