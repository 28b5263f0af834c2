"""Named rosters: assign officers to shifts over weeks under rest rules (CP-SAT).

    Rosterer(rules, weights, solver=CpSatRosterSolver()).fit(officers, slots).roster_

Shortfall is soft: a short-staffed zone gets its best roster and `roster_.uncovered`
lists the slots left short, never a bare "infeasible".
"""

from __future__ import annotations

from zonal.planning.roster.cpsat import CpSatRosterSolver
from zonal.planning.roster.export import to_csv, to_ical, write_csv, write_ical
from zonal.planning.roster.greedy import GreedyRosterSolver
from zonal.planning.roster.model import (
    Officer,
    RestRules,
    RosterProblem,
    RosterSlot,
    RosterSolution,
    RosterWeights,
    Unit,
)
from zonal.planning.roster.result import RosterResult
from zonal.planning.roster.rosterer import Rosterer, RosterSolver, slots_from_plan
from zonal.planning.roster.rules import assignment_from_frame, violations

__all__ = [
    "CpSatRosterSolver",
    "GreedyRosterSolver",
    "Officer",
    "RestRules",
    "RosterProblem",
    "RosterResult",
    "RosterSlot",
    "RosterSolution",
    "RosterSolver",
    "RosterWeights",
    "Rosterer",
    "Unit",
    "slots_from_plan",
    "to_csv",
    "to_ical",
    "assignment_from_frame",
    "violations",
    "write_csv",
    "write_ical",
]
