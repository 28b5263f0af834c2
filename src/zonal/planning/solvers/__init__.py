"""Solvers behind small protocols: HiGHS and CP-SAT for real, fakes for tests and fallback."""

from __future__ import annotations

from zonal.planning.solvers.fakes import GreedyCoverSolver, ScriptedSolver
from zonal.planning.solvers.highs import HighsSolver
from zonal.planning.solvers.mip import MipProblem, MipSolution, MipSolver, SolveStatus

__all__ = [
    "GreedyCoverSolver",
    "HighsSolver",
    "MipProblem",
    "MipSolution",
    "MipSolver",
    "ScriptedSolver",
    "SolveStatus",
]
