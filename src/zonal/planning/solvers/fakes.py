"""Solvers without a solver: for unit tests, and as the fallback when a real one finds nothing.

`ScriptedSolver` answers with prepared solutions and records what it was asked (test the
code around a solver without running one). `GreedyCoverSolver` solves covering problems
(min c x, A x >= b, A >= 0) by cheapest cover per unit of unmet requirement, then drops
redundant columns: always feasible when any solution exists, optimality not guaranteed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from zonal.errors import InputError
from zonal.planning.solvers.mip import MipProblem, MipSolution, SolveStatus

Script = Callable[[MipProblem], MipSolution]


class ScriptedSolver:
    """Returns `answers` in turn (a solution, or a function of the problem) and keeps the calls."""

    name = "scripted"

    def __init__(self, answers: Sequence[MipSolution | Script]) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[MipProblem, float]] = []

    def solve(self, problem: MipProblem, time_limit: float) -> MipSolution:
        """The next scripted answer (the last one repeats)."""
        self.calls.append((problem, time_limit))
        answer = self.answers[min(len(self.calls), len(self.answers)) - 1]
        return answer(problem) if callable(answer) else answer


class GreedyCoverSolver:
    """Greedy set multicover for min-cost covering problems with non-negative data."""

    name = "greedy"

    def solve(self, problem: MipProblem, time_limit: float) -> MipSolution:  # noqa: ARG002
        """A feasible cover, or NO_SOLUTION when some row cannot be covered."""
        started = time.perf_counter()
        _check_covering(problem)
        matrix = sparse.csc_array(
            (problem.a_value, problem.a_index, problem.a_start),
            shape=(problem.n_rows, problem.n_cols),
        )
        x = _greedy_cover(matrix, problem)
        seconds = time.perf_counter() - started
        if x is None:
            return MipSolution(SolveStatus.NO_SOLUTION, None, None, None, None, seconds, self.name)
        objective = float(problem.cost @ x)
        return MipSolution(SolveStatus.FEASIBLE, x, objective, None, None, seconds, self.name)


def _check_covering(problem: MipProblem) -> None:
    if (
        problem.maximize
        or (problem.a_value < 0).any()
        or (problem.cost <= 0).any()
        or np.isfinite(problem.row_upper).any()
        or (problem.col_lower != 0).any()
    ):
        raise InputError(
            "GreedyCoverSolver only solves covering problems: minimise positive costs subject "
            "to A x >= b with A >= 0 and x >= 0"
        )


def _greedy_cover(matrix: sparse.csc_array, problem: MipProblem) -> np.ndarray | None:
    x = np.zeros(problem.n_cols)
    residual = np.maximum(problem.row_lower, 0.0)
    rows = matrix.tocsr()
    while (residual > 1e-9).any():
        capped = matrix.copy()
        capped.data = np.minimum(capped.data, residual[capped.indices])
        gain = np.asarray(capped.sum(axis=0)).ravel()
        gain[x >= problem.col_upper] = 0.0
        if gain.max(initial=0.0) <= 1e-12:
            return None
        best = int(np.argmax(gain / problem.cost))
        x[best] += 1.0
        residual = np.maximum(residual - rows[:, [best]].toarray().ravel(), 0.0)
    return _drop_redundant(matrix, problem, x)


def _drop_redundant(matrix: sparse.csc_array, problem: MipProblem, x: np.ndarray) -> np.ndarray:
    slack = matrix @ x - problem.row_lower
    for column in np.argsort(-problem.cost, kind="stable"):
        start, end = problem.a_start[column], problem.a_start[column + 1]
        rows, values = problem.a_index[start:end], problem.a_value[start:end]
        while x[column] > 0 and (slack[rows] - values >= -1e-9).all():
            x[column] -= 1.0
            slack[rows] -= values
    return x
