"""The complaint use cases on the in-memory unit of work: no database, the same rules.

The fake itself is checked against the SQL unit of work in
tests/integration/test_complaints_memory_contract.py; here it carries the use cases.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.factories import T0, Clock, MemoryWorld, cheap_policy, complaint
from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.errors import (
    CaseNotFound,
    IllegalTransition,
    ReceiptInvalid,
)
from zonal.complaints.domain.staff import Role
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.queries import AuditQuery
from zonal.complaints.schemas import MessageIn, QueueFilters, TransitionIn
from zonal.errors import TooManyAttempts
from zonal.services import complaints as services
from zonal.storage.complaints.memory import InMemoryUnitOfWork, MemoryTables


@pytest.fixture
def world() -> MemoryWorld:
    return MemoryWorld()


def test_a_complaint_is_routed_numbered_and_opens_with_its_receipt_only(world: MemoryWorld) -> None:
    receipt = services.submit_complaint(world.uow(), complaint())
    assert (receipt.reference, receipt.competent_unit) == ("ZON-2026-000001", "5339")
    seen = services.open_with_receipt(world.uow(), "zon-2026-000001", receipt.receipt_code.lower())
    assert seen.status is Status.RECEIVED and seen.description.startswith("Un SMS")
    with pytest.raises(ReceiptInvalid):
        services.open_with_receipt(world.uow(), receipt.reference, "A" * 20)
    assert services.submit_complaint(world.uow(), complaint()).reference == "ZON-2026-000002"


def test_failed_receipt_attempts_are_kept_although_the_call_raises(world: MemoryWorld) -> None:
    receipt = services.submit_complaint(world.uow(), complaint())
    for attempt in range(world.policy.receipt_lockout.max_failures):
        with pytest.raises(ReceiptInvalid):
            services.open_with_receipt(world.uow(), receipt.reference, f"{attempt:020d}", "x")
    with pytest.raises(TooManyAttempts):
        services.open_with_receipt(world.uow(), receipt.reference, receipt.receipt_code, "x")
    assert services.open_with_receipt(world.uow(), receipt.reference, receipt.receipt_code, "y")


def test_triage_assign_and_close_walk_the_workflow(world: MemoryWorld) -> None:
    intake = world.staff("intake", Role.INTAKE_OFFICER, "5339")
    investigator = world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    ref = services.submit_complaint(world.uow(), complaint()).reference
    services.triage(world.uow(), intake, ref, priority=2)
    view = services.assign(world.uow(), intake, ref, "inv")
    assert (view.status, view.assigned_to, view.priority) == (Status.ASSIGNED, "inv", 2)
    move = TransitionIn(target=Status.UNDER_INVESTIGATION, reason="starting")
    services.transition(world.uow(), investigator, ref, move)
    close = TransitionIn(target=Status.CLOSED, outcome=Outcome.REFERRED_TO_PROSECUTOR)
    view = services.transition(world.uow(), investigator, ref, close)
    assert [h.to_status for h in view.history] == [
        Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.UNDER_INVESTIGATION,
        Status.CLOSED,
    ]  # fmt: skip
    queue = services.list_queue(world.uow(), intake, QueueFilters(statuses=[Status.CLOSED]))
    assert [item.reference for item in queue] == [ref]


def test_an_illegal_transition_leaves_the_case_as_it_was(world: MemoryWorld) -> None:
    investigator = world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    ref = services.submit_complaint(world.uow(), complaint()).reference
    with pytest.raises(IllegalTransition):
        services.transition(world.uow(), investigator, ref, TransitionIn(target=Status.ASSIGNED))
    view = services.get_case(world.uow(), investigator, ref, "checking the intake")
    assert view.status is Status.RECEIVED and len(view.history) == 1


def test_another_zone_sees_nothing_and_its_attempt_is_logged(world: MemoryWorld) -> None:
    ref = services.submit_complaint(world.uow(), complaint()).reference
    midi = world.staff("midi", Role.ZONE_CHIEF, "5341")
    assert services.list_queue(world.uow(), midi, QueueFilters()) == []
    with pytest.raises(CaseNotFound):
        services.triage(world.uow(), midi, ref)
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    refused = services.audit_log(world.uow(), chief, AuditQuery(action=AuditAction.REFUSED))
    assert [(e.actor, e.reference, e.unit) for e in refused] == [("midi", ref, "5339")]


def test_the_audit_log_is_scoped_newest_first_and_its_chain_verifies(world: MemoryWorld) -> None:
    ref = services.submit_complaint(world.uow(), complaint()).reference
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    services.get_case(world.uow(), chief, ref, "reading the complaint")
    entries = services.audit_log(world.uow(), chief, AuditQuery(reference=ref))
    assert [(e.actor, e.action) for e in entries] == [("chief", "read"), ("victim", "collect")]
    assert services.verify_audit_log(world.uow(), chief).broken_at is None
    victim_row = world.tables.audit[entries[-1].id - 1]
    tampered = replace(victim_row.event, justification="nothing happened")
    world.tables.audit[victim_row.id - 1] = replace(victim_row, event=tampered)
    assert services.verify_audit_log(world.uow(), chief).broken_at == victim_row.id


def test_uncommitted_changes_are_gone_and_reads_are_copies() -> None:
    tables = MemoryTables()
    uow = InMemoryUnitOfWork(cheap_policy(Clock()), tables)
    with uow:
        reference = uow.complaints.next_reference(2026)
    with uow:  # left without commit: the number is not used up
        assert uow.complaints.next_reference(2026) == reference == "ZON-2026-000001"
        uow.commit()
    assert tables.sequences == {2026: 1}


def test_a_case_changes_in_the_store_only_when_saved_and_committed(world: MemoryWorld) -> None:
    ref = services.submit_complaint(world.uow(), complaint()).reference
    with world.uow() as uow:
        case = uow.complaints.get(ref, None)
        assert case is not None
        case.priority = 1  # changed on the copy that was read, never saved
        uow.commit()
    with world.uow() as uow:
        assert uow.complaints.get(ref, None) is not None  # a save writes over what was read
        uow.complaints.save(replace(case, description="saved, then rolled back"))
        uow.rollback()
        again = uow.complaints.get(ref, None)
    assert again is not None and again.priority != 1 and again.description.startswith("Un SMS")


def test_purge_erases_closed_cases_after_their_retention(world: MemoryWorld) -> None:
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    ref = services.submit_complaint(world.uow(), complaint()).reference
    services.triage(world.uow(), chief, ref)
    close = TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION)
    services.transition(world.uow(), chief, ref, close)
    assert services.purge_expired(world.uow()).erased == []
    world.clock.advance(days=2 * 365 + 1)
    assert services.purge_expired(world.uow()).erased == [ref]
    view = services.get_case(world.uow(), chief, ref, "checking the purge")
    assert (view.description, view.contact, view.identifiers) == ("", None, [])
    assert world.clock.now > T0 and services.purge_expired(world.uow()).erased == []


def test_files_go_to_the_memory_store_and_come_back_for_staff(world: MemoryWorld) -> None:
    receipt = services.submit_complaint(world.uow(), complaint())
    png = b"\x89PNG\r\n\x1a\n" + b"the fake bank SMS" * 8
    seen = services.attach_file(
        world.uow(), world.files, receipt.reference, receipt.receipt_code, "sms.png", png
    )
    assert seen.attachments == ["sms.png"]
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    view = services.get_case(world.uow(), chief, receipt.reference, "evidence review")
    name, media_type, content = services.attachment_content(
        world.uow(), world.files, chief, receipt.reference, view.files[0].id, "evidence review"
    )
    assert (name, media_type, content) == ("sms.png", "image/png", png)
    note = MessageIn(body="The screenshot shows the sender.")
    assert services.add_internal_note(world.uow(), chief, receipt.reference, note).notes
