"""The HiGHS mixed-integer solver (highspy) behind the MipSolver protocol."""

from __future__ import annotations

import time

import highspy
import numpy as np

from zonal.planning.solvers.mip import MipProblem, MipSolution, SolveStatus

_HAS_SOLUTION = 2  # HiGHS primal_solution_status: kSolutionStatusFeasible


class HighsSolver:
    """HiGHS branch-and-cut, single-threaded per problem (planning parallelises across zones).

    Args:
        mip_rel_gap: stop when the relative gap falls under this (1e-4 is HiGHS' default).
        threads: HiGHS threads per problem.
    """

    name = "highs"

    def __init__(self, mip_rel_gap: float = 1e-4, threads: int = 1) -> None:
        self.mip_rel_gap = mip_rel_gap
        self.threads = threads

    def solve(self, problem: MipProblem, time_limit: float) -> MipSolution:
        """Solve with HiGHS; the best solution found when the time limit hits, with its gap."""
        started = time.perf_counter()
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", float(max(time_limit, 0.01)))
        highs.setOptionValue("mip_rel_gap", float(self.mip_rel_gap))
        highs.setOptionValue("threads", int(self.threads))
        highs.passModel(_to_lp(problem))
        highs.run()
        return _read_solution(highs, problem, time.perf_counter() - started)


def _to_lp(problem: MipProblem) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = problem.n_cols, problem.n_rows
    lp.col_cost_ = problem.cost
    lp.col_lower_, lp.col_upper_ = problem.col_lower, problem.col_upper
    lp.row_lower_, lp.row_upper_ = problem.row_lower, problem.row_upper
    lp.sense_ = highspy.ObjSense.kMaximize if problem.maximize else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = problem.a_start
    lp.a_matrix_.index_ = problem.a_index
    lp.a_matrix_.value_ = problem.a_value
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    lp.integrality_ = [kinds[int(flag)] for flag in problem.integer]
    return lp


def _read_solution(highs: highspy.Highs, problem: MipProblem, seconds: float) -> MipSolution:
    status = highs.getModelStatus()
    info = highs.getInfo()
    found = info.primal_solution_status == _HAS_SOLUTION
    if status == highspy.HighsModelStatus.kOptimal:
        kind = SolveStatus.OPTIMAL
    elif status == highspy.HighsModelStatus.kInfeasible:
        kind = SolveStatus.INFEASIBLE
    else:
        kind = SolveStatus.FEASIBLE if found else SolveStatus.NO_SOLUTION
    if not kind.has_solution:
        return MipSolution(kind, None, None, None, None, seconds, HighsSolver.name)
    x = np.asarray(highs.getSolution().col_value, dtype=float)
    x = np.where(problem.integer, np.round(x), x)
    is_mip = bool(problem.integer.any())
    bound = float(info.mip_dual_bound) if is_mip else float(info.objective_function_value)
    gap = float(info.mip_gap) if is_mip else 0.0
    return MipSolution(
        kind, x, float(info.objective_function_value), bound, gap, seconds, HighsSolver.name
    )
