"""The HiGHS mixed-integer solver (highspy) behind the MipSolver protocol."""

from __future__ import annotations

import os
import sys
import threading
import time

import highspy
import numpy as np

from zonal.planning.solvers.mip import MipProblem, MipSolution, SolveStatus

_HAS_SOLUTION = 2  # HiGHS primal_solution_status: kSolutionStatusFeasible

# HiGHS writes its banner ("Running HiGHS 1.16.0 ... Copyright") to the process's stdout from the
# first Highs() constructor, before any option can turn output off; later ones are silent.
_BANNER = threading.Lock()
_banner_shown: list[bool] = []  # non-empty once this process's first Highs() is made


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
        highs = new_highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", float(max(time_limit, 0.01)))
        highs.setOptionValue("mip_rel_gap", float(self.mip_rel_gap))
        highs.setOptionValue("threads", int(self.threads))
        highs.passModel(_to_lp(problem))
        highs.run()
        return _read_solution(highs, problem, time.perf_counter() - started)


def new_highs() -> highspy.Highs:
    """A Highs object; the first of the process is made with file descriptor 1 on /dev/null."""
    with _BANNER:
        if _banner_shown:
            return highspy.Highs()  # type: ignore[no-untyped-call]
        _banner_shown.append(True)
        return _without_stdout(highspy.Highs)


def _without_stdout(make: type[highspy.Highs]) -> highspy.Highs:
    # The banner comes from C++, under Python's sys.stdout: only the descriptor reaches it.
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no descriptor 1 at all: nothing to keep clean
        return make()
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(sink, 1)
        return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(sink)


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
