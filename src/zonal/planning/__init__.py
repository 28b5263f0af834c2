"""From forecast to plan: staffing requirements, shift design, named rosters, patrol allocation.

    demand (unique_id, ds, mean | q-0.9 | y)
      -> StaffingRequirements(service=ServiceTimeEstimator().fit(incidents).profile_)
      -> ShiftDesigner().fit(requirements_).plan_            (HiGHS, zones in parallel)
      -> Rosterer().fit(officers, slots_from_plan(...)).roster_   (CP-SAT)
      -> PatrolAllocator().fit(sector_demand, patrols, sectors, travel).allocation_

Solvers sit behind `MipSolver` and `RosterSolver`; fakes and greedy fallbacks live in
`zonal.planning.solvers` and `zonal.planning.roster`. See docs/planning.md.
"""

from __future__ import annotations

from zonal.planning.demand import HourlyMatrix, to_hourly_matrix
from zonal.planning.erlang import erlang_b, erlang_c, min_teams, p1_wait_within
from zonal.planning.evaluate import plan_versus_flat
from zonal.planning.floors import MinimumService
from zonal.planning.patrol import PatrolAllocator, greedy_allocation
from zonal.planning.requirements import StaffingRequirements, lagged_load
from zonal.planning.roster import (
    CpSatRosterSolver,
    GreedyRosterSolver,
    Officer,
    RestRules,
    Rosterer,
    RosterResult,
    RosterSlot,
    RosterWeights,
    slots_from_plan,
)
from zonal.planning.service_times import ServiceProfile, ServiceTimeEstimator
from zonal.planning.shifts import DEFAULT_SHIFT_TYPES, ShiftDesigner, ShiftPlan, ShiftType
from zonal.planning.simulate import SimulationResult, simulate_plan
from zonal.planning.travel import travel_minutes

__all__ = [
    "DEFAULT_SHIFT_TYPES",
    "CpSatRosterSolver",
    "GreedyRosterSolver",
    "HourlyMatrix",
    "MinimumService",
    "Officer",
    "PatrolAllocator",
    "RestRules",
    "RosterResult",
    "RosterSlot",
    "RosterWeights",
    "Rosterer",
    "ServiceProfile",
    "ServiceTimeEstimator",
    "ShiftDesigner",
    "ShiftPlan",
    "ShiftType",
    "SimulationResult",
    "StaffingRequirements",
    "erlang_b",
    "erlang_c",
    "greedy_allocation",
    "lagged_load",
    "min_teams",
    "p1_wait_within",
    "plan_versus_flat",
    "simulate_plan",
    "slots_from_plan",
    "to_hourly_matrix",
    "travel_minutes",
]
