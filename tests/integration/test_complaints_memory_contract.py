"""The in-memory unit of work answers as the SQL one does (SQLite and PostgreSQL).

One sequence of complaint use cases, with refusals, rollbacks, lockouts, escalation, links,
closing, erasure, account management and the Art. 25 log, runs on a `SqlWorld` and on a
`MemoryWorld` with the same fixed clock; every answer (or error) must be equal, down to the
log's hash chain. Only what is random by design differs and is left out: receipt codes and
TOTP secrets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from tests.factories import PASSWORD, MemoryWorld, SqlWorld, World, complaint
from zonal.complaints.domain.staff import Role
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.queries import AuditQuery
from zonal.complaints.schemas import MessageIn, QueueFilters, TransitionIn, VictimInformation
from zonal.complaints.views import StaffCreated, SubmissionReceipt
from zonal.errors import ZonalError
from zonal.services import complaints as services

ETTERBEEK = {"postal_code": "1040", "municipality_nis": "21005"}


class Recorder:
    """Runs use cases on a world and keeps each answer, or the error's type and message."""

    def __init__(self, world: World) -> None:
        self.world, self.answers = world, list[Any]()

    def __call__(self, use_case: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            answer = use_case(self.world.uow(), *args, **kwargs)
        except ZonalError as error:
            self.answers.append((type(error).__name__, str(error)))
            return None
        kept = answer
        if _is_receipt(answer):
            kept = answer.model_copy(update={"receipt_code": ""})
        if isinstance(answer, StaffCreated):
            kept = answer.model_copy(update={"totp_secret": "", "totp_uri": ""})
        self.answers.append(kept)
        return answer


def _is_receipt(answer: object) -> bool:
    return isinstance(answer, SubmissionReceipt)


def casework(world: World) -> list[Any]:
    """Intake to closing, with what other zones and roles are refused."""
    call = Recorder(world)
    staff = {
        name: world.staff(name, role, *scope)
        for name, role, scope in [
            ("intake", Role.INTAKE_OFFICER, ("5339",)),
            ("inv", Role.ZONE_INVESTIGATOR, ("5339",)),
            ("chief", Role.ZONE_CHIEF, ("5339",)),
            ("midi", Role.ZONE_CHIEF, ("5341",)),
            ("analyst", Role.FEDERAL_ANALYST, ("FCCU", "5339")),
        ]
    }
    call.answers.append(sorted(staff.items()))
    receipt = call(services.submit_complaint, complaint())
    call(services.submit_complaint, complaint(place=ETTERBEEK))
    ref, code = receipt.reference, receipt.receipt_code
    call(services.open_with_receipt, ref.lower(), code.lower(), "10.0.0.1")
    call(services.open_with_receipt, ref, "A" * 20, "10.0.0.2")
    call(services.triage, staff["midi"], ref)
    call(services.transition, staff["inv"], ref, TransitionIn(target=Status.ASSIGNED))
    call(services.triage, staff["intake"], ref, priority=2)
    call(services.list_assignees, staff["intake"], ref)
    call(services.assign, staff["intake"], ref, "midi")
    call(services.assign, staff["intake"], ref, "inv")
    move = TransitionIn(target=Status.UNDER_INVESTIGATION, reason="starting")
    call(services.transition, staff["inv"], ref, move)
    ask = MessageIn(body="Pouvez-vous envoyer une capture du SMS ?")
    call(services.send_message_to_victim, staff["inv"], ref, ask, await_reply=True)
    info = VictimInformation(text="Le numéro était aussi sur WhatsApp.", identifiers=[])
    call(services.add_victim_information, ref, code, info)
    call(services.victim_message, ref, code, "Merci.")
    call(services.add_internal_note, staff["inv"], ref, MessageIn(body="Mule account."))
    call(services.list_queue, staff["chief"], QueueFilters())
    call(services.list_queue, staff["midi"], QueueFilters())
    call(services.linked_complaints, staff["chief"], ref)
    call(services.linked_complaints, staff["analyst"], ref)
    call(services.get_case, staff["midi"], ref, "curious about it")
    call(services.export_case, staff["intake"], ref, "for the prosecutor")
    call(services.export_case, staff["inv"], ref, "for the prosecutor")
    return call.answers


def escalation_and_retention(world: World) -> list[Any]:
    """Lockouts, overdue cases, closing, erasure, and the log that records it all."""
    call = Recorder(world)
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    dpo = world.staff("dpo", Role.DPO, "5339")
    receipt = call(services.submit_complaint, complaint())
    ref = receipt.reference
    for attempt in range(world.policy.receipt_lockout.max_failures + 1):
        call(services.open_with_receipt, ref, f"{attempt:020d}", "198.51.100.7")
    call(services.open_with_receipt, ref, receipt.receipt_code, "203.0.113.20")
    world.clock.advance(hours=49)
    call(services.list_queue, chief, QueueFilters(overdue_only=True))
    call(services.authenticate, "chief", "wrong password!", "000000")
    call(services.authenticate, "nobody", PASSWORD, "123456")
    call(services.triage, chief, ref)
    close = TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION)
    call(services.transition, chief, ref, close)
    call(services.purge_expired)
    world.clock.advance(days=2 * 365 + 1)
    call(services.purge_expired)
    call(services.get_case, chief, ref, "checking the purge")
    call(services.audit_log, chief, AuditQuery(limit=5, offset=2))
    call(services.audit_log, dpo, AuditQuery())
    call(services.verify_audit_log, dpo)
    return call.answers


