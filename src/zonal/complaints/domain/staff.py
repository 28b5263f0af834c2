"""Staff accounts, their roles, their scope (zones or federal units) and what each role may do.

The permission matrix is the single answer to "may this role do that": code elsewhere asks
`can(role, action)` or `account.may(action)` and never compares roles (a unit test walks the
code for role comparisons). Zone scoping (which cases a person sees at all) is enforced
separately, in the repository's queries; actions such as LINK_ACROSS_ZONES and
VIEW_WHOLE_AUDIT widen that scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType

from zonal.complaints.domain.workflow import REROUTABLE, Status, allowed_from
from zonal.errors import InputError, NotAllowed


class Role(StrEnum):
    INTAKE_OFFICER = "intake_officer"
    ZONE_INVESTIGATOR = "zone_investigator"
    ZONE_CHIEF = "zone_chief"
    FEDERAL_ANALYST = "federal_analyst"
    ADMINISTRATOR = "administrator"
    DPO = "dpo"


class Action(StrEnum):
    LIST_QUEUE = "list_queue"
    READ_CASE = "read_case"
    TRIAGE = "triage"
    ASSIGN = "assign"
    INVESTIGATE = "investigate"  # move a case along the workflow after assignment
    CLOSE = "close"
    REROUTE = "reroute"
    MESSAGE_VICTIM = "message_victim"
    ADD_NOTE = "add_note"
    EXPORT_CASE = "export_case"
    LINK_CASES = "link_cases"
    LINK_ACROSS_ZONES = "link_across_zones"  # linked cases of every zone, not only one's own
    VIEW_ESCALATIONS = "view_escalations"
    VIEW_AUDIT = "view_audit"  # the Art. 25 log of one's own zones and units
    VIEW_WHOLE_AUDIT = "view_whole_audit"  # the log of every zone and unit (supervision)
    MANAGE_STAFF = "manage_staff"
    BE_ASSIGNED = "be_assigned"


_A = Action
_CASEWORK = frozenset({_A.LIST_QUEUE, _A.READ_CASE, _A.MESSAGE_VICTIM, _A.ADD_NOTE, _A.LINK_CASES})
PERMISSIONS: Mapping[Role, frozenset[Action]] = MappingProxyType(
    {
        Role.INTAKE_OFFICER: _CASEWORK | {_A.TRIAGE, _A.ASSIGN, _A.REROUTE},
        Role.ZONE_INVESTIGATOR: _CASEWORK
        | {_A.INVESTIGATE, _A.CLOSE, _A.EXPORT_CASE, _A.BE_ASSIGNED},
        Role.ZONE_CHIEF: _CASEWORK
        | {
            _A.TRIAGE,
            _A.ASSIGN,
            _A.INVESTIGATE,
            _A.CLOSE,
            _A.REROUTE,
            _A.EXPORT_CASE,
            _A.VIEW_ESCALATIONS,
            _A.VIEW_AUDIT,
            _A.BE_ASSIGNED,
        },  # fmt: skip
        Role.FEDERAL_ANALYST: _CASEWORK
        | {
            _A.TRIAGE,
            _A.ASSIGN,
            _A.INVESTIGATE,
            _A.CLOSE,
            _A.REROUTE,
            _A.EXPORT_CASE,
            _A.LINK_ACROSS_ZONES,
            _A.BE_ASSIGNED,
        },  # fmt: skip
        # The administrator runs accounts, not cases: least privilege on personal data.
        Role.ADMINISTRATOR: frozenset({_A.MANAGE_STAFF}),
        # The DPO reads and exports for data-subject requests, and supervises the log.
        Role.DPO: frozenset({_A.READ_CASE, _A.EXPORT_CASE, _A.VIEW_AUDIT, _A.VIEW_WHOLE_AUDIT}),
    }
)

TOTP_STEP_SECONDS = 30  # RFC 6238's time step of the second factor's codes
_USERNAME = re.compile(r"[a-z][a-z0-9._-]{2,39}")
_UNIT = re.compile(r"\d{4,5}|[A-Z][A-Z0-9_]{1,15}")


def can(role: Role, action: Action) -> bool:
    """Whether `role` may perform `action` (within its scope)."""
    return action in PERMISSIONS[role]


def roles_that_can(action: Action) -> frozenset[Role]:
    """Every role whose row of the matrix holds `action`."""
    return frozenset(role for role in Role if can(role, action))


@dataclass(frozen=True)
class StaffAccount:
    """A back-office user. `scope` holds zone numbers ("5339") or federal units ("FCCU")."""

    id: int
    username: str
    display_name: str
    role: Role
    scope: frozenset[str]
    active: bool = True

    def may(self, action: Action) -> bool:
        """Whether this account is active and its role permits `action`."""
        return self.active and can(self.role, action)

    @property
    def permissions(self) -> frozenset[Action]:
        """What this account may do now (nothing once disabled)."""
        return frozenset(a for a in Action if self.may(a))

    def require(self, action: Action) -> None:
        """Raise NotAllowed unless this account's role permits `action`."""
        if not self.may(action):
            raise NotAllowed(
                f"{self.username} ({self.role.value}) may not {action.value.replace('_', ' ')};"
                " ask a colleague whose role allows it"
            )

    @property
    def can_be_assigned(self) -> bool:
        return self.may(Action.BE_ASSIGNED)

    def covers(self, unit: str) -> bool:
        return unit in self.scope


