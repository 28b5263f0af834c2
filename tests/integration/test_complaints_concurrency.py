"""Many clients writing one case at once, through the use cases in real threads, on SQLite and
PostgreSQL: every acknowledged note and message is stored, the child rows' positions stay
0..n-1, the Art. 25 log holds one event per stored change, and a close is never reverted."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain, zip_longest
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select

from tests.factories import SqlWorld, complaint
from zonal.complaints.domain.errors import IllegalTransition
from zonal.complaints.domain.model import Author, Complaint
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.schemas import MessageIn, TransitionIn
from zonal.errors import ConcurrentUpdate
from zonal.services import complaints as services
from zonal.storage import upgrade
from zonal.storage.complaints.tables import (
    AuditRow,
    CaseRow,
    MessageRow,
    NoteRow,
    StatusChangeRow,
)
from zonal.storage.migrate import downgrade

WORKERS = 10  # below the engine's pool of 15 connections, above the machine's cores
VICTIM = "203.0.113.20"


@dataclass(frozen=True)
class Case:
    reference: str
    code: str
    chief: StaffAccount


def investigated_case(world: SqlWorld) -> Case:
    """A case of 5339 under investigation by its chief; the victim holds its receipt code."""
    receipt = services.submit_complaint(world.uow(), complaint())
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    ref = receipt.reference
    services.triage(world.uow(), chief, ref)
    services.assign(world.uow(), chief, ref, "chief")
    services.transition(world.uow(), chief, ref, TransitionIn(target=Status.UNDER_INVESTIGATION))
    return Case(ref, receipt.receipt_code, chief)


def together(tasks: list[Callable[[], Any]]) -> list[BaseException | None]:
    """Run `tasks` on WORKERS threads at once; None for each that returned, else its error."""

    def run(task: Callable[[], Any]) -> BaseException | None:
        try:
            task()
        except Exception as exc:  # the outcome is what the test looks at
            return exc
        return None

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(run, tasks))


def stored(world: SqlWorld, reference: str) -> Complaint:
    with world.uow() as uow:
        case = uow.complaints.get(reference, None)
    assert case is not None
    return case


def positions(world: SqlWorld, reference: str) -> dict[str, list[int]]:
    """The `position` of every child row of the case, per table, in the order stored."""
    found: dict[str, list[int]] = {}
    with world.sessions() as session:
        case_id = session.scalars(select(CaseRow.id).where(CaseRow.reference == reference)).one()
        for table in (NoteRow, MessageRow, StatusChangeRow):
            rows = select(table.position).where(table.case_id == case_id).order_by(table.id)
            found[table.__tablename__] = list(session.scalars(rows))
    return found


def logged(world: SqlWorld, reference: str) -> list[str]:
    """The justifications of the Art. 25 events of `reference`, oldest first."""
    with world.sessions() as session:
        rows = select(AuditRow.justification).where(AuditRow.reference == reference)
        return list(session.scalars(rows.order_by(AuditRow.id)))


def transitions_logged(world: SqlWorld, reference: str) -> list[str]:
    """The target status of every transition event of `reference` in the log, oldest first."""
    with world.sessions() as session:
        rows = select(AuditRow.detail).where(
            AuditRow.reference == reference, AuditRow.justification == "transition"
        )
        return [detail["to_status"] for detail in session.scalars(rows.order_by(AuditRow.id))]


def interleaved(*lists: list[Callable[[], Any]]) -> list[Callable[[], Any]]:
    return [task for task in chain.from_iterable(zip_longest(*lists)) if task is not None]


def versions(world: SqlWorld) -> list[int]:
    with world.sessions() as session:
        return list(session.scalars(select(CaseRow.version).order_by(CaseRow.id)))


def test_migration_0006_gives_cases_a_version_from_0_and_takes_it_back(engine: Engine) -> None:
    upgrade(engine)
    world = SqlWorld(engine)
    case = investigated_case(world)
    assert versions(world) == [3]  # triaged, assigned, under investigation
    downgrade(engine, "0005")
    assert "version" not in {c["name"] for c in inspect(engine).get_columns("complaint_cases")}
    upgrade(engine)
    assert versions(world) == [0]  # a case written before 0006 starts at 0
    services.add_internal_note(world.uow(), case.chief, case.reference, MessageIn(body="après"))
    assert versions(world) == [1]


def test_a_save_over_a_case_saved_meanwhile_is_refused_and_writes_nothing(
    world: SqlWorld,
) -> None:
    case = investigated_case(world)
    with world.uow() as first, world.uow() as second:
        mine = first.complaints.get(case.reference, None)
        theirs = second.complaints.get(case.reference, None)
        assert mine is not None and theirs is not None
        mine.add_note("chief", "first", world.clock())
        first.complaints.save(mine)
        first.commit()
        theirs.add_note("chief", "second, from a stale read", world.clock())
        theirs.messages.clear()  # what a stale rewrite of the lists would do
        with pytest.raises(ConcurrentUpdate, match="changed by someone else"):
            second.complaints.save(theirs)
        second.commit()  # nothing of the refused save is left to commit
    assert [n.body for n in stored(world, case.reference).notes] == ["first"]
    assert positions(world, case.reference)["complaint_notes"] == [0]


def test_notes_and_victim_messages_sent_together_are_all_kept(world: SqlWorld) -> None:
    case, n = investigated_case(world), 40
    notes = [
        lambda i=i: services.add_internal_note(
            world.uow(), case.chief, case.reference, MessageIn(body=f"note {i}")
        )
        for i in range(n)
    ]
    messages = [
        lambda i=i: services.victim_message(
            world.uow(), case.reference, case.code, f"message {i}", VICTIM
        )
        for i in range(n)
    ]
    outcomes = together(interleaved(notes, messages))
    assert [e for e in outcomes if not isinstance(e, ConcurrentUpdate | None)] == []
    acknowledged = [o is None for o in outcomes]
    sent_notes = {f"note {i}" for i, ok in enumerate(acknowledged[0::2]) if ok}
    sent_messages = {f"message {i}" for i, ok in enumerate(acknowledged[1::2]) if ok}
    # Retries absorb the collisions of 2 x 40 writers on 10 threads: none is reported.
    assert len(sent_notes) == len(sent_messages) == n
    after = stored(world, case.reference)
    assert sorted(note.body for note in after.notes) == sorted(sent_notes)
    assert sorted(m.body for m in after.messages if m.author is Author.VICTIM) == sorted(
        sent_messages
    )
    for table, found in positions(world, case.reference).items():
        assert sorted(found) == list(range(len(found))), table  # no gap, no duplicate
    events = logged(world, case.reference)
    assert events.count("internal_note") == len(after.notes)
    assert events.count("victim sent a message") == len(sent_messages)
    assert services.verify_audit_log(world.uow(), case.chief).broken_at is None


@pytest.mark.parametrize("trial", range(2))
def test_a_close_sent_after_the_victims_replies_stays_closed(world: SqlWorld, trial: int) -> None:
    case = investigated_case(world)
    ask = MessageIn(body="Pouvez-vous envoyer une capture ?")
    services.send_message_to_victim(world.uow(), case.chief, case.reference, ask, True)
    replies = [
        lambda i=i: services.victim_message(
            world.uow(), case.reference, case.code, f"reply {i}", VICTIM
        )
        for i in range(3)
    ]

    def close_a_little_later() -> None:
        time.sleep(0.01 * trial)  # the replies are on their way when the close is sent
        done = TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION)
        services.transition(world.uow(), case.chief, case.reference, done)

    *answered, closed = together([*replies, close_a_little_later])
    assert closed is None
    assert all(isinstance(e, IllegalTransition | None) for e in answered), answered
    after = stored(world, case.reference)
    assert after.status is Status.CLOSED and after.history[-1].to_status is Status.CLOSED
    kept = sorted(m.body for m in after.messages if m.author is Author.VICTIM)
    assert kept == [f"reply {i}" for i, error in enumerate(answered) if error is None]
    assert logged(world, case.reference).count("victim sent a message") == len(kept)
    assert transitions_logged(world, case.reference) == ["under_investigation", "closed"]
    assert [h.to_status for h in after.history].count(Status.CLOSED) == 1