def account_management(world: World) -> list[Any]:
    """Listing, disabling, enabling, a new password and authenticator, and who may do them."""
    call = Recorder(world)
    intake = world.staff("intake", Role.INTAKE_OFFICER, "5339")
    dpo = world.staff("dpo", Role.DPO, "5339")
    admin = world.login("admin")
    call(services.list_staff, intake)
    call(services.disable_staff, admin, "intake")
    call(services.disable_staff, admin, "intake")
    world.clock.advance(seconds=30)
    call(services.authenticate, "intake", PASSWORD, world.code("intake"))
    call(services.enable_staff, admin, "intake")
    call(services.disable_staff, admin, "admin")
    call(services.enable_staff, admin, "nobody")
    call(services.reset_staff_password, admin, "intake", "short")
    call(services.reset_staff_password, admin, "intake", "a much longer passphrase")
    call(services.reenrol_staff, admin, "intake")
    call(services.list_staff, admin)
    call(services.audit_log, dpo, AuditQuery(actor="admin"))
    return call.answers


def test_account_management_answers_alike_in_memory_and_in_the_store(store: Engine) -> None:
    in_store, in_memory = account_management(SqlWorld(store)), account_management(MemoryWorld())
    assert len(in_store) == len(in_memory) == 12
    for step, (stored, held) in enumerate(zip(in_store, in_memory, strict=True)):
        assert held == stored, f"step {step}"
    errors = [answer[0] for answer in in_memory if isinstance(answer, tuple)]
    refused = ["NotAllowed", "InputError", "AuthenticationFailed", "InputError", "NotFoundError"]
    assert errors == [*refused, "InputError"]


def test_casework_answers_alike_in_memory_and_in_the_store(store: Engine) -> None:
    in_store, in_memory = casework(SqlWorld(store)), casework(MemoryWorld())
    assert len(in_store) == len(in_memory) == 23  # the staff, then 22 calls
    for step, (stored, held) in enumerate(zip(in_store, in_memory, strict=True)):
        assert held == stored, f"step {step}"


def test_escalation_and_retention_answer_alike_in_memory_and_in_the_store(store: Engine) -> None:
    in_store = escalation_and_retention(SqlWorld(store))
    world = MemoryWorld()
    in_memory = escalation_and_retention(world)
    for step, (stored, held) in enumerate(zip(in_store, in_memory, strict=True)):
        assert held == stored, f"step {step}"
    errors = [answer[0] for answer in in_memory if isinstance(answer, tuple)]
    assert errors.count("ReceiptInvalid") == world.policy.receipt_lockout.max_failures
    assert errors.count("TooManyAttempts") == 1 and errors.count("AuthenticationFailed") == 2
