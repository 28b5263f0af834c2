"""The mixed-integer programming interface: a problem, a solution, and the solver protocol.

Planning builds `MipProblem`s and hands them to any `MipSolver`: HiGHS in production, the
fakes of `zonal.planning.solvers.fakes` in unit tests. A solver never raises on a hard
problem: it returns the best solution found within the time limit with its gap, or a
status saying there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import numpy as np
from scipy import sparse


class SolveStatus(StrEnum):
    """What a solver achieved within its time limit."""

    OPTIMAL = "optimal"  # proven optimal (within the solver's gap tolerance)
    FEASIBLE = "feasible"  # best found when time ran out; see the gap
    INFEASIBLE = "infeasible"  # proven to have no solution
    NO_SOLUTION = "no_solution"  # time ran out before any solution was found

    @property
    def has_solution(self) -> bool:
        """Whether a solution vector comes with this status."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


@dataclass(frozen=True)
class MipProblem:
    """min (or max) cost @ x  s.t.  row_lower <= A x <= row_upper, col bounds, integrality.

    The matrix is held column-wise (CSC arrays), the format HiGHS takes without copying.
    """

    cost: np.ndarray
    a_start: np.ndarray
    a_index: np.ndarray
    a_value: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    maximize: bool = False

    @classmethod
    def from_triplets(
        cls,
        rows: np.ndarray,
        cols: np.ndarray,
        values: np.ndarray,
        *,
        cost: np.ndarray,
        row_lower: np.ndarray,
        row_upper: np.ndarray,
        col_lower: np.ndarray,
        col_upper: np.ndarray,
        integer: np.ndarray,
        maximize: bool = False,
    ) -> MipProblem:
        """Build from (row, col, value) triplets; duplicates are summed."""
        shape = (row_lower.size, cost.size)
        matrix = sparse.csc_array((values, (rows, cols)), shape=shape)
        matrix.sum_duplicates()
        return cls(
            cost=np.asarray(cost, float),
            a_start=matrix.indptr.astype(np.int32),
            a_index=matrix.indices.astype(np.int32),
            a_value=matrix.data.astype(float),
            row_lower=np.asarray(row_lower, float),
            row_upper=np.asarray(row_upper, float),
            col_lower=np.asarray(col_lower, float),
            col_upper=np.asarray(col_upper, float),
            integer=np.asarray(integer, bool),
            maximize=maximize,
        )

    @property
    def n_cols(self) -> int:
        """Number of variables."""
        return int(self.cost.size)

    @property
    def n_rows(self) -> int:
        """Number of constraints."""
        return int(self.row_lower.size)

    def activity(self, x: np.ndarray) -> np.ndarray:
        """A @ x, the value of every constraint row at `x`."""
        matrix = sparse.csc_array(
            (self.a_value, self.a_index, self.a_start), shape=(self.n_rows, self.n_cols)
        )
        return np.asarray(matrix @ x, dtype=float)


@dataclass(frozen=True)
class MipSolution:
    """A solver's answer: the status, the best x found, its objective, bound and gap."""

    status: SolveStatus
    x: np.ndarray | None
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    solver: str


class MipSolver(Protocol):
    """Anything that solves a MipProblem within a time limit (seconds)."""

    name: str

    def solve(self, problem: MipProblem, time_limit: float) -> MipSolution:
        """Solve `problem`, returning the best found by `time_limit` seconds."""
        ...
