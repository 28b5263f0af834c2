"""Compile officers, slots and rules into the array form every roster solver reads."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from zonal.errors import InputError
from zonal.planning.roster.model import (
    Officer,
    RestRules,
    RosterProblem,
    RosterSlot,
    RosterWeights,
    Unit,
    make_units,
)


def compile_problem(
    officers: Sequence[Officer],
    slots: Sequence[RosterSlot],
    rules: RestRules,
    weights: RosterWeights,
    time_zone: str,
) -> RosterProblem:
    """The RosterProblem of `officers` over `slots` (sorted by start).

    Raises:
        InputError: no officers or slots, duplicate ids or slots, naive start times,
            impossible rule values.
    """
    _check_rules(rules)
    units = make_units(officers)
    ordered = tuple(sorted(_checked(slots), key=lambda slot: (slot.start, slot.shift)))
    zone = ZoneInfo(time_zone)
    local_dates = [slot.start.astimezone(zone).date() for slot in ordered]
    first = min(local_dates)
    day = np.array([(d - first).days for d in local_dates], dtype=np.int64)
    n_days = int(day.max()) + 1
    night = np.array([_is_night(slot, zone, rules) for slot in ordered])
    weekend = np.array([d.weekday() >= 5 for d in local_dates])
    allowed = np.array(
        [
            [_may_work(unit, d, is_night) for d, is_night in zip(local_dates, night, strict=True)]
            for unit in units
        ]
    )
    need = np.array([slot.officers for slot in ordered], dtype=np.int64)
    hours = np.array([slot.hours for slot in ordered], dtype=np.int64)
    target = _target_hours(units, first, n_days)
    return RosterProblem(
        units=units,
        slots=ordered,
        rules=rules,
        weights=weights,
        allowed=allowed,
        conflicts=_conflicts(ordered, day, rules.min_rest_hours),
        day=day,
        night=night,
        weekend=weekend,
        need=need,
        hours=hours,
        skill_need=_skill_need(ordered),
        skill_count=_skill_count(units, ordered),
        target_hours=target,
        max_hours=target + rules.max_overtime_hours,
        night_band=_fair_band(units, target, need * night, _any(allowed[:, night]), weights),
        weekend_band=_fair_band(units, target, need * weekend, _any(allowed), weights),
    )


def _any(allowed: np.ndarray) -> np.ndarray:
    return np.asarray(allowed.any(axis=1), dtype=bool)


def _checked(slots: Sequence[RosterSlot]) -> Sequence[RosterSlot]:
    if not slots:
        raise InputError("no shifts to roster: give at least one slot (a shift plan)")
    for slot in slots:
        if slot.start.tzinfo is None:
            raise InputError(f"slot {slot.slot_id!r} starts at a naive time; give a timezone")
        if slot.hours < 1 or slot.officers < 0:
            raise InputError(
                f"slot {slot.slot_id!r} has hours={slot.hours}, officers={slot.officers}; "
                f"hours must be >= 1 and officers >= 0"
            )
    keys = [(slot.start, slot.shift) for slot in slots]
    if len(set(keys)) != len(keys):
        raise InputError("two slots share a start time and shift name; merge their officers")
    return slots


def _check_rules(rules: RestRules) -> None:
    if rules.min_rest_hours < 0 or rules.max_consecutive_days < 1:
        raise InputError(
            f"rest rules need min_rest_hours >= 0 and max_consecutive_days >= 1, got "
            f"{rules.min_rest_hours} and {rules.max_consecutive_days}"
        )
    if rules.max_consecutive_nights < 0:
        raise InputError(f"max_consecutive_nights {rules.max_consecutive_nights} must be >= 0")


def _is_night(slot: RosterSlot, zone: ZoneInfo, rules: RestRules) -> bool:
    begin, end = rules.night_hours
    hours = [(slot.start + timedelta(hours=k)).astimezone(zone).hour for k in range(slot.hours)]
    inside = sum(begin <= h < end if begin <= end else (h >= begin or h < end) for h in hours)
    return inside >= rules.min_night_hours


def _may_work(unit: Unit, day: date, is_night: bool) -> bool:
    return all(day not in m.unavailable and (m.nights or not is_night) for m in unit.members)


def _conflicts(slots: tuple[RosterSlot, ...], day: np.ndarray, rest_hours: float) -> np.ndarray:
    """Pairs (i, j), i < j, that one person cannot both work: same day, overlap or short rest."""
    starts = np.array([_epoch_hours(slot.start) for slot in slots])
    ends = starts + np.array([slot.hours for slot in slots])
    # Slots are sorted by start, so each slot's conflicts are a contiguous run after it.
    reach = np.searchsorted(starts, ends + rest_hours - 1e-9, side="left")
    same_day = np.searchsorted(day, day, side="right")
    last = np.maximum(reach, same_day)
    pairs = [(i, j) for i in range(len(slots)) for j in range(i + 1, int(last[i]))]
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _epoch_hours(moment: datetime) -> float:
    return moment.timestamp() / 3600.0


def _skill_need(slots: tuple[RosterSlot, ...]) -> dict[str, np.ndarray]:
    skills = sorted({name for slot in slots for name in slot.skills})
    return {
        name: np.array([slot.skills.get(name, 0) for slot in slots], dtype=np.int64)
        for name in skills
    }


def _skill_count(units: tuple[Unit, ...], slots: tuple[RosterSlot, ...]) -> dict[str, np.ndarray]:
    skills = sorted({name for slot in slots for name in slot.skills})
    return {
        name: np.array([sum(name in m.skills for m in u.members) for u in units], dtype=np.int64)
        for name in skills
    }


def _target_hours(units: tuple[Unit, ...], first: date, n_days: int) -> np.ndarray:
    """Contract hours over the horizon, less the days a member is unavailable."""
    horizon = {first + timedelta(days=k) for k in range(n_days)}
    targets = []
    for unit in units:
        away = set().union(*(m.unavailable for m in unit.members)) & horizon
        weekly = min(m.contract_hours for m in unit.members)
        targets.append(weekly / 7.0 * (n_days - len(away)))
    return np.array(targets, dtype=float)


def _fair_band(
    units: tuple[Unit, ...],
    target: np.ndarray,
    demand: np.ndarray,
    eligible: np.ndarray,
    weights: RosterWeights,
) -> np.ndarray:
    """[low, high] shifts of a kind per unit: its share of the officer-shifts, pro rata hours."""
    size = np.array([unit.size for unit in units], dtype=float)
    pool = float((target * size)[eligible].sum())
    expected = np.where(eligible, demand.sum() * target / pool if pool > 0 else 0.0, 0.0)
    low = np.array([max(0, math.floor(e) - weights.fair_band) for e in expected])
    high = np.array([math.ceil(e) + weights.fair_band for e in expected])
    return np.stack([low, np.where(eligible, high, 0)], axis=1).astype(np.int64)
