"""Helpers the service modules share: logging to the Art. 25 log, scoped case loading, and
redoing a change that met a newer version of its case."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from zonal.complaints import rules
from zonal.complaints.domain.audit import AuditAction, AuditEvent
from zonal.complaints.domain.errors import CaseNotFound
from zonal.complaints.domain.model import Complaint
from zonal.complaints.domain.receipt import parse_reference
from zonal.complaints.domain.staff import Action, StaffAccount
from zonal.errors import ConcurrentUpdate, InputError, NotAllowed
from zonal.services.complaints.ports import UnitOfWork

T = TypeVar("T")
retries = logging.getLogger("zonal.complaints.retries")

# How many times in all a change is tried before ConcurrentUpdate reaches the caller (409).
# The SQL stores need two at most, as a retry holds its case (below); the rest is a margin.
ATTEMPTS = 3


def retrying(change: Callable[[bool], T], reference: str) -> T:
    """`change(for_update)`, again while it raises ConcurrentUpdate, ATTEMPTS times at most.

    `change` must open its own unit of work, read the case, apply the action and commit: each
    attempt then applies the action to the newest state, where the domain checks it again (a
    note is added to the newer case; a transition the newer state no longer allows raises
    IllegalTransition instead of being applied over it). The first attempt reads the case
    without holding it, as most changes meet no other writer; a retry reads it `for_update`,
    so that the other writers of the case wait for it instead of beating it again.
    """
    for attempt in range(1, ATTEMPTS):
        try:
            return change(attempt > 1)
        except ConcurrentUpdate:
            retries.info("case %s changed meanwhile: attempt %d, on a held read", reference,
                         attempt + 1)  # fmt: skip
    return change(True)


def log(
    uow: UnitOfWork,
    actor: StaffAccount | str,
    action: AuditAction,
    case: Complaint | None,
    justification: str = "",
    **detail: Any,
) -> None:
    """Append one event; `actor` is an account, or "victim"/"system"."""
    name, role = (actor, actor) if isinstance(actor, str) else (actor.username, actor.role.value)
    uow.audit.append(
        AuditEvent(
            at=uow.policy.clock(),
            actor=name,
            role=role,
            action=action,
            reference=case.reference if case else None,
            unit=case.competent_unit if case else None,
            justification=justification,
            detail=detail,
        )
    )


def refuse(
    uow: UnitOfWork, staff: StaffAccount, reference: str | None, why: str, action: Action
) -> None:
    """Log a refused attempt, commit that row alone, so the refusal stays on record."""
    uow.rollback()
    unit = uow.complaints.unit_of(reference) if reference else None
    uow.audit.append(
        AuditEvent(
            at=uow.policy.clock(),
            actor=staff.username,
            role=staff.role.value,
            action=AuditAction.REFUSED,
            reference=reference,
            unit=unit,
            justification="",
            outcome="refused",
            detail={"attempted": action.value, "why": why, "scope": sorted(staff.scope)},
        )
    )
    uow.commit()


def allow(uow: UnitOfWork, staff: StaffAccount, action: Action, reference: str | None) -> None:
    """Raise NotAllowed (after logging it) unless the staff member's role permits `action`."""
    try:
        staff.require(action)
    except NotAllowed:
        refuse(uow, staff, reference, "role", action)
        raise


def load_case(
    uow: UnitOfWork, staff: StaffAccount, reference: str, action: Action, for_update: bool = False
) -> Complaint:
    """The case if the role allows `action` and the case lies in the staff member's scope;
    `for_update` holds it against other writers (ports.ComplaintRepository.get).

    Raises:
        NotAllowed: the role does not permit the action (logged).
        CaseNotFound: no such case in scope, whether it exists elsewhere or not (logged).
    """
    canonical = parse_reference(reference) or reference.strip()[:40]
    allow(uow, staff, action, canonical)
    case = uow.complaints.get(canonical, staff.scope, for_update)
    if case is None:
        refuse(uow, staff, canonical, "not in scope or unknown", action)
        raise CaseNotFound(
            f"no case {canonical!r} in your zones or units ({', '.join(sorted(staff.scope))});"
            " check the reference"
        )
    return case


def require_justification(text: str) -> str:
    """The reason on one line; InputError when its length is outside rules.JUSTIFICATION."""
    reason = rules.justification(text)
    if reason is None:
        raise InputError(
            f"say why you need this case ({rules.JUSTIFICATION.min} to {rules.JUSTIFICATION.max}"
            " characters): Directive 2016/680 requires the reason for every consultation and"
            " disclosure to be logged"
        )
    return reason
