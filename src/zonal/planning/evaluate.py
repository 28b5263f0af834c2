"""How good is a plan: the priority-1 service level it gives, against a flat 24/7 plan.

The flat plan is what a zone without demand-led planning staffs: the same number of teams
every hour, the least constant that meets the target in the busiest hour. Both are judged
by the same Erlang model (and the same lagged load) as the requirements.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zonal.errors import InputError
from zonal.planning.requirements import StaffingRequirements
from zonal.planning.shifts import ShiftPlan


def plan_versus_flat(
    requirements: StaffingRequirements, plan: ShiftPlan, team_size: int = 2
) -> pl.DataFrame:
    """Officer-hours and priority-1 service of a shift plan against the flat 24/7 plan.

    Returns:
        One row per unique_id: plan_officer_hours, flat_teams, flat_officer_hours, saving,
        plan_p1_share / flat_p1_share (share of priority-1 calls finding a free team within
        the wait, weighted by calls), plan_hours_below / flat_hours_below (hours under the
        target), target.

    Raises:
        InputError: `requirements` is not fitted or the plan covers other series or hours.
    """
    if not hasattr(requirements, "teams_"):
        raise InputError("fit the StaffingRequirements before comparing plans")
    planned = _planned_matrix(requirements, plan)
    flat_teams = requirements.teams_.max(axis=1)
    flat = np.repeat(flat_teams[:, None], requirements.teams_.shape[1], axis=1)
    calls = requirements.matrix_.values
    hours = requirements.matrix_.n_hours
    plan_level, flat_level = requirements.service_level(planned), requirements.service_level(flat)
    target = requirements.target - 1e-9
    return pl.DataFrame(
        {
            "unique_id": requirements.matrix_.ids,
            "plan_officer_hours": plan.summary["officer_hours"].to_numpy(),
            "flat_teams": flat_teams,
            "flat_officer_hours": (flat_teams * hours * team_size).astype(float),
            "plan_p1_share": _weighted(plan_level, calls),
            "flat_p1_share": _weighted(flat_level, calls),
            "plan_hours_below": (plan_level < target).sum(axis=1),
            "flat_hours_below": (flat_level < target).sum(axis=1),
        }
    ).with_columns(
        saving=1.0 - pl.col("plan_officer_hours") / pl.col("flat_officer_hours"),
        target=pl.lit(requirements.target),
    )


def _planned_matrix(requirements: StaffingRequirements, plan: ShiftPlan) -> np.ndarray:
    ids = requirements.matrix_.ids
    coverage = plan.coverage.sort("unique_id", "ds")
    if sorted(coverage["unique_id"].unique().to_list()) != sorted(ids):
        raise InputError("the shift plan covers other series than the requirements")
    order = {name: i for i, name in enumerate(sorted(ids))}
    values = coverage["planned"].to_numpy().reshape(len(ids), -1)
    if values.shape[1] != requirements.matrix_.n_hours:
        raise InputError("the shift plan covers other hours than the requirements")
    return values[[order[name] for name in ids]]


def _weighted(level: np.ndarray, calls: np.ndarray) -> np.ndarray:
    total = calls.sum(axis=1)
    weighted = (level * calls).sum(axis=1) / np.where(total > 0, total, 1.0)
    return np.asarray(np.where(total > 0, weighted, level.mean(axis=1)), dtype=float)
