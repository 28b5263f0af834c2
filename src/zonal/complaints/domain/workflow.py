"""The case workflow as an explicit state machine, with a service-level deadline per state.

    received -> triaged -> assigned -> under_investigation <-> awaiting_victim
    triaged | assigned | under_investigation | awaiting_victim -> closed (with an outcome)

A case is closed with one outcome: no further action, referred to the prosecutor, or merged
into another case (whose reference is then required). Every refused change names the current
state and the states allowed from it, so a user knows what to do instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

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


@dataclass(frozen=True)
class SlaPolicy:
    """Hours a case may stay in each open state before it is overdue and escalated."""

    hours: Mapping[Status, float] = field(default_factory=_default_hours)

    def __post_init__(self) -> None:
        bad = {status: hours for status, hours in self.hours.items() if hours <= 0}
        if bad:
            raise ConfigurationError(f"SLA hours must be positive, got {bad}; fix the policy")

    def deadline(self, status: Status, since: datetime) -> datetime | None:
        """When a case that entered `status` at `since` becomes overdue; None if never."""
        hours = self.hours.get(status)
        return None if hours is None else since + timedelta(hours=hours)

    def overdue(self, status: Status, since: datetime, now: datetime) -> bool:
        """Whether a case in `status` since `since` is past its deadline at `now`."""
        deadline = self.deadline(status, since)
        return deadline is not None and now > deadline
