"""The roster's inputs (officers, slots, rules, weights) and the compiled problem solvers read.

Officers with the same `team` (fixed partners, a fixed crew) are one rostering unit: they
work exactly the same shifts, so the problem has one decision per unit and slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

import numpy as np

from zonal.errors import InputError
from zonal.planning.solvers import SolveStatus

EMPTY_SKILLS: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True)
class Officer:
    """One officer to roster.

    Attributes:
        officer_id: unique identifier.
        contract_hours: hours per week of the contract (part-time: fewer).
        skills: e.g. {"fr", "nl", "driver"}.
        team: fixed partners or crew: officers sharing it work the same shifts.
        unavailable: local dates the officer cannot work (leave, training, requests).
        nights: whether the officer may work night shifts.
    """

    officer_id: str
    contract_hours: float = 38.0
    skills: frozenset[str] = frozenset()
    team: str | None = None
    unavailable: frozenset[date] = frozenset()
    nights: bool = True


@dataclass(frozen=True)
class RosterSlot:
    """One shift on one day that needs officers.

    Attributes:
        shift: the shift's name ("early", "8h", ...).
        start: timezone-aware start.
        hours: paid length.
        officers: officers needed.
        skills: minimum officers with each skill, e.g. {"fr": 1, "driver": 2}.
    """

    shift: str
    start: datetime
    hours: int
    officers: int
    skills: Mapping[str, int] = field(default_factory=dict)

    @property
    def end(self) -> datetime:
        """When the shift ends."""
        return self.start + timedelta(hours=self.hours)

    @property
    def slot_id(self) -> str:
        """A readable unique key: the start on its own clock and the shift name."""
        return f"{self.start:%Y-%m-%d %H:%M} {self.shift}"


@dataclass(frozen=True)
class RestRules:
    """Working-time rules; all hard constraints.

    Attributes:
        min_rest_hours: rest between the end of a shift and the start of the next.
        max_consecutive_days: most working days in a row.
        max_consecutive_nights: most night shifts in a row.
        night_hours: local hours [start, end) that make up the night.
        min_night_hours: hours inside the night that make a shift a night shift.
        max_overtime_hours: hours above the contract allowed over the horizon.
    """

    min_rest_hours: float = 11.0
    max_consecutive_days: int = 6
    max_consecutive_nights: int = 3
    night_hours: tuple[int, int] = (0, 6)
    min_night_hours: int = 3
    max_overtime_hours: float = 0.0


@dataclass(frozen=True)
class RosterWeights:
    """Penalties of the soft goals, per unit of each (integers, CP-SAT needs them).

    Attributes:
        shortfall: per officer-hour a slot is short.
        skills: per officer-hour a slot lacks of a required skill.
        under_contract: per hour an officer works under the contract.
        fairness: per night or weekend shift outside an officer's fair band.
        fair_band: shifts either side of the fair share that cost nothing.
    """

    shortfall: int = 1000
    skills: int = 200
    under_contract: int = 1
    fairness: int = 20
    fair_band: int = 1


@dataclass(frozen=True)
class Unit:
    """Officers rostered together (one officer, or a fixed team)."""

    name: str
    members: tuple[Officer, ...]

    @property
    def size(self) -> int:
        """Officers in the unit."""
        return len(self.members)


@dataclass(frozen=True)
class RosterProblem:
    """Everything a roster solver needs, as arrays over units (U) and slots (S).

    Attributes:
        units, slots: what the rows and columns are.
        rules, weights: hard rules and soft penalties.
        allowed: (U, S) whether the unit may work the slot (availability, nights).
        conflicts: (K, 2) slot pairs no unit may both work (overlap or too little rest).
        day: (S,) index of the slot's local start date from the first date.
        night, weekend: (S,) flags.
        need: (S,) officers needed; hours: (S,) paid hours.
        skill_need: skill -> (S,) officers with the skill needed.
        skill_count: skill -> (U,) members with the skill.
        target_hours, max_hours: (U,) per member over the horizon.
        night_band, weekend_band: (U, 2) fair [low, high] counts of shifts.
    """

    units: tuple[Unit, ...]
    slots: tuple[RosterSlot, ...]
    rules: RestRules
    weights: RosterWeights
    allowed: np.ndarray
    conflicts: np.ndarray
    day: np.ndarray
    night: np.ndarray
    weekend: np.ndarray
    need: np.ndarray
    hours: np.ndarray
    skill_need: Mapping[str, np.ndarray]
    skill_count: Mapping[str, np.ndarray]
    target_hours: np.ndarray
    max_hours: np.ndarray
    night_band: np.ndarray
    weekend_band: np.ndarray

    @property
    def size(self) -> np.ndarray:
        """(U,) officers per unit."""
        return np.array([unit.size for unit in self.units], dtype=np.int64)


@dataclass(frozen=True)
class RosterSolution:
    """A roster solver's answer: the (U, S) assignment and how good it is."""

    status: SolveStatus
    assignment: np.ndarray | None
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    solver: str


def make_units(officers: Sequence[Officer]) -> tuple[Unit, ...]:
    """Group officers by team (officers without one are units of their own).

    Raises:
        InputError: no officers, or a duplicate officer_id.
    """
    if not officers:
        raise InputError("no officers to roster: give at least one officer")
    ids = [officer.officer_id for officer in officers]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"officer ids must be unique; repeated: {duplicates}")
    groups: dict[str, list[Officer]] = {}
    for officer in officers:
        groups.setdefault(officer.team or f"officer:{officer.officer_id}", []).append(officer)
    return tuple(Unit(name, tuple(members)) for name, members in groups.items())
