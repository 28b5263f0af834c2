"""Every back-office route refuses what the zone or the role does not allow, and logs it.

A staff member of zone 5341 cannot read, change or export a case of zone 5339 (404, as for a
reference that does not exist); an intake officer cannot do what only investigators and chiefs
may (403); anonymous visitors go to the login page. A test also checks that this file covers
every route the back office has.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

from tests.factories import Office, post_form
from zonal.complaints.domain.staff import Role
from zonal.web.routes import backoffice

UNKNOWN = "ZON-2026-999999"

# The case routes: (method, path after /office/cases/{ref}, form fields).
CASE_ROUTES: list[tuple[str, str, dict[str, str]]] = [
    ("GET", "", {}),
    ("POST", "/triage", {"priority": "2"}),
    ("POST", "/assign", {"assignee": "inv"}),
    ("POST", "/transition", {"target": "closed", "outcome": "no_further_action"}),
    ("POST", "/reroute", {"unit": "5341", "reason": "it happened in Midi"}),
    ("POST", "/message", {"body": "Bonjour"}),
    ("POST", "/note", {"body": "A note"}),
    ("POST", "/export", {"why": "for the prosecutor", "format": "json"}),
    ("POST", "/export", {"why": "for the prosecutor", "format": "pdf"}),
    ("GET", "/attachments/{attachment}", {}),
]
OTHER_ROUTES = {"", "/login", "/logout", "/accounts", "/queue", "/find", "/audit", "/open"}


@pytest.fixture
def world(office: Office) -> tuple[Office, str]:
    """Staff of zones 5339 and 5341, and one triaged case of zone 5339."""
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    office.account("inv", Role.ZONE_INVESTIGATOR, "5339")
    office.account("midi", Role.ZONE_CHIEF, "5341")
    office.account("dpo", Role.DPO, "5339")
    reference = office.submit()
    client = office.login("intake")
    open_case(client, reference)
    response = post_form(client, "/office/queue", f"/office/cases/{reference}/triage")
    assert response.status_code == 303
    return office, reference


def open_case(client: Any, reference: str, why: str = "Triage of a new complaint") -> None:
    page = f"/office/cases/{reference}"
    assert post_form(client, "/office/login", f"{page}/open", why=why).status_code == 303


def attempt(client: Any, method: str, path: str, fields: dict[str, str]) -> Any:
    if method == "GET":
        return client.get(path)
    return post_form(client, "/office/login", path, **fields)


@pytest.mark.parametrize(("method", "suffix", "fields"), CASE_ROUTES)
@pytest.mark.parametrize("target", ["foreign", "unknown"])
def test_another_zones_case_is_not_found_on_every_route_and_the_attempt_is_logged(
    world: tuple[Office, str], method: str, suffix: str, fields: dict[str, str], target: str
) -> None:
    office, reference = world
    wanted = reference if target == "foreign" else UNKNOWN
    client = office.login("midi")
    open_case(client, wanted, "looking around")
    before = office.refusals()
    response = attempt(client, method, f"/office/cases/{wanted}{suffix}", fields)
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"
    assert "Un SMS de ma banque" not in response.text
    assert office.refusals() == before + 1
    intake = office.login("intake")
    open_case(intake, reference)
    assert "Triaged" in intake.get(f"/office/cases/{reference}").text  # nothing changed


def test_another_zones_cases_are_not_listed_and_not_in_its_log(world: tuple[Office, str]) -> None:
    office, reference = world
    client = office.login("midi")
    queue = client.get("/office/queue", params={"reference": reference})
    assert queue.status_code == 200 and f'href="/office/cases/{reference}"' not in queue.text
    assert "No cases match these filters." in queue.text
    log = client.get("/office/audit", params={"reference": reference})
    assert log.status_code == 200 and "No rows match these filters." in log.text


# What an intake officer may not do (investigators and chiefs may), and what needs a chief.
INTAKE_REFUSED: list[tuple[str, str, dict[str, str]]] = [
    ("POST", "/transition", {"target": "closed", "outcome": "no_further_action"}),
    ("POST", "/export", {"why": "for the prosecutor", "format": "json"}),
    ("POST", "/export", {"why": "for the prosecutor", "format": "pdf"}),
]


@pytest.mark.parametrize(("method", "suffix", "fields"), INTAKE_REFUSED)
def test_an_intake_officer_is_refused_what_their_role_does_not_allow(
    world: tuple[Office, str], method: str, suffix: str, fields: dict[str, str]
) -> None:
    office, reference = world
    client = office.login("intake")
    before = office.refusals()
    response = attempt(client, method, f"/office/cases/{reference}{suffix}", fields)
    assert response.status_code == 403
    assert "intake_officer" in response.text and "may not" in response.text
    assert office.refusals() == before + 1


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("intake", "/office/queue?overdue=true"),
        ("intake", "/office/audit"),
        ("inv", "/office/audit"),
        ("dpo", "/office/queue"),
        ("admin", "/office/queue"),
        ("admin", "/office/audit"),
    ],
)
def test_pages_of_other_roles_are_refused_and_logged(
    world: tuple[Office, str], username: str, path: str
) -> None:
    office, _ = world
    client = office.login(username)
    before = office.refusals()
    response = client.get(path)
    assert response.status_code == 403
    assert response.headers["cache-control"] == "no-store"
    assert office.refusals() == before + 1


def test_an_administrator_cannot_read_a_case(world: tuple[Office, str]) -> None:
    office, reference = world
    client = office.login("admin")
    open_case(client, reference, "just curious")
    assert client.get(f"/office/cases/{reference}").status_code == 403


def every_route() -> list[tuple[str, str]]:
    return list(_routes(backoffice.router))


def _routes(router: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in router.routes:
        if isinstance(route, APIRoute):
            yield from ((method, prefix + route.path) for method in sorted(route.methods))
        inner = getattr(route, "original_router", None)  # FastAPI keeps included routers whole
        if inner is not None:
            yield from _routes(inner, prefix + router.prefix)


PUBLIC = {"/office/login", "/office/logout"}


@pytest.mark.parametrize(("method", "path"), [r for r in every_route() if r[1] not in PUBLIC])
def test_anonymous_visitors_are_sent_to_the_login_page(
    office: Office, method: str, path: str
) -> None:
    client = office.client()
    url = path.replace("{reference}", UNKNOWN)
    response = client.request(method, url)
    assert response.status_code == 303
    assert response.headers["location"] == "/office/login"
    assert response.headers["cache-control"] == "no-store"


def test_this_file_covers_every_back_office_route() -> None:
    covered = {f"/office/cases/{{reference}}{suffix}" for _, suffix, _ in CASE_ROUTES}
    covered |= {f"/office{path}" for path in OTHER_ROUTES} | {"/office/cases/{reference}/open"}
    assert {path for _, path in every_route()} <= covered
