"""Check a roster against the hard rules, independently of whichever solver made it.

Every roster is checked before it is returned, and the tests check hand-made ones, so a
solver bug cannot slip a rest-rule breach into a published roster.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zonal.errors import InputError
from zonal.planning.roster.model import RosterProblem


def violations(problem: RosterProblem, assignment: np.ndarray) -> list[str]:
    """Every hard-rule breach in a (units x slots) boolean assignment, as readable lines."""
    found: list[str] = []
    for u, unit in enumerate(problem.units):
        row = assignment[u].astype(bool)
        found += [f"{unit.name}: {m}" for m in _unit_violations(problem, row, u)]
    return found


def _unit_violations(problem: RosterProblem, row: np.ndarray, u: int) -> list[str]:
    slots = problem.slots
    found = [
        f"works {slots[s].slot_id} while unavailable"
        for s in np.flatnonzero(row & ~problem.allowed[u])
    ]
    both = row[problem.conflicts[:, 0]] & row[problem.conflicts[:, 1]]
    found += [
        f"{slots[i].slot_id} and {slots[j].slot_id} leave under "
        f"{problem.rules.min_rest_hours:g} h rest"
        for i, j in problem.conflicts[both]
    ]
    worked = day_counts(problem, row)
    nights = day_counts(problem, row & problem.night)
    found += _runs(worked, problem.rules.max_consecutive_days, "working days")
    found += _runs(nights, problem.rules.max_consecutive_nights, "nights")
    hours = float(problem.hours[row].sum())
    if hours > problem.max_hours[u] + 1e-9:
        found.append(f"works {hours:g} h, above the maximum {problem.max_hours[u]:g} h")
    return found


def day_counts(problem: RosterProblem, row: np.ndarray) -> np.ndarray:
    """Shifts per local day (index 0 = first day) for one unit's slot mask."""
    n_days = int(problem.day.max()) + 1
    return np.bincount(problem.day[row], minlength=n_days)


def longest_run(counts: np.ndarray) -> int:
    """Longest run of consecutive days with at least one shift."""
    best = current = 0
    for worked in counts > 0:
        current = current + 1 if worked else 0
        best = max(best, current)
    return best


def _runs(counts: np.ndarray, limit: int, what: str) -> list[str]:
    run = longest_run(counts)
    return [f"{run} consecutive {what}, above the maximum {limit}"] if run > limit else []


def officers_per_slot(problem: RosterProblem, assignment: np.ndarray) -> np.ndarray:
    """Officers assigned per slot."""
    return np.asarray(problem.size @ assignment.astype(np.int64), dtype=np.int64)


def skill_shortfall(problem: RosterProblem, assignment: np.ndarray) -> np.ndarray:
    """Officers missing per slot, summed over the required skills."""
    short = np.zeros(len(problem.slots), dtype=np.int64)
    for skill, need in problem.skill_need.items():
        have = problem.skill_count[skill] @ assignment.astype(np.int64)
        short += np.maximum(need - have, 0)
    return short


def assignment_from_frame(problem: RosterProblem, assignments: pl.DataFrame) -> np.ndarray:
    """The (units x slots) matrix of an assignments frame (officer_id, shift, start).

    Lets a roster edited by hand (or exported and re-read) be checked with `violations`.

    Raises:
        InputError: an officer or a slot the problem does not know.
    """
    unit_of = {m.officer_id: u for u, unit in enumerate(problem.units) for m in unit.members}
    slot_of = {(slot.start, slot.shift): s for s, slot in enumerate(problem.slots)}
    matrix = np.zeros(problem.allowed.shape, dtype=bool)
    for row in assignments.select("officer_id", "shift", "start").iter_rows():
        officer, shift, start = row
        if officer not in unit_of or (start, shift) not in slot_of:
            raise InputError(f"roster row {row} names an unknown officer or slot")
        matrix[unit_of[officer], slot_of[start, shift]] = True
    return matrix
