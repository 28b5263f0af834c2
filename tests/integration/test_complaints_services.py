"""The complaint services end to end on SQLite and PostgreSQL: submission, receipt, case work,
zone scoping, authentication, the Art. 25 log and retention."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.factories import PASSWORD, SqlWorld, complaint
from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.errors import (
    AuthenticationFailed,
    CaseNotFound,
    IllegalTransition,
    ReceiptInvalid,
)
from zonal.complaints.domain.staff import Role
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.queries import AuditQuery
from zonal.complaints.schemas import MessageIn, QueueFilters, TransitionIn, VictimInformation
from zonal.errors import InputError, NotAllowed, TooManyAttempts
from zonal.services import complaints as services
from zonal.storage.complaints.tables import AuditRow


def test_a_phishing_complaint_from_ixelles_goes_to_zone_5339_and_opens_with_its_receipt(
    world: SqlWorld,
) -> None:
    receipt = services.submit_complaint(world.uow(), complaint())
    assert receipt.reference == "ZON-2026-000001"
    assert receipt.competent_unit == "5339"
    seen = services.open_with_receipt(world.uow(), "zon-2026-000001", receipt.receipt_code.lower())
    assert seen.status is Status.RECEIVED
    assert seen.identifiers[0] == {"kind": "iban", "value": "BE68 5390 0754 7034"}
    second = services.submit_complaint(world.uow(), complaint())
    assert second.reference == "ZON-2026-000002"


def test_a_wrong_code_and_an_unknown_reference_get_the_same_refusal(world: SqlWorld) -> None:
    receipt = services.submit_complaint(world.uow(), complaint())
    with pytest.raises(ReceiptInvalid) as wrong_code:
        services.open_with_receipt(world.uow(), receipt.reference, "AAAA-AAAA-AAAA-AAAA-AAAA")
    with pytest.raises(ReceiptInvalid) as unknown:
        services.open_with_receipt(world.uow(), "ZON-2026-999999", receipt.receipt_code)
    with pytest.raises(ReceiptInvalid) as garbage:
        services.open_with_receipt(world.uow(), "<script>", receipt.receipt_code)
    assert str(wrong_code.value) == str(unknown.value) == str(garbage.value)


def test_guessing_receipt_codes_locks_the_reference_for_the_guesser_only(world: SqlWorld) -> None:
    receipt = services.submit_complaint(world.uow(), complaint())
    stranger, victim = "198.51.100.7", "203.0.113.20"
    for attempt in range(world.policy.receipt_lockout.max_failures):
        with pytest.raises(ReceiptInvalid):
            services.open_with_receipt(world.uow(), receipt.reference, f"{attempt:020d}", stranger)
    with pytest.raises(TooManyAttempts) as locked:
        services.open_with_receipt(world.uow(), receipt.reference, receipt.receipt_code, stranger)
    assert locked.value.retry_after > 0
    # the victim, elsewhere, still opens their case: knowing a reference locks nobody out
    assert services.open_with_receipt(world.uow(), receipt.reference, receipt.receipt_code, victim)
    world.clock.advance(hours=1, seconds=1)
    assert services.open_with_receipt(
        world.uow(), receipt.reference, receipt.receipt_code, stranger
    )


def test_the_whole_workflow_from_intake_to_the_victims_reply_and_closing(world: SqlWorld) -> None:
    intake = world.staff("intake", Role.INTAKE_OFFICER, "5339")
    investigator = world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    receipt = services.submit_complaint(world.uow(), complaint())
    ref = receipt.reference
    services.triage(world.uow(), intake, ref, priority=2)
    view = services.assign(world.uow(), intake, ref, "inv")
    assert (view.status, view.assigned_to, view.priority) == (Status.ASSIGNED, "inv", 2)
    move = TransitionIn(target=Status.UNDER_INVESTIGATION, reason="starting")
    services.transition(world.uow(), investigator, ref, move)
    ask = MessageIn(body="Pouvez-vous envoyer une capture du SMS ?")
    view = services.send_message_to_victim(world.uow(), investigator, ref, ask, await_reply=True)
    assert view.status is Status.AWAITING_VICTIM
    seen = services.open_with_receipt(world.uow(), ref, receipt.receipt_code)
    assert [m.author for m in seen.messages] == ["police"]
    assert seen.messages[0].body == ask.body
    info = VictimInformation(text="Le numéro était aussi sur WhatsApp.", identifiers=[])
    seen = services.add_victim_information(world.uow(), ref, receipt.receipt_code, info)
    assert seen.status is Status.UNDER_INVESTIGATION
    services.add_internal_note(world.uow(), investigator, ref, MessageIn(body="Mule account."))
    close = TransitionIn(target=Status.CLOSED, outcome=Outcome.REFERRED_TO_PROSECUTOR)
    view = services.transition(world.uow(), investigator, ref, close)
    assert view.outcome is Outcome.REFERRED_TO_PROSECUTOR
    assert [h.to_status for h in view.history] == [
        Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.UNDER_INVESTIGATION,
        Status.AWAITING_VICTIM, Status.UNDER_INVESTIGATION, Status.CLOSED,
    ]  # fmt: skip
    public = services.open_with_receipt(world.uow(), ref, receipt.receipt_code)
    assert "Mule account." not in public.model_dump_json()  # notes stay internal


def test_an_illegal_transition_changes_nothing(world: SqlWorld) -> None:
    investigator = world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    ref = services.submit_complaint(world.uow(), complaint()).reference
    with pytest.raises(IllegalTransition, match="'received'.*allowed: triaged"):
        services.transition(world.uow(), investigator, ref, TransitionIn(target=Status.ASSIGNED))
    view = services.get_case(world.uow(), investigator, ref, "checking the intake")
    assert view.status is Status.RECEIVED and len(view.history) == 1


def test_a_user_of_another_zone_can_neither_list_read_change_nor_export(world: SqlWorld) -> None:
    ref = services.submit_complaint(world.uow(), complaint()).reference
    other = world.staff("midi", Role.ZONE_CHIEF, "5341")
    assert services.list_queue(world.uow(), other, QueueFilters()) == []
    attempts = [
        lambda: services.get_case(world.uow(), other, ref, "curious about it"),
        lambda: services.export_case(world.uow(), other, ref, "for the prosecutor"),
        lambda: services.triage(world.uow(), other, ref),
        lambda: services.add_internal_note(world.uow(), other, ref, MessageIn(body="x")),
        lambda: services.reroute(world.uow(), other, ref, "5341", "ours"),
        lambda: services.get_case(world.uow(), other, "ZON-2026-000777", "guessing ids"),
    ]
    for attempt in attempts:
        with pytest.raises(CaseNotFound):
            attempt()
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    refused = services.audit_log(
        world.uow(), chief, AuditQuery(actor="midi", action=AuditAction.REFUSED)
    )
    assert len(refused) == 5 and all(e.outcome == "refused" for e in refused)
    assert services.verify_audit_log(world.uow(), chief).broken_at is None


def test_an_intake_officer_cannot_do_what_only_a_chief_may(world: SqlWorld) -> None:
    intake = world.staff("intake", Role.INTAKE_OFFICER, "5339")
    ref = services.submit_complaint(world.uow(), complaint()).reference
    with pytest.raises(NotAllowed):
        services.audit_log(world.uow(), intake, AuditQuery())
    with pytest.raises(NotAllowed):
        services.list_queue(world.uow(), intake, QueueFilters(overdue_only=True))
    with pytest.raises(NotAllowed):
        services.export_case(world.uow(), intake, ref, "for the prosecutor")
    dpo = world.staff("dpo", Role.DPO, "5339")
    query = AuditQuery(actor="intake", action=AuditAction.REFUSED)
    refusals = services.audit_log(world.uow(), dpo, query)
    assert [e.detail["attempted"] for e in refusals] == [
        "export_case", "view_escalations", "view_audit"
    ]  # fmt: skip


def test_overdue_cases_are_escalated_to_the_chief(world: SqlWorld) -> None:
    ref = services.submit_complaint(world.uow(), complaint()).reference
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    assert services.list_queue(world.uow(), chief, QueueFilters(overdue_only=True)) == []
    world.clock.advance(hours=49)
    late = services.list_queue(world.uow(), chief, QueueFilters(overdue_only=True))
    assert [(item.reference, item.overdue) for item in late] == [(ref, True)]


def test_rerouting_needs_a_reason_and_hands_the_case_over(world: SqlWorld) -> None:
    intake = world.staff("intake", Role.INTAKE_OFFICER, "5339")
    fccu = world.staff("analyst", Role.FEDERAL_ANALYST, "FCCU")
    ref = services.submit_complaint(world.uow(), complaint()).reference
    with pytest.raises(InputError, match="reason"):
        services.reroute(world.uow(), intake, ref, "FCCU", "  ")
    services.reroute(world.uow(), intake, ref, "FCCU", "organised phishing campaign")
    assert [q.reference for q in services.list_queue(world.uow(), fccu, QueueFilters())] == [ref]
    with pytest.raises(CaseNotFound):
        services.get_case(world.uow(), intake, ref, "after the handover")


def test_linked_complaints_cross_zones_only_for_federal_analysts(world: SqlWorld) -> None:
    first = services.submit_complaint(world.uow(), complaint()).reference
    etterbeek = complaint(place={"postal_code": "1040", "municipality_nis": "21005"})
    second = services.submit_complaint(world.uow(), etterbeek).reference
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    analyst = world.staff("analyst", Role.FEDERAL_ANALYST, "FCCU", "5339")
    assert services.linked_complaints(world.uow(), chief, first) == []
    linked = services.linked_complaints(world.uow(), analyst, first)
    assert [(c.reference, c.competent_unit, c.shared_kinds) for c in linked] == [
        (second, "5343", ["iban", "phone"])
    ]


def test_login_failures_look_alike_and_lock_the_account(world: SqlWorld) -> None:
    world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    world.clock.advance(seconds=30)
    messages = set()
    for username, password, code in [
        ("inv", "wrong password!", world.code("inv")),
        ("inv", PASSWORD, "000000"),
        ("nobody", PASSWORD, "123456"),
    ]:
        with pytest.raises(AuthenticationFailed) as failed:
            services.authenticate(world.uow(), username, password, code)
        messages.add(str(failed.value))
    assert len(messages) == 1
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            services.authenticate(world.uow(), "inv", "wrong password!", "000000")
    with pytest.raises(TooManyAttempts):
        services.authenticate(world.uow(), "inv", PASSWORD, world.code("inv"))


def test_a_totp_code_cannot_be_replayed(world: SqlWorld) -> None:
    world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    code = world.code("inv")
    with pytest.raises(AuthenticationFailed):
        services.authenticate(world.uow(), "inv", PASSWORD, code)


def test_changing_a_log_row_is_detected(world: SqlWorld) -> None:
    services.submit_complaint(world.uow(), complaint())
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    entries = services.audit_log(world.uow(), chief, AuditQuery())
    victim_row = next(e for e in entries if e.actor == "victim")
    with world.engine.begin() as connection:
        connection.execute(
            update(AuditRow).where(AuditRow.id == victim_row.id).values(justification="nothing")
        )
    assert services.verify_audit_log(world.uow(), chief).broken_at == victim_row.id


def test_purge_erases_personal_content_after_retention_and_logs_it(world: SqlWorld) -> None:
    investigator = world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    receipt = services.submit_complaint(world.uow(), complaint())
    ref = receipt.reference
    services.triage(world.uow(), chief, ref)
    close = TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION)
    services.transition(world.uow(), investigator, ref, close)
    assert services.purge_expired(world.uow()).erased == []
    world.clock.advance(days=2 * 365 + 1)
    assert services.purge_expired(world.uow()).erased == [ref]
    view = services.get_case(world.uow(), chief, ref, "checking the purge")
    assert (view.description, view.contact, view.identifiers) == ("", None, [])
    assert view.outcome is Outcome.NO_FURTHER_ACTION and view.purged_at is not None
    erased = services.audit_log(
        world.uow(), chief, AuditQuery(reference=ref, action=AuditAction.ERASE)
    )
    assert len(erased) == 1 and "Marie" not in erased[0].model_dump_json()
    assert services.purge_expired(world.uow()).erased == []
