"""An account an administrator disables stops at once: its open session ends at the next
request and it cannot log in again until it is enabled."""

from __future__ import annotations

from typing import Any

from tests.factories import PASSWORD, Office, post_form
from zonal.complaints.domain.staff import Role
from zonal.services import complaints as services


def log_in(office: Office, client: Any, username: str) -> Any:
    office.clock.advance(seconds=30)
    form = {"username": username, "password": PASSWORD, "code": office.code(username)}
    return post_form(client, "/office/login", "/office/login", **form)


def test_a_disabled_account_loses_its_session_and_cannot_log_in_until_enabled(
    office: Office,
) -> None:
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    client = office.login("intake")
    assert client.get("/office/queue").status_code == 200
    admin = office.world.login("admin")
    services.disable_staff(office.setup.uow(), admin, "intake")
    ended = client.get("/office/queue")
    assert ended.status_code == 303 and ended.headers["location"] == "/office/login"
    refused = log_in(office, office.client(), "intake")
    assert refused.status_code == 401
    services.enable_staff(office.setup.uow(), admin, "intake")
    again = log_in(office, office.client(), "intake")
    assert again.status_code == 303 and again.headers["location"] == "/office/queue"


def test_a_session_of_another_account_goes_on(office: Office) -> None:
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    office.account("chief", Role.ZONE_CHIEF, "5339")
    intake, chief = office.login("intake"), office.login("chief")
    services.disable_staff(office.setup.uow(), office.world.login("admin"), "intake")
    assert chief.get("/office/queue").status_code == 200
    assert intake.get("/office/queue").status_code == 303
