"""The real solvers (HiGHS, CP-SAT) on hand-checked problems, and their contracts."""

from __future__ import annotations

import itertools
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from tests.factories import MONDAY, SHIFT_STARTS, hourly_frame, roster_slot
from zonal.planning import (
    CpSatRosterSolver,
    GreedyRosterSolver,
    Officer,
    PatrolAllocator,
    RestRules,
    Rosterer,
    ShiftDesigner,
    ShiftType,
    travel_minutes,
)
from zonal.planning.roster import assignment_from_frame, violations
from zonal.planning.shift_model import build_zone_model
from zonal.planning.solvers import GreedyCoverSolver, HighsSolver, SolveStatus

BRUSSELS = ZoneInfo("Europe/Brussels")


def requirement(teams: np.ndarray) -> pl.DataFrame:
    return hourly_frame({"z": teams}, "teams", dtype=np.int64)


@pytest.mark.parametrize("solver", [HighsSolver(), GreedyCoverSolver()], ids=lambda s: s.name)
def test_every_covering_solver_returns_a_cover_and_the_same_one_twice(solver: object) -> None:
    teams = np.random.default_rng(7).integers(1, 5, 168)
    model = build_zone_model(
        teams, np.arange(168) % 24, (ShiftType("8h", 8, tuple(range(24))),), True, True
    )
    first = solver.solve(model.problem, 5.0)  # type: ignore[attr-defined]
    second = solver.solve(model.problem, 5.0)  # type: ignore[attr-defined]
    assert first.status.has_solution and first.x is not None and second.x is not None
    assert first.x.shape == (model.problem.n_cols,)
    assert (model.problem.activity(first.x) >= teams).all()
    assert np.array_equal(first.x, second.x)


def test_highs_finds_the_optimum_greedy_may_miss() -> None:
    teams = np.random.default_rng(11).integers(1, 6, 168)
    optimal = ShiftDesigner(n_jobs=1).fit(requirement(teams)).plan_.summary.row(0, named=True)
    greedy = ShiftDesigner(solver=GreedyCoverSolver()).fit(requirement(teams)).plan_.summary
    assert optimal["status"] == "optimal" and optimal["gap"] <= 1e-4
    assert optimal["officer_hours"] <= greedy["officer_hours"].item()
    assert optimal["officer_hours"] >= optimal["required_officer_hours"]


def test_three_eights_cover_one_team_exactly() -> None:
    kinds = tuple(ShiftType(name, 8, (hour,)) for name, hour in SHIFT_STARTS.items())
    plan = ShiftDesigner(kinds).fit(requirement(np.ones(168, np.int64))).plan_
    assert plan.summary["officer_hours"].item() == 168 * 2
    assert plan.coverage["surplus"].max() == 0


