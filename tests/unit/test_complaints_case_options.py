"""`case_options`: what the case page offers one account on a case in one state.

The options are checked against the use cases themselves, on the in-memory store: every move
offered succeeds, every move of the workflow that is not offered is refused. So the page can
neither offer a button that fails nor hide one that would work.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.factories import MemoryWorld, complaint
from zonal.complaints.domain.errors import IllegalTransition
from zonal.complaints.domain.staff import Action, Role, StaffAccount, case_options
from zonal.complaints.domain.workflow import Outcome, Status, allowed_from
from zonal.complaints.schemas import MessageIn, TransitionIn
from zonal.errors import NotAllowed
from zonal.services import complaints as services

ROLES = (
    Role.INTAKE_OFFICER,
    Role.ZONE_INVESTIGATOR,
    Role.ZONE_CHIEF,
    Role.FEDERAL_ANALYST,
    Role.DPO,
)
# How the chief brings a new case to each state, one step after the other.
PATH = (
    Status.TRIAGED,
    Status.ASSIGNED,
    Status.UNDER_INVESTIGATION,
    Status.AWAITING_VICTIM,
    Status.CLOSED,
)


@pytest.fixture
def world() -> MemoryWorld:
    # One world per test: the in-memory store copies all its cases on every unit of work.
    built = MemoryWorld()
    built.create("chief", Role.ZONE_CHIEF, "5339")
    built.create("inv", Role.ZONE_INVESTIGATOR, "5339")
    return built


def account(world: MemoryWorld, role: Role) -> StaffAccount:
    """A logged-in account of `role` in zone 5339 (the world's own chief or investigator)."""
    known = {Role.ZONE_CHIEF: "chief", Role.ZONE_INVESTIGATOR: "inv"}
    if role not in known:
        world.create(role.value, role, "5339")
    return world.login(known.get(role, role.value))


def case_in(world: MemoryWorld, status: Status) -> str:
    """A new case of zone 5339 that the chief has brought to `status`."""
    reference = services.submit_complaint(world.uow(), complaint()).reference
    chief = world.login("chief")
    for step in PATH[: PATH.index(status) + 1] if status in PATH else ():
        attempt(world, chief, reference, step)()
    return reference


def attempt(
    world: MemoryWorld, staff: StaffAccount, reference: str, target: Status
) -> Callable[[], object]:
    """The use case that moves the case to `target`, as the case page's form would call it."""
    if target is Status.TRIAGED:
        return lambda: services.triage(world.uow(), staff, reference)
    if target is Status.ASSIGNED:
        return lambda: services.assign(world.uow(), staff, reference, "inv")
    outcome = Outcome.NO_FURTHER_ACTION if target is Status.CLOSED else None
    change = TransitionIn(target=target, outcome=outcome)
    return lambda: services.transition(world.uow(), staff, reference, change)


def succeeds(call: Callable[[], object]) -> bool:
    try:
        call()
    except (NotAllowed, IllegalTransition):
        return False
    return True


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ROLES)
def test_every_move_offered_succeeds_and_every_other_is_refused(
    world: MemoryWorld, role: Role, status: Status
) -> None:
    staff = account(world, role)
    offered = case_options(staff, status).next_states
    for target in [*allowed_from(status), Status.UNDER_INVESTIGATION, Status.AWAITING_VICTIM]:
        done = succeeds(attempt(world, staff, case_in(world, status), target))
        assert done == (target in offered), (role, status, target)


def actions(world: MemoryWorld, staff: StaffAccount) -> dict[Action, Callable[[str], object]]:
    """Each case action's use case, as its form on the case page calls it."""
    uow, note = world.uow, MessageIn(body="Vu le dossier.")
    closing = TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION)
    return {
        Action.TRIAGE: lambda ref: services.triage(uow(), staff, ref),
        Action.ASSIGN: lambda ref: services.assign(uow(), staff, ref, "inv"),
        Action.CLOSE: lambda ref: services.transition(uow(), staff, ref, closing),
        Action.REROUTE: lambda ref: services.reroute(uow(), staff, ref, "5341", "Saint-Gilles"),
        Action.MESSAGE_VICTIM: lambda ref: services.send_message_to_victim(uow(), staff, ref, note),
        Action.ADD_NOTE: lambda ref: services.add_internal_note(uow(), staff, ref, note),
    }


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ROLES)
def test_every_action_offered_succeeds_and_every_other_is_refused(
    world: MemoryWorld, role: Role, status: Status
) -> None:
    staff = account(world, role)
    options = case_options(staff, status)
    for action, call in actions(world, staff).items():
        done = succeeds(lambda call=call: call(case_in(world, status)))
        assert done == options.offers(action), (role, status, action)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ROLES)
def test_waiting_for_the_reply_is_offered_exactly_when_the_message_can_ask_for_it(
    world: MemoryWorld, role: Role, status: Status
) -> None:
    staff = account(world, role)
    ask = MessageIn(body="Pouvez-vous envoyer une capture du SMS ?")
    reference = case_in(world, status)
    done = succeeds(
        lambda: services.send_message_to_victim(world.uow(), staff, reference, ask, True)
    )
    assert done == case_options(staff, status).await_reply, (role, status)


def test_an_intake_officer_on_an_assigned_case_can_write_but_not_wait_or_move(
    world: MemoryWorld,
) -> None:
    intake = account(world, Role.INTAKE_OFFICER)
    options = case_options(intake, Status.ASSIGNED)
    assert options.offers(Action.MESSAGE_VICTIM) and not options.await_reply
    assert options.next_states == () and not options.offers(Action.TRIAGE)
    assert options.offers(Action.ASSIGN) and options.offers(Action.REROUTE)


def test_a_closed_case_offers_no_move_and_no_message(world: MemoryWorld) -> None:
    chief = account(world, Role.ZONE_CHIEF)
    options = case_options(chief, Status.CLOSED)
    assert options.next_states == () and not options.await_reply
    assert not {Action.MESSAGE_VICTIM, Action.ASSIGN, Action.REROUTE} & options.actions
    assert options.offers(Action.ADD_NOTE) and options.offers(Action.EXPORT_CASE)


def test_a_disabled_account_is_offered_nothing() -> None:
    gone = StaffAccount(1, "old", "Old", Role.ZONE_CHIEF, frozenset({"5339"}), active=False)
    options = case_options(gone, Status.UNDER_INVESTIGATION)
    assert options.actions == frozenset() and options.next_states == ()
