"""The fake and fallback solvers: covering by greed, scripted answers."""

from __future__ import annotations

import numpy as np
import pytest

from zonal.errors import InputError
from zonal.planning.solvers import (
    GreedyCoverSolver,
    MipProblem,
    MipSolution,
    ScriptedSolver,
    SolveStatus,
)


def cover(matrix: list[list[float]], need: list[float], cost: list[float]) -> MipProblem:
    dense = np.array(matrix, dtype=float)
    rows, cols = np.nonzero(dense)
    return MipProblem.from_triplets(
        rows,
        cols,
        dense[rows, cols],
        cost=np.array(cost),
        row_lower=np.array(need),
        row_upper=np.full(len(need), np.inf),
        col_lower=np.zeros(len(cost)),
        col_upper=np.full(len(cost), 10.0),
        integer=np.ones(len(cost), dtype=bool),
    )


def test_greedy_cover_meets_every_row() -> None:
    problem = cover([[1, 0, 1], [1, 1, 0], [0, 1, 1]], [2, 1, 3], [1, 1, 1])
    solution = GreedyCoverSolver().solve(problem, 1.0)
    assert solution.status is SolveStatus.FEASIBLE and solution.x is not None
    assert (problem.activity(solution.x) >= [2, 1, 3]).all()


def test_greedy_cover_drops_columns_it_does_not_need() -> None:
    # Column 0 covers both rows for 3; columns 1 and 2 cover one each for 1 apiece.
    problem = cover([[1, 1, 0], [1, 0, 1]], [1, 1], [3, 1, 1])
    solution = GreedyCoverSolver().solve(problem, 1.0)
    assert solution.x is not None and solution.x.tolist() == [0, 1, 1]
    assert solution.objective == 2


def test_greedy_cover_says_when_a_row_cannot_be_covered() -> None:
    problem = cover([[1, 0], [0, 0]], [1, 1], [1, 1])
    assert GreedyCoverSolver().solve(problem, 1.0).status is SolveStatus.NO_SOLUTION


def test_greedy_cover_refuses_other_problems() -> None:
    problem = cover([[1]], [1], [1])
    maximise = MipProblem(**{**problem.__dict__, "maximize": True})
    with pytest.raises(InputError, match="covering problems"):
        GreedyCoverSolver().solve(maximise, 1.0)


def test_scripted_solver_replays_its_answers_and_records_calls() -> None:
    first = MipSolution(SolveStatus.NO_SOLUTION, None, None, None, None, 1.0, "scripted")
    second = MipSolution(SolveStatus.INFEASIBLE, None, None, None, None, 1.0, "scripted")
    solver = ScriptedSolver([first, second])
    problem = cover([[1]], [1], [1])
    statuses = [solver.solve(problem, 2.0).status for _ in range(3)]
    assert statuses == [SolveStatus.NO_SOLUTION, SolveStatus.INFEASIBLE, SolveStatus.INFEASIBLE]
    assert [limit for _, limit in solver.calls] == [2.0, 2.0, 2.0]


def test_only_optimal_and_feasible_carry_a_solution() -> None:
    assert [s.has_solution for s in SolveStatus] == [True, True, False, False]
