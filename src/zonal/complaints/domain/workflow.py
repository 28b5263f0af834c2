"""The case workflow as an explicit state machine, with a service-level deadline per state.

    received -> triaged -> assigned -> under_investigation <-> awaiting_victim
    triaged | assigned | under_investigation | awaiting_victim -> closed (with an outcome)

A case is closed with one outcome: no further action, referred to the prosecutor, or merged
into another case (whose reference is then required). Every refused change names the current
state and the states allowed from it, so a user knows what to do instead.

Deadlines count working time: the citizen is told "two working days", so weekends and the
country's public holidays (in the zone's own time zone) do not count towards a deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property, lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from zonal.complaints.domain.errors import IllegalTransition
from zonal.errors import ConfigurationError


class Status(StrEnum):
    RECEIVED = "received"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    UNDER_INVESTIGATION = "under_investigation"
    AWAITING_VICTIM = "awaiting_victim"
    CLOSED = "closed"


class Outcome(StrEnum):
    NO_FURTHER_ACTION = "no_further_action"
    REFERRED_TO_PROSECUTOR = "referred_to_prosecutor"
    MERGED_INTO = "merged_into"


TRANSITIONS: Mapping[Status, frozenset[Status]] = MappingProxyType(
    {
        Status.RECEIVED: frozenset({Status.TRIAGED}),
        Status.TRIAGED: frozenset({Status.ASSIGNED, Status.CLOSED}),
        Status.ASSIGNED: frozenset({Status.UNDER_INVESTIGATION, Status.CLOSED}),
        Status.UNDER_INVESTIGATION: frozenset({Status.AWAITING_VICTIM, Status.CLOSED}),
        Status.AWAITING_VICTIM: frozenset({Status.UNDER_INVESTIGATION, Status.CLOSED}),
        Status.CLOSED: frozenset(),
    }
)

# Re-routing hands a case to another zone's triage; once investigated, it stays put.
REROUTABLE: frozenset[Status] = frozenset({Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED})


def allowed_from(current: Status) -> tuple[Status, ...]:
    """The states a case may move to from `current`, in workflow order."""
    return tuple(status for status in Status if status in TRANSITIONS[current])


def check_transition(current: Status, target: Status) -> None:
    """Raise IllegalTransition unless the workflow allows `current` -> `target`."""
    if target in TRANSITIONS[current]:
        return
    allowed = ", ".join(allowed_from(current)) or "none: the case is closed"
    raise IllegalTransition(
        f"a case that is {current.value!r} cannot become {target.value!r}; allowed: {allowed}"
    )


def check_outcome(target: Status, outcome: Outcome | None, merged_into: str | None) -> None:
    """Raise IllegalTransition when a closing lacks its outcome or an outcome comes without one."""
    if target is not Status.CLOSED:
        if outcome is not None or merged_into is not None:
            raise IllegalTransition(
                f"an outcome is given only when closing a case, not for {target.value!r}"
            )
        return
    if outcome is None:
        choices = ", ".join(o.value for o in Outcome)
        raise IllegalTransition(f"closing a case needs an outcome: one of {choices}")
    if (outcome is Outcome.MERGED_INTO) != (merged_into is not None):
        raise IllegalTransition(
            "outcome 'merged_into' needs the reference of the case it is merged into,"
            " and only that outcome takes one"
        )


def _default_hours() -> dict[Status, float]:
    return {
        Status.RECEIVED: 48.0,  # the Victims' Rights Directive asks for prompt acknowledgement
        Status.TRIAGED: 24.0,
        Status.ASSIGNED: 72.0,
        Status.UNDER_INVESTIGATION: 30 * 24.0,
        Status.AWAITING_VICTIM: 14 * 24.0,
    }


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """Which local days are working days: not Saturday, Sunday or a public holiday of `country`.

    `time_zone` is the zones' own: the one place the back office, its exports and the SLA read
    it from, so a case's times read as the victim typed them.
    """

    time_zone: str = "Europe/Brussels"
    country: str = "BE"

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _public_holidays(self.country, day.year)

    def add(self, start: datetime, hours: float) -> datetime:
        """The instant at which `hours` of working-day time have passed since `start`."""
        left, cursor = timedelta(hours=hours), start.astimezone(UTC)
        while True:
            day = cursor.astimezone(self.zone).date()
            midnight = datetime.combine(day + timedelta(days=1), time(), self.zone).astimezone(UTC)
            if self.is_working_day(day):
                if left <= midnight - cursor:
                    return cursor + left
                left -= midnight - cursor
            cursor = midnight

    def subtract(self, end: datetime, hours: float) -> datetime:
        """The latest instant from which `hours` of working-day time pass until `end`."""
        left, cursor = timedelta(hours=hours), end.astimezone(UTC)
        while True:
            day = (cursor - timedelta(microseconds=1)).astimezone(self.zone).date()
            start = datetime.combine(day, time(), self.zone).astimezone(UTC)
            if self.is_working_day(day):
                if left <= cursor - start:
                    return cursor - left
                left -= cursor - start
            cursor = start


@dataclass(frozen=True)
class SlaPolicy:
    """Working hours a case may stay in each open state before it is overdue and escalated.

    48 hours are two working days: a complaint filed on Thursday 24 December 2026 at 14:00
    (Brussels) is due on Tuesday 29 December at 14:00, Christmas and the weekend not counting.
    """

    hours: Mapping[Status, float] = field(default_factory=_default_hours)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def __post_init__(self) -> None:
        bad = {status: hours for status, hours in self.hours.items() if hours <= 0}
        if bad:
            raise ConfigurationError(f"SLA hours must be positive, got {bad}; fix the policy")

    def deadline(self, status: Status, since: datetime) -> datetime | None:
        """When a case that entered `status` at `since` becomes overdue; None if never."""
        hours = self.hours.get(status)
        return None if hours is None else self.calendar.add(since, hours)

    def late_if_since_before(self, status: Status, now: datetime) -> datetime | None:
        """Cases in `status` that entered it before this instant are overdue at `now`."""
        hours = self.hours.get(status)
        return None if hours is None else self.calendar.subtract(now, hours)

    def overdue(self, status: Status, since: datetime, now: datetime) -> bool:
        """Whether a case in `status` since `since` is past its deadline at `now`."""
        deadline = self.deadline(status, since)
        return deadline is not None and now > deadline
