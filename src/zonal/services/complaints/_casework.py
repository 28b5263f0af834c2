"""Back-office services on one case: triage, assign, move, re-route, messages and notes.

Each loads the case through the staff member's scope (a case of another zone is not found,
and the attempt is logged), checks the role, changes the aggregate, saves, logs, commits; the
save and its Art. 25 event are one transaction, so the log always matches the case. A save
that meets a newer version of the case is refused by the store and the whole change is redone
on a fresh read, where the domain checks it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.errors import CaseNotFound, IllegalTransition
from zonal.complaints.domain.model import Complaint
from zonal.complaints.domain.receipt import parse_reference
from zonal.complaints.domain.staff import Action, StaffAccount
from zonal.complaints.domain.workflow import Status
from zonal.complaints.schemas import MessageIn, TransitionIn
from zonal.complaints.views import Assignee, CaseStaffView, staff_view
from zonal.errors import InputError
from zonal.services.complaints._common import load_case, log, retrying
from zonal.services.complaints.ports import UnitOfWork
from zonal.taxonomy import OFFENCE_TYPES

Detail = dict[str, Any]  # what the Art. 25 event records about a change


def triage(
    uow: UnitOfWork,
    staff: StaffAccount,
    reference: str,
    priority: int | None = None,
    offence_type: str | None = None,
) -> CaseStaffView:
    """Confirm a received case: received -> triaged, optionally correcting type and priority.

    Args:
        priority: 1 (most urgent) .. 4; None keeps the offence type's default.
        offence_type: a corrected taxonomy code; None keeps the citizen's choice.
    Returns:
        The staff view of the triaged case.
    Raises:
        NotAllowed, CaseNotFound: role or scope (both logged). IllegalTransition: not received.
        InputError: an unknown offence type or a priority outside 1..4.
    """

    def change(case: Complaint) -> Detail:
        if priority is not None and priority not in range(1, 5):
            raise InputError(f"priority {priority} must be 1 (most urgent) to 4")
        if offence_type is not None and offence_type not in OFFENCE_TYPES:
            raise InputError(f"offence type {offence_type!r} is not in the taxonomy")
        before = case.offence_type
        case.offence_type = offence_type or case.offence_type
        case.priority = priority or case.priority
        case.move(Status.TRIAGED, staff.username, uow.policy.clock(), "triaged")
        return {"offence_type_was": before, "priority": case.priority}

    return _change(uow, staff, reference, Action.TRIAGE, "triage", change)


def assign(uow: UnitOfWork, staff: StaffAccount, reference: str, assignee: str) -> CaseStaffView:
    """Give a triaged case to an investigator of its unit (or reassign an open one).

    Args:
        assignee: the username of an active investigator, chief or analyst of the case's unit.
    Raises:
        InputError: the assignee does not exist, may not investigate, or works elsewhere.
        NotAllowed, CaseNotFound, IllegalTransition: as for `triage`.
    """

    def change(case: Complaint) -> Detail:
        _check_assignee(uow, case, assignee)
        case.assign(assignee, staff.username, uow.policy.clock())
        return {"assignee": assignee}

    return _change(uow, staff, reference, Action.ASSIGN, "assign", change)


def list_assignees(uow: UnitOfWork, staff: StaffAccount, reference: str) -> list[Assignee]:
    """Who may be given this case: the active accounts of its unit whose role investigates.

    Returns:
        The choices for `assign`, by name; empty when the unit has nobody to investigate.
    Raises:
        NotAllowed, CaseNotFound: the caller may not assign, or the case is not in scope
        (both logged).
    """
    with uow:
        case = load_case(uow, staff, reference, Action.ASSIGN)
        found = [a for a in uow.staff.in_unit(case.competent_unit) if a.can_be_assigned]
        found.sort(key=lambda a: (a.display_name.casefold(), a.username))
        return [
            Assignee(username=a.username, display_name=a.display_name, role=a.role.value)
            for a in found
        ]


def transition(
    uow: UnitOfWork, staff: StaffAccount, reference: str, change: TransitionIn
) -> CaseStaffView:
    """Move a case along the workflow; closing needs an outcome (and a reference to merge into).

    Raises:
        IllegalTransition: the workflow does not allow it; the message lists what it allows.
        CaseNotFound: the case, or the case to merge into, is not in scope.
        NotAllowed: the role may not investigate (or close).
    """
    closing = change.target is Status.CLOSED

    def move(case: Complaint) -> Detail:
        now, before = uow.policy.clock(), case.status
        if closing:
            if change.outcome is None:
                raise IllegalTransition("closing a case needs an outcome")
            target = _merge_target(uow, staff, change.merged_into)
            case.close(change.outcome, staff.username, now, change.reason, target)
        else:
            if change.outcome is not None or change.merged_into is not None:
                raise IllegalTransition("an outcome is given only when closing a case")
            case.move(change.target, staff.username, now, change.reason)
        return {"from_status": before.value, "to_status": case.status.value}

    action = Action.CLOSE if closing else Action.INVESTIGATE
    return _change(uow, staff, reference, action, "transition", move)


def reroute(
    uow: UnitOfWork, staff: StaffAccount, reference: str, unit: str, reason: str
) -> CaseStaffView:
    """Hand a case to another zone or federal unit, with a mandatory reason.

    Returns:
        The case as it now stands; the caller may no longer see it afterwards.
    Raises:
        InputError: an unknown unit or an empty reason. IllegalTransition: already investigated.
    """
    target = unit.strip()

    def change(case: Complaint) -> Detail:
        if target not in uow.policy.registry.zones and not uow.policy.routing.is_unit(target):
            raise InputError(
                f"unit {unit[:20]!r} is neither a zone of the registry nor a federal unit"
            )
        source = case.competent_unit
        case.reroute(target, staff.username, uow.policy.clock(), " ".join(reason.split()))
        return {"from_unit": source, "to_unit": target}

    return _change(uow, staff, reference, Action.REROUTE, "reroute", change)


def send_message_to_victim(
    uow: UnitOfWork,
    staff: StaffAccount,
    reference: str,
    message: MessageIn,
    await_reply: bool = False,
) -> CaseStaffView:
    """Write to the victim (shown on the portal); `await_reply` sets awaiting_victim.

    Raises:
        NotAllowed, CaseNotFound: role or scope (both logged).
        IllegalTransition: the case is closed, or (with `await_reply`) its state cannot become
            awaiting_victim; nothing is sent then.
    """

    def change(case: Complaint) -> Detail:
        case.message_to_victim(message.body, staff.username, uow.policy.clock(), await_reply)
        return {"await_reply": await_reply}

    return _change(uow, staff, reference, Action.MESSAGE_VICTIM, "message_to_victim", change)


def add_internal_note(
    uow: UnitOfWork, staff: StaffAccount, reference: str, note: MessageIn
) -> CaseStaffView:
    """Add a staff-only note to the case."""

    def change(case: Complaint) -> Detail:
        case.add_note(staff.username, note.body, uow.policy.clock())
        return {}

    return _change(uow, staff, reference, Action.ADD_NOTE, "internal_note", change)


def _change(
    uow: UnitOfWork,
    staff: StaffAccount,
    reference: str,
    action: Action,
    what: str,
    apply: Callable[[Complaint], Detail],
) -> CaseStaffView:
    """Load the case for `action`, `apply` the change, save it and log it in one transaction,
    committed; redone on a fresh read when the case changed meanwhile (`retrying`).

    `apply` changes the case through the domain, which refuses what the case's state does
    not allow, and returns the detail to log.
    """

    def attempt(for_update: bool) -> CaseStaffView:
        with uow:
            case = load_case(uow, staff, reference, action, for_update)
            detail = apply(case)
            uow.complaints.save(case)  # ConcurrentUpdate if another save came first
            log(uow, staff, AuditAction.CHANGE, case, what, change=what, **detail)
            uow.commit()
            return staff_view(case, uow.policy.sla, uow.policy.clock())

    return retrying(attempt, reference)


def _check_assignee(uow: UnitOfWork, case: Complaint, assignee: str) -> None:
    colleagues = {a.username: a for a in uow.staff.in_unit(case.competent_unit)}
    found = colleagues.get(assignee.strip().lower())
    if found is None or not found.active:
        raise InputError(f"{assignee[:40]!r} is not an active account of {case.competent_unit}")
    if not found.can_be_assigned:
        raise InputError(f"{found.username} ({found.role.value}) does not investigate cases")


def _merge_target(uow: UnitOfWork, staff: StaffAccount, merged_into: str | None) -> str | None:
    if merged_into is None:
        return None
    target = parse_reference(merged_into)
    if target is None or uow.complaints.get(target, staff.scope) is None:
        raise CaseNotFound(f"no case {merged_into!r} in your zones or units to merge into")
    return target
