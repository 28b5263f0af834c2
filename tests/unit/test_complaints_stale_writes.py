"""Stale writes on the in-memory unit of work, which checks case versions as the SQL store does:
a save or a commit over a case committed meanwhile is refused, and the use cases redo the
change on the newer case, where the domain checks it again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import pytest

from tests.factories import MemoryWorld, complaint
from zonal.complaints.domain.errors import IllegalTransition
from zonal.complaints.domain.model import Author, Complaint
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.schemas import MessageIn, TransitionIn
from zonal.errors import ConcurrentUpdate
from zonal.services import complaints as services
from zonal.services.complaints._common import ATTEMPTS
from zonal.storage.complaints.memory import InMemoryUnitOfWork

CLOSE = TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION)


class Overtaken(InMemoryUnitOfWork):
    """A unit of work on `world`'s tables whose saves are overtaken: `meanwhile` (another
    client's whole change, committed) runs just before the first save, or before every save."""

    def __init__(self, world: MemoryWorld, meanwhile: Callable[[], Any], every: bool = False):
        super().__init__(world.policy, world.tables)
        self.meanwhile, self.every, self.overtaken = meanwhile, every, 0

    def __enter__(self) -> Self:
        entered = super().__enter__()
        save = self.complaints.save

        def overtaken_save(case: Complaint) -> None:
            if self.every or not self.overtaken:
                self.overtaken += 1
                self.meanwhile()
            save(case)

        self.complaints.save = overtaken_save  # type: ignore[method-assign]
        return entered


@pytest.fixture
def world() -> MemoryWorld:
    return MemoryWorld()


def investigated(world: MemoryWorld) -> tuple[str, str, StaffAccount]:
    receipt = services.submit_complaint(world.uow(), complaint())
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    ref = receipt.reference
    services.triage(world.uow(), chief, ref)
    services.assign(world.uow(), chief, ref, "chief")
    services.transition(world.uow(), chief, ref, TransitionIn(target=Status.UNDER_INVESTIGATION))
    return ref, receipt.receipt_code, chief


def stored(world: MemoryWorld, reference: str) -> Complaint:
    with world.uow() as uow:
        case = uow.complaints.get(reference, None)
    assert case is not None
    return case


def test_a_save_over_a_case_committed_meanwhile_is_refused(world: MemoryWorld) -> None:
    ref, _, _ = investigated(world)
    with world.uow() as first, world.uow() as second:
        mine, theirs = first.complaints.get(ref, None), second.complaints.get(ref, None)
        assert mine is not None and theirs is not None
        mine.add_note("chief", "first", world.clock())
        first.complaints.save(mine)
        first.commit()
        theirs.add_note("chief", "from a stale read", world.clock())
        with pytest.raises(ConcurrentUpdate, match=f"case {ref} was changed by someone else"):
            second.complaints.save(theirs)
        second.commit()
    assert [note.body for note in stored(world, ref).notes] == ["first"]


def test_a_commit_after_another_commit_of_the_saved_case_is_refused(world: MemoryWorld) -> None:
    ref, _, _ = investigated(world)
    with world.uow() as first, world.uow() as second:
        mine, theirs = first.complaints.get(ref, None), second.complaints.get(ref, None)
        assert mine is not None and theirs is not None
        mine.add_note("chief", "saved first, committed last", world.clock())
        first.complaints.save(mine)
        theirs.add_note("chief", "saved last, committed first", world.clock())
        second.complaints.save(theirs)
        second.commit()
        with pytest.raises(ConcurrentUpdate):
            first.commit()
    assert [note.body for note in stored(world, ref).notes] == ["saved last, committed first"]


def test_a_case_only_read_is_left_as_another_unit_committed_it(world: MemoryWorld) -> None:
    ref, _, chief = investigated(world)
    with world.uow() as reader:
        assert reader.complaints.get(ref, None) is not None
        services.add_internal_note(world.uow(), chief, ref, MessageIn(body="meanwhile"))
        reader.commit()  # publishes what it changed, which is not this case
    assert [note.body for note in stored(world, ref).notes] == ["meanwhile"]
    services.add_internal_note(world.uow(), chief, ref, MessageIn(body="after"))
    assert [note.body for note in stored(world, ref).notes] == ["meanwhile", "after"]


def test_a_note_overtaken_by_a_victims_message_is_added_to_the_newer_case(
    world: MemoryWorld,
) -> None:
    ref, code, chief = investigated(world)

    def victim_writes() -> None:
        services.victim_message(world.uow(), ref, code, "Encore un SMS ce matin.")

    overtaken = Overtaken(world, victim_writes)
    view = services.add_internal_note(overtaken, chief, ref, MessageIn(body="Mule account."))
    assert overtaken.overtaken == 1
    assert [n["body"] for n in view.notes] == ["Mule account."]
    assert [m["body"] for m in view.staff_messages] == ["Encore un SMS ce matin."]  # the newer
    case = stored(world, ref)
    assert [n.body for n in case.notes] == ["Mule account."]
    assert [m.body for m in case.messages if m.author is Author.VICTIM] == [
        "Encore un SMS ce matin."
    ]
    events = [record.event.justification for record in world.tables.audit]
    assert events.count("internal_note") == events.count("victim sent a message") == 1


def test_a_reply_that_read_the_case_before_its_close_is_refused_on_the_retry(
    world: MemoryWorld,
) -> None:
    ref, code, chief = investigated(world)
    overtaken = Overtaken(world, lambda: services.transition(world.uow(), chief, ref, CLOSE))
    with pytest.raises(IllegalTransition, match="closed"):
        services.victim_message(overtaken, ref, code, "Une dernière chose.")
    case = stored(world, ref)
    assert case.status is Status.CLOSED and case.history[-1].to_status is Status.CLOSED
    assert not [m for m in case.messages if m.author is Author.VICTIM]
    events = [record.event.justification for record in world.tables.audit]
    assert "victim sent a message" not in events


def test_a_close_overtaken_by_a_reply_is_checked_again_and_closes(world: MemoryWorld) -> None:
    ref, code, chief = investigated(world)
    ask = MessageIn(body="Une capture, s'il vous plaît.")
    services.send_message_to_victim(world.uow(), chief, ref, ask, await_reply=True)

    def victim_replies() -> None:
        services.victim_message(world.uow(), ref, code, "La voici.")

    view = services.transition(Overtaken(world, victim_replies), chief, ref, CLOSE)
    assert view.status is Status.CLOSED
    assert [h.to_status for h in stored(world, ref).history][-3:] == [
        Status.AWAITING_VICTIM, Status.UNDER_INVESTIGATION, Status.CLOSED
    ]  # fmt: skip


def test_a_change_overtaken_at_every_attempt_is_reported_and_not_applied(
    world: MemoryWorld,
) -> None:
    ref, _, chief = investigated(world)

    def colleague_writes() -> None:
        services.add_internal_note(world.uow(), chief, ref, MessageIn(body="colleague"))

    overtaken = Overtaken(world, colleague_writes, every=True)
    with pytest.raises(ConcurrentUpdate):
        services.add_internal_note(overtaken, chief, ref, MessageIn(body="never saved"))
    assert overtaken.overtaken == ATTEMPTS
    assert [note.body for note in stored(world, ref).notes] == ["colleague"] * ATTEMPTS