def last_login(totp_last_step: int | None) -> datetime | None:
    """When the last accepted TOTP code was current: the time of the last login, to 30 s."""
    if totp_last_step is None:
        return None
    return datetime.fromtimestamp(totp_last_step * TOTP_STEP_SECONDS, UTC)


def check_username(username: str) -> str:
    """The username in lower case, or InputError saying what a username looks like."""
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise InputError(
            f"username {username[:50]!r} is not valid: 3 to 40 characters, a letter first,"
            " then letters, digits, '.', '_' or '-'"
        )
    return name


def check_scope(units: frozenset[str] | set[str]) -> frozenset[str]:
    """A non-empty set of zone numbers (4-5 digits) or federal unit codes (upper case)."""
    bad = sorted(u for u in units if not _UNIT.fullmatch(u))
    if bad or not units:
        raise InputError(
            f"scope {sorted(units)} is not valid: give zone numbers like 5339 or unit codes"
            " like FCCU"
        )
    return frozenset(units)


# The permission that moving a case to each state needs (received is reached by re-routing).
TARGET_ACTION: Mapping[Status, Action] = MappingProxyType(
    {
        Status.TRIAGED: Action.TRIAGE,
        Status.ASSIGNED: Action.ASSIGN,
        Status.UNDER_INVESTIGATION: Action.INVESTIGATE,
        Status.AWAITING_VICTIM: Action.INVESTIGATE,
        Status.CLOSED: Action.CLOSE,
    }
)
_OPEN = frozenset(Status) - {Status.CLOSED}
# The states in which each case action applies; an action missing here applies in every state.
_ACTION_STATES: Mapping[Action, frozenset[Status]] = MappingProxyType(
    {
        Action.TRIAGE: frozenset({Status.RECEIVED}),
        Action.ASSIGN: _OPEN - {Status.RECEIVED},  # assign from triaged, reassign later
        Action.INVESTIGATE: frozenset(
            {Status.ASSIGNED, Status.UNDER_INVESTIGATION, Status.AWAITING_VICTIM}
        ),
        Action.CLOSE: frozenset(s for s in Status if Status.CLOSED in allowed_from(s)),
        Action.REROUTE: REROUTABLE,
        Action.MESSAGE_VICTIM: _OPEN,
    }
)


@dataclass(frozen=True)
class CaseOptions:
    """What one account may do to a case in its current state: its role's permissions that the
    workflow allows now. The case page offers exactly these, so nothing offered is refused."""

    actions: frozenset[Action]
    next_states: tuple[Status, ...]  # the states it may move the case to, in workflow order
    await_reply: bool  # whether a message to the victim may put the case on awaiting_victim

    def offers(self, action: Action) -> bool:
        return action in self.actions


def case_options(account: StaffAccount, status: Status) -> CaseOptions:
    """The actions and next states that `account` may use on a case that is `status`."""
    actions = frozenset(
        a for a in account.permissions if status in _ACTION_STATES.get(a, frozenset(Status))
    )
    targets = tuple(s for s in allowed_from(status) if account.may(TARGET_ACTION[s]))
    # Asking the victim a question is part of writing to them: no investigating right needed.
    waits = Action.MESSAGE_VICTIM in actions and Status.AWAITING_VICTIM in allowed_from(status)
    return CaseOptions(actions, targets, waits)