def test_a_tight_time_limit_still_gives_a_covering_plan() -> None:
    teams = np.random.default_rng(3).integers(2, 12, 168)
    designer = ShiftDesigner(breaks_cover=False, time_limit=0.05, n_jobs=1)
    plan = designer.fit(requirement(teams)).plan_
    row = plan.summary.row(0, named=True)
    assert row["status"] in {"optimal", "feasible"}
    assert row["solver"] in {"highs", "greedy"}
    assert plan.coverage["planned"].min() >= 0
    model = designer.models_[0]
    x = np.zeros(model.problem.n_cols)
    for r in plan.starts.iter_rows(named=True):
        offset = int((r["start"] - MONDAY).total_seconds() // 3600)
        column = np.flatnonzero(
            (model.start == offset) & (np.array(model.shift_names) == r["shift"])
        )
        x[column[0]] = r["teams"]
    assert (model.problem.activity(x) >= teams - 1e-9).all()


# CP-SAT is reproducible with one worker; with several, workers race and an equally good
# roster may come back.
@pytest.mark.parametrize(
    "solver", [CpSatRosterSolver(num_workers=1), GreedyRosterSolver()], ids=lambda s: s.name
)
def test_every_roster_solver_keeps_the_rules_and_is_reproducible(solver: object) -> None:
    officers = [Officer(f"o{i}", nights=i % 3 != 0) for i in range(6)]
    slots = [roster_slot(d, s, officers=1) for d in range(14) for s in SHIFT_STARTS]
    first = Rosterer(solver=solver, time_limit=5.0).fit(officers, slots)  # type: ignore[arg-type]
    second = Rosterer(solver=solver, time_limit=5.0).fit(officers, slots)  # type: ignore[arg-type]
    assert first.roster_.status.has_solution
    assert first.roster_.coverage.height == len(slots)
    assert first.roster_.assignments.equals(second.roster_.assignments)


def test_cp_sat_covers_a_feasible_roster_completely_and_fairly() -> None:
    officers = [Officer(f"o{i}") for i in range(8)]
    slots = [roster_slot(d, s, officers=1) for d in range(28) for s in SHIFT_STARTS]
    roster = Rosterer(solver=CpSatRosterSolver(), time_limit=10.0).fit(officers, slots).roster_
    assert roster.short_officer_hours == 0
    nights = roster.officers["nights"]
    assert nights.max() - nights.min() <= 3


def test_cp_sat_honours_rest_on_a_hand_checked_pair() -> None:
    # One officer, a late shift then the next early: only one can be worked.
    roster = (
        Rosterer(RestRules(max_overtime_hours=16), solver=CpSatRosterSolver())
        .fit([Officer("a")], [roster_slot(0, "late"), roster_slot(1, "early")])
        .roster_
    )
    assert roster.assignments.height == 1 and roster.uncovered.height == 1
    assert roster.status is SolveStatus.OPTIMAL


def test_cp_sat_beats_or_matches_greedy_on_a_short_staffed_zone() -> None:
    rng = np.random.default_rng(2)
    officers = [Officer(f"o{i}", contract_hours=float(rng.choice([38.0, 30.4]))) for i in range(10)]
    slots = [roster_slot(d, s, officers=3) for d in range(28) for s in SHIFT_STARTS]
    exact = Rosterer(solver=CpSatRosterSolver(), time_limit=10.0).fit(officers, slots)
    greedy = Rosterer(solver=GreedyRosterSolver()).fit(officers, slots)
    assert exact.roster_.short_officer_hours <= greedy.roster_.short_officer_hours
    assert exact.roster_.uncovered.height > 0  # 252 officer-shifts needed, under 190 available
    assert exact.roster_.gap is not None and exact.roster_.gap <= 0.01


def test_cp_sat_output_passes_the_independent_rule_check() -> None:
    officers = [Officer(f"o{i}", team=f"t{i // 2}" if i < 4 else None) for i in range(9)]
    slots = [roster_slot(d, s, officers=2) for d in range(14) for s in SHIFT_STARTS]
    fitted = Rosterer(solver=CpSatRosterSolver(), time_limit=10.0).fit(officers, slots)
    teams = fitted.roster_.assignments.filter(pl.col("team").is_not_null())
    pairs = teams.group_by("team", "start").len()
    assert (pairs["len"] == 2).all()  # partners always together
    assert fitted.roster_.status.has_solution
    matrix = assignment_from_frame(fitted.problem_, fitted.roster_.assignments)
    assert matrix.any()
    assert violations(fitted.problem_, matrix) == []


def test_highs_patrol_allocation_matches_brute_force() -> None:
    sectors = pl.DataFrame(
        {"sector": list("abcd"), "zone": "z", "lat": [50.80, 50.82, 50.86, 50.90], "lon": 4.35}
    )
    demand = [4.0, 1.0, 3.0, 2.0]
    ds = [MONDAY]
    allocator = PatrolAllocator(reach_minutes=8.0, levels=2, n_jobs=1)
    fitted = allocator.fit(
        pl.DataFrame({"unique_id": list("abcd"), "ds": ds * 4, "mean": demand}),
        pl.DataFrame({"unique_id": ["z"], "ds": ds, "patrols": [2.0]}),
        sectors,
        travel_minutes(sectors),
    )
    reach = np.array(
        travel_minutes(sectors)["minutes"].to_numpy().reshape(4, 4) <= 8.0
    ).T  # reach[i, j]: a patrol in j reaches i
    weights = allocator._weights(np.array(demand))

    def value(counts: tuple[int, ...]) -> float:
        in_reach = reach.astype(int) @ np.array(counts)
        return sum(weights[i, :k].sum() for i, k in enumerate(np.minimum(in_reach, 2)))

    options = [c for c in itertools.product(range(2), repeat=4) if sum(c) == 2]
    best = max(value(c) for c in options)
    assert value(tuple(fitted.allocation_["patrols"].to_list())) == pytest.approx(best)
