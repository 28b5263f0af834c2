"""The back office over HTTP: login and sessions, the queue, a case's page and actions, exports
and the access log, as staff use them through forms."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from tests.factories import PASSWORD, Office, post_form, token_of
from zonal.complaints.domain.staff import Role
from zonal.storage.complaints.tables import AuditRow
from zonal.web.staff_session import SESSION_COOKIE, MemorySessionStore, Sessions

REFUSED = "The username, password or code is not right. Try again."


@pytest.fixture
def staffed(office: Office) -> Office:
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    office.account("inv", Role.ZONE_INVESTIGATOR, "5339")
    office.account("chief", Role.ZONE_CHIEF, "5339")
    return office


def login_attempt(office: Office, client: Any, username: str, **fields: str) -> Any:
    office.clock.advance(seconds=30)
    form = {"username": username, "password": PASSWORD, "code": office.code("intake"), **fields}
    return post_form(client, "/office/login", "/office/login", **form)


def open_case(client: Any, reference: str, why: str = "Triage of a new complaint") -> Any:
    page = f"/office/cases/{reference}"
    assert post_form(client, "/office/login", f"{page}/open", why=why).status_code == 303
    return client.get(page)


def act(client: Any, reference: str, action: str, **fields: str) -> Any:
    return post_form(client, "/office/login", f"/office/cases/{reference}/{action}", **fields)


def test_login_sets_a_strict_session_cookie_and_leads_to_the_queue(staffed: Office) -> None:
    client = staffed.client()
    response = login_attempt(staffed, client, "intake")
    assert response.status_code == 303 and response.headers["location"] == "/office/queue"
    cookie = response.headers["set-cookie"]
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/office"):
        assert flag in cookie
    queue = client.get("/office/queue")
    assert queue.status_code == 200 and "Logged in as Intake" in queue.text
    assert queue.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("username", "fields"),
    [("intake", {"password": "wrong password!"}), ("intake", {"code": "000000"}),
     ("nobody", {})],
)  # fmt: skip
def test_every_failed_login_gets_the_same_answer(
    staffed: Office, username: str, fields: dict[str, str]
) -> None:
    client = staffed.client()
    response = login_attempt(staffed, client, username, **fields)
    assert response.status_code == 401
    assert REFUSED in response.text and SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert client.get("/office/queue").status_code == 303


def test_a_login_without_the_forms_token_is_refused(staffed: Office) -> None:
    client = staffed.client()
    form = {"username": "intake", "password": PASSWORD, "code": staffed.code("intake")}
    assert client.post("/office/login", data=form).status_code == 403


def test_repeated_failures_lock_the_username_even_with_the_right_password(staffed: Office) -> None:
    client = staffed.client()
    for _ in range(5):
        assert (
            login_attempt(staffed, client, "intake", password="wrong password!").status_code == 401
        )
    locked = login_attempt(staffed, client, "intake")
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0


def test_the_login_is_rate_limited_per_username_for_unknown_names_too(staffed: Office) -> None:
    client = staffed.client()
    answers = [login_attempt(staffed, client, "ghost").status_code for _ in range(11)]
    assert answers[:5] == [401] * 5 and answers[-1] == 429


def test_a_new_login_gets_a_new_session_and_the_old_one_ends(staffed: Office) -> None:
    client = staffed.login("intake")
    first = client.cookies[SESSION_COOKIE]
    staffed.login("intake", client)
    assert client.cookies[SESSION_COOKIE] != first
    stale = staffed.client()
    stale.cookies.set(SESSION_COOKIE, first, domain="testserver", path="/office")
    assert stale.get("/office/queue").status_code == 303


def test_logout_ends_the_session_on_the_server(staffed: Office) -> None:
    client = staffed.login("intake")
    session_id = client.cookies[SESSION_COOKIE]
    assert post_form(client, "/office/queue", "/office/logout").status_code == 303
    replay = staffed.client()
    replay.cookies.set(SESSION_COOKIE, session_id, domain="testserver", path="/office")
    assert replay.get("/office/queue").headers["location"] == "/office/login"


def test_an_idle_session_expires(staffed: Office) -> None:
    now = [datetime(2026, 3, 2, 9, tzinfo=UTC)]
    staffed.app.state.staff_sessions = Sessions(MemorySessionStore(), lambda: now[0])
    client = staffed.login("intake")
    now[0] += timedelta(minutes=29)
    assert client.get("/office/queue").status_code == 200
    now[0] += timedelta(minutes=31)
    assert client.get("/office/queue").headers["location"] == "/office/login"


def test_a_case_opens_only_with_a_reason_which_goes_to_the_log(staffed: Office) -> None:
    reference = staffed.submit()
    client = staffed.login("intake")
    asked = client.get(f"/office/cases/{reference}")
    assert "Why do you open this case?" in asked.text and "Un SMS" not in asked.text
    short = post_form(client, "/office/login", f"/office/cases/{reference}/open", why="x")
    assert short.status_code == 400
    page = open_case(client, reference, "Triage of a new complaint")
    assert "Un SMS de ma banque" in page.text and "BE68 5390 0754 7034" in page.text
    log = staffed.login("chief").get("/office/audit", params={"reference": reference})
    assert "Triage of a new complaint" in log.text


def test_the_reason_form_refuses_what_the_service_refuses(staffed: Office) -> None:
    # Same boundaries as tests/unit/test_complaints_rules.py checks on the service.
    reference = staffed.submit()
    client = staffed.login("intake")
    page = f"/office/cases/{reference}/open"
    for length, status in ((4, 400), (501, 400), (5, 303), (500, 303)):
        sent = post_form(client, "/office/login", page, why="r" * length)
        assert sent.status_code == status, length
    refused = post_form(client, "/office/login", page, why="abc")
    assert "in 5 to 500 characters" in refused.text


def test_intake_triages_and_assigns_then_the_investigator_works_the_case(staffed: Office) -> None:
    reference = staffed.submit()
    intake = staffed.login("intake")
    open_case(intake, reference)
    assert (
        act(intake, reference, "triage", priority="2", offence_type="phishing").status_code == 303
    )
    assert act(intake, reference, "assign", assignee="inv").status_code == 303
    assert "The case is assigned to inv." in intake.get(f"/office/cases/{reference}").text
    inv = staffed.login("inv")
    open_case(inv, reference, "Investigation of a case assigned to me")
    assert act(inv, reference, "transition", target="under_investigation").status_code == 303
    ask = "Pouvez-vous envoyer une capture du SMS ?"
    assert act(inv, reference, "message", body=ask, await_reply="true").status_code == 303
    assert act(inv, reference, "note", body="Mule account <b>suspected</b>").status_code == 303
    page = inv.get(f"/office/cases/{reference}").text
    assert "Waiting for the victim" in page and ask in page
    assert "Mule account &lt;b&gt;suspected&lt;/b&gt;" in page  # escaped, not markup
    for status in ("Received", "Triaged", "Assigned", "Under investigation"):
        assert f"<td>{status}</td>" in page


def test_an_illegal_transition_is_refused_with_what_is_allowed(staffed: Office) -> None:
    reference = staffed.submit()
    inv = staffed.login("inv")
    open_case(inv, reference)
    response = act(inv, reference, "transition", target="under_investigation")
    assert response.status_code == 409 and "allowed: triaged" in response.text


def test_rerouting_needs_a_reason_and_moves_the_case_out_of_the_queue(staffed: Office) -> None:
    reference = staffed.submit()
    intake = staffed.login("intake")
    open_case(intake, reference)
    assert act(intake, reference, "reroute", unit="5341", reason=" ").status_code == 422
    moved = act(intake, reference, "reroute", unit="5341", reason="Happened in Saint-Gilles")
    assert moved.headers["location"] == "/office/queue"
    queue = intake.get("/office/queue").text
    assert f"Case {reference} is sent to 5341." in queue
    assert f'href="/office/cases/{reference}"' not in queue


def test_the_case_page_lists_complaints_sharing_an_identifier(staffed: Office) -> None:
    first = staffed.submit()
    second = staffed.submit(identifiers=[{"kind": "iban", "value": "be68539007547034"}])
    staffed.submit(identifiers=[{"kind": "phone", "value": "+32 471 00 00 00"}])
    page = open_case(staffed.login("intake"), first).text
    assert f'href="/office/cases/{second}"' in page and "shares Bank account (IBAN)" in page
    assert "ZON-2026-000003" not in page


def test_the_queue_filters_by_status_type_reference_and_deadline(staffed: Office) -> None:
    old = staffed.submit()
    staffed.clock.advance(hours=47)
    new = staffed.submit(offence_type="online_purchase_fraud")
    staffed.clock.advance(hours=2)  # the first case is now past its 48-hour deadline
    intake = staffed.login("intake")
    open_case(intake, new)
    act(intake, new, "triage")
    chief = staffed.login("chief")

    def listed(**params: Any) -> set[str]:
        text = chief.get("/office/queue", params=params).text
        return {ref for ref in (old, new) if f'href="/office/cases/{ref}"' in text}

    assert listed() == {old, new}
    assert listed(status="received") == {old}
    assert listed(offence_type="online_purchase_fraud") == {new}
    assert listed(reference=new) == {new}
    assert listed(overdue="true") == {old}


def test_exports_for_the_prosecutor_as_json_and_pdf(staffed: Office) -> None:
    reference = staffed.submit(description="Un SMS m\u2019a demandé 50 \u20ac. Смс.")
    chief = staffed.login("chief")
    open_case(chief, reference)
    fields = {"why": "Request from the prosecutor"}
    as_json = act(chief, reference, "export", format="json", **fields)
    exported = json.loads(as_json.text)
    assert exported["format"] == "zonal-case-export/1"
    assert exported["case"]["description"] == "Un SMS m\u2019a demandé 50 \u20ac. Смс."
    assert f'filename="{reference}.json"' in as_json.headers["content-disposition"]
    as_pdf = act(chief, reference, "export", format="pdf", **fields)
    assert as_pdf.headers["content-type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF") and as_pdf.headers["cache-control"] == "no-store"
    assert act(chief, reference, "export", format="docx", **fields).status_code == 422


def test_the_access_log_shows_refusals_and_a_broken_chain(staffed: Office) -> None:
    reference = staffed.submit()
    intake = staffed.login("intake")
    act(intake, reference, "export", format="json", why="Request from the prosecutor")
    chief = staffed.login("chief")
    page = chief.get("/office/audit").text
    assert "Check passed" in page and "refused" in page
    with staffed.setup.sessions() as session:
        session.execute(update(AuditRow).where(AuditRow.id == 2).values(actor="mallory"))
        session.commit()
    assert "The chain breaks at row 2." in chief.get("/office/audit").text


def test_pages_are_translated_and_keep_their_security_headers(staffed: Office) -> None:
    client = staffed.login("intake")
    response = client.get("/office/queue?lang=nl")
    assert '<html lang="nl">' in response.text
    assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert token_of(client, "/office/queue")


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("open", {"why": "Triage of a new complaint"}),
        ("triage", {"priority": "2"}),
        ("assign", {"assignee": "inv"}),
        ("transition", {"target": "under_investigation"}),
        ("reroute", {"unit": "5341", "reason": "happened in Anderlecht"}),
        ("message", {"body": "Bonjour"}),
        ("note", {"body": "internal"}),
        ("export", {"why": "for the prosecutor", "format": "json"}),
    ],
)
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_every_case_action_refuses_a_post_without_its_csrf_token(
    staffed: Office, action: str, fields: dict[str, str], token: str | None
) -> None:
    reference = staffed.submit()
    client = staffed.login("chief")
    open_case(client, reference)
    before = client.get(f"/office/cases/{reference}").text
    data = fields if token is None else {**fields, "csrf_token": token}
    refused = client.post(f"/office/cases/{reference}/{action}", data=data)
    assert refused.status_code == 403
    after = client.get(f"/office/cases/{reference}").text
    assert after.count("history") == before.count("history")
    assert "Bonjour" not in after and "internal" not in after


def test_long_lists_are_paged_with_previous_and_next_links(staffed: Office) -> None:
    for _ in range(51):  # one more than a page
        staffed.submit()
    client = staffed.login("chief")
    first = client.get("/office/queue")
    assert "Next page" in first.text and "Previous page" not in first.text
    assert "page=2" in first.text
    second = client.get("/office/queue", params={"page": 2})
    assert "Previous page" in second.text and "Next page" not in second.text
    assert second.text.count("/office/cases/ZON-") == 1
    log = client.get("/office/audit")
    assert "Next page" in log.text and "page=2" in log.text
