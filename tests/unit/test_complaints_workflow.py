"""The case workflow: every pair of states, closing outcomes, SLA deadlines, and the aggregate."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zonal.complaints.domain.errors import IllegalTransition
from zonal.complaints.domain.model import Complaint, Consent, Place
from zonal.complaints.domain.workflow import (
    TRANSITIONS,
    Outcome,
    SlaPolicy,
    Status,
    check_outcome,
    check_transition,
)
from zonal.errors import ConfigurationError, InputError

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEGAL = {
    (Status.RECEIVED, Status.TRIAGED),
    (Status.TRIAGED, Status.ASSIGNED),
    (Status.ASSIGNED, Status.UNDER_INVESTIGATION),
    (Status.UNDER_INVESTIGATION, Status.AWAITING_VICTIM),
    (Status.AWAITING_VICTIM, Status.UNDER_INVESTIGATION),
    *((s, Status.CLOSED) for s in (Status.TRIAGED, Status.ASSIGNED, Status.UNDER_INVESTIGATION,
                                    Status.AWAITING_VICTIM)),
}  # fmt: skip


@pytest.mark.parametrize(("current", "target"), list(itertools.product(Status, Status)))
def test_every_pair_of_states_is_legal_or_refused_with_the_allowed_ones(
    current: Status, target: Status
) -> None:
    if (current, target) in LEGAL:
        check_transition(current, target)
        return
    with pytest.raises(IllegalTransition) as refused:
        check_transition(current, target)
    message = str(refused.value)
    assert repr(current.value) in message
    assert all(allowed.value in message for allowed in TRANSITIONS[current])


@pytest.mark.parametrize(
    ("outcome", "merged_into", "ok"),
    [
        (None, None, False),
        (Outcome.NO_FURTHER_ACTION, None, True),
        (Outcome.MERGED_INTO, None, False),
        (Outcome.MERGED_INTO, "ZON-2026-000001", True),
        (Outcome.REFERRED_TO_PROSECUTOR, "ZON-2026-000001", False),
    ],
)
def test_closing_needs_an_outcome_and_merging_a_reference(
    outcome: Outcome | None, merged_into: str | None, ok: bool
) -> None:
    if ok:
        check_outcome(Status.CLOSED, outcome, merged_into)
    else:
        with pytest.raises(IllegalTransition):
            check_outcome(Status.CLOSED, outcome, merged_into)


def test_an_outcome_outside_closing_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="only when closing"):
        check_outcome(Status.TRIAGED, Outcome.NO_FURTHER_ACTION, None)


def test_sla_deadlines_per_state_and_overdue() -> None:
    policy = SlaPolicy({Status.RECEIVED: 48.0})
    assert policy.deadline(Status.RECEIVED, T0) == T0 + timedelta(hours=48)
    assert not policy.overdue(Status.RECEIVED, T0, T0 + timedelta(hours=48))
    assert policy.overdue(Status.RECEIVED, T0, T0 + timedelta(hours=48, seconds=1))
    assert policy.deadline(Status.TRIAGED, T0) is None
    assert policy.deadline(Status.CLOSED, T0) is None
    with pytest.raises(ConfigurationError, match="positive"):
        SlaPolicy({Status.RECEIVED: 0})


BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        # Thursday before Christmas: Friday 25 is a holiday, then the weekend.
        (datetime(2026, 12, 24, 14, 0), datetime(2026, 12, 29, 14, 0)),
        # Friday afternoon: Saturday and Sunday do not count.
        (datetime(2026, 3, 6, 16, 30), datetime(2026, 3, 10, 16, 30)),
        # Saturday: the clock starts on Monday at midnight (after the switch to summer time).
        (datetime(2026, 3, 28, 10, 0), datetime(2026, 4, 1, 0, 0)),
        # Before Easter Monday (6 April), which does not count.
        (datetime(2026, 4, 3, 9, 0), datetime(2026, 4, 8, 9, 0)),
    ],
)
def test_the_two_day_deadline_counts_belgian_working_days(filed: datetime, due: datetime) -> None:
    policy = SlaPolicy()
    since = filed.replace(tzinfo=BRUSSELS)
    deadline = policy.deadline(Status.RECEIVED, since)
    assert deadline is not None
    assert deadline.astimezone(BRUSSELS).replace(tzinfo=None) == due
    # The queue's overdue filter asks the same question backwards.
    threshold = policy.late_if_since_before(Status.RECEIVED, deadline + timedelta(seconds=1))
    assert threshold is not None and since < threshold
    earlier = policy.late_if_since_before(Status.RECEIVED, deadline - timedelta(seconds=1))
    assert earlier is not None and earlier <= since


def case(**overrides: object) -> Complaint:
    fields: dict[str, object] = {
        "reference": "ZON-2026-000001",
        "offence_type": "phishing",
        "language": "nl",
        "occurred_from": T0,
        "occurred_to": None,
        "online": True,
        "place": Place("1050"),
        "residence": None,
        "description": "Valse sms van de bank.",
        "loss_eur": Decimal("10"),
        "bias_motive": None,
        "contact": None,
        "consent": Consent(True, False),
        "submitted_at": T0,
        "competent_unit": "5339",
        "routing_reason": "place",
        "receipt_hash": "x",
    }
    fields.update(overrides)
    return Complaint(**fields)  # type: ignore[arg-type]


def test_the_aggregate_records_every_step_and_resets_the_sla_clock() -> None:
    complaint = case()
    complaint.move(Status.TRIAGED, "intake", T0 + timedelta(hours=1))
    complaint.assign("inv", "intake", T0 + timedelta(hours=2))
    assert complaint.since == T0 + timedelta(hours=2)
    complaint.assign("inv2", "chief", T0 + timedelta(hours=3))  # reassignment keeps the state
    assert (complaint.status, complaint.assigned_to) == (Status.ASSIGNED, "inv2")
    assert [h.to_status for h in complaint.history] == [
        Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.ASSIGNED
    ]  # fmt: skip


def test_a_victims_reply_resumes_the_investigation_and_closed_cases_refuse_messages() -> None:
    complaint = case(status=Status.UNDER_INVESTIGATION)
    complaint.message_to_victim("Een screenshot?", "inv", T0, await_reply=True)
    assert complaint.status is Status.AWAITING_VICTIM
    complaint.message_from_victim("Hierbij.", T0 + timedelta(days=1))
    assert complaint.status is Status.UNDER_INVESTIGATION
    complaint.close(Outcome.NO_FURTHER_ACTION, "inv", T0, "", None)
    with pytest.raises(IllegalTransition, match="closed"):
        complaint.message_from_victim("Nog iets", T0)


def test_awaiting_a_reply_is_refused_before_investigation_without_sending() -> None:
    complaint = case(status=Status.ASSIGNED)
    with pytest.raises(IllegalTransition):
        complaint.message_to_victim("?", "inv", T0, await_reply=True)
    assert complaint.messages == []


def test_a_case_cannot_merge_into_itself_or_be_rerouted_after_investigation() -> None:
    complaint = case(status=Status.TRIAGED)
    with pytest.raises(IllegalTransition, match="itself"):
        complaint.close(Outcome.MERGED_INTO, "chief", T0, "", "ZON-2026-000001")
    with pytest.raises(InputError, match="reason"):
        complaint.reroute("FCCU", "chief", T0, "")
    complaint.reroute("FCCU", "chief", T0, "ransomware")
    assert (complaint.competent_unit, complaint.status) == ("FCCU", Status.RECEIVED)
    investigated = case(status=Status.UNDER_INVESTIGATION)
    with pytest.raises(IllegalTransition, match="re-routed"):
        investigated.reroute("FCCU", "chief", T0, "too late")


def test_erasing_keeps_statistics_and_drops_personal_content() -> None:
    complaint = case(status=Status.TRIAGED)
    complaint.reroute("5340", "chief", T0, "Jan Peeters lives in Jette")
    complaint.erase(T0)
    assert complaint.description == "" and complaint.purged_at == T0
    assert all(change.reason == "" for change in complaint.history)
    assert complaint.offence_type == "phishing" and complaint.competent_unit == "5340"
