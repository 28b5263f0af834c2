"""Parallel HTTP requests on one case against the served app (uvicorn on a loopback port), on
SQLite and PostgreSQL: staff notes, the victim's replies on the portal and a close sent while
the replies are under way. The case ends closed, every acknowledged note and reply is stored,
and the Art. 25 log matches the case."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import Engine, select

from tests.factories import PASSWORD, Office, build_office, complaint, serving, token_of
from zonal.complaints.domain.model import Author, Complaint
from zonal.complaints.domain.staff import Role
from zonal.complaints.domain.workflow import Status
from zonal.complaints.schemas import MessageIn, TransitionIn
from zonal.services import complaints as services
from zonal.storage.complaints.tables import AuditRow

STAFF = ("chief", "inv1", "inv2", "inv3")
NOTES_EACH, REPLIES = 5, 3


@dataclass
class Served:
    office: Office
    url: str
    reference: str
    code: str


@pytest.fixture
def served(engine: Engine, tmp_path: Path) -> Iterator[Served]:
    """The app on a live port over each backend; a case of 5339 awaiting the victim's reply."""
    office = build_office(tmp_path, engine.url.render_as_string(hide_password=False))
    office.account("chief", Role.ZONE_CHIEF, "5339")
    for name in STAFF[1:]:
        office.account(name, Role.ZONE_INVESTIGATOR, "5339")
    receipt = services.submit_complaint(office.setup.uow(), complaint())
    chief, ref = office.world.login("chief"), receipt.reference
    services.triage(office.setup.uow(), chief, ref)
    services.assign(office.setup.uow(), chief, ref, "chief")
    move = TransitionIn(target=Status.UNDER_INVESTIGATION)
    services.transition(office.setup.uow(), chief, ref, move)
    ask = MessageIn(body="Pouvez-vous envoyer une capture du SMS ?")
    services.send_message_to_victim(office.setup.uow(), chief, ref, ask, await_reply=True)
    try:
        with serving(office.app) as url:
            yield Served(office, url, ref, receipt.receipt_code)
    finally:
        office.store.dispose()


def staff_client(served: Served, username: str) -> httpx2.Client:
    client = httpx2.Client(base_url=served.url, follow_redirects=False, timeout=60)
    served.office.clock.advance(seconds=30)  # a fresh TOTP step for each login
    form = {"username": username, "password": PASSWORD, "code": served.office.code(username)}
    form["csrf_token"] = token_of(client, "/office/login")
    login = client.post("/office/login", data=form)
    assert login.status_code == 303, login.text
    return client


def victim_client(served: Served) -> httpx2.Client:
    client = httpx2.Client(base_url=served.url, follow_redirects=False, timeout=60)
    client.get("/follow")  # sets the portal's CSRF cookie
    return client


def case_action(client: httpx2.Client, reference: str, action: str, **fields: str) -> int:
    fields["csrf_token"] = client.cookies.get("zonal_csrf", "")
    return client.post(f"/office/cases/{reference}/{action}", data=fields).status_code


def stored(served: Served) -> Complaint:
    with served.office.setup.uow() as uow:
        case = uow.complaints.get(served.reference, None)
    assert case is not None
    return case


def logged(served: Served) -> list[tuple[str, dict[str, object]]]:
    with served.office.setup.sessions() as session:
        rows = select(AuditRow.justification, AuditRow.detail).where(
            AuditRow.reference == served.reference
        )
        return [(why, detail) for why, detail in session.execute(rows.order_by(AuditRow.id))]


@pytest.mark.parametrize("delay", [0.0, 0.3], ids=["close-at-once", "close-0.3s-later"])
def test_a_close_after_the_victims_replies_stays_closed_and_no_note_is_lost(
    served: Served, delay: float
) -> None:
    ref = served.reference
    staff = {name: staff_client(served, name) for name in STAFF}
    victims = [victim_client(served) for _ in range(REPLIES)]

    def notes_of(name: str) -> Callable[[], list[tuple[str, int]]]:
        bodies = [f"{name} note {i}" for i in range(NOTES_EACH)]
        return lambda: [(b, case_action(staff[name], ref, "note", body=b)) for b in bodies]

    def reply(i: int) -> Callable[[], list[tuple[str, int]]]:
        fields = {"reference": ref, "code": served.code, "body": f"reply {i}"}

        def send() -> list[tuple[str, int]]:
            token = victims[i].cookies.get("zonal_csrf")
            answer = victims[i].post("/follow/message", data={"csrf_token": token, **fields})
            return [(f"reply {i}", answer.status_code)]

        return send

    def close_later() -> list[tuple[str, int]]:
        time.sleep(delay)
        fields = {"target": "closed", "outcome": "no_further_action", "reason": "done"}
        return [("close", case_action(staff["chief"], ref, "transition", **fields))]

    tasks = [reply(i) for i in range(REPLIES)] + [notes_of(name) for name in STAFF]
    with ThreadPoolExecutor(len(tasks) + 1) as pool:
        futures = [pool.submit(task) for task in [*tasks, close_later]]
        answers = dict(pair for future in futures for pair in future.result())

    assert answers.pop("close") == 303
    replies = {body: answers.pop(body) for body in list(answers) if body.startswith("reply")}
    assert set(answers.values()) <= {303, 409} and set(replies.values()) <= {200, 409}
    case = stored(served)
    assert case.status is Status.CLOSED and case.history[-1].to_status is Status.CLOSED
    assert [change.to_status for change in case.history].count(Status.CLOSED) == 1
    acknowledged = sorted(body for body, status in answers.items() if status == 303)
    assert sorted(note.body for note in case.notes) == acknowledged
    assert len(acknowledged) == len(STAFF) * NOTES_EACH  # the retries absorbed every collision
    kept = sorted(m.body for m in case.messages if m.author is Author.VICTIM)
    assert kept == sorted(body for body, status in replies.items() if status == 200)
    events = logged(served)
    assert [why for why, _ in events].count("internal_note") == len(case.notes)
    assert [why for why, _ in events].count("victim sent a message") == len(kept)
    moves = [detail["to_status"] for why, detail in events if why == "transition"]
    assert moves == ["under_investigation", "closed"]
    for client in [*staff.values(), *victims]:
        client.close()
