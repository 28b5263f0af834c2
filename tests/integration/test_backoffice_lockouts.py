"""Lockouts a third party cannot trigger (issue 17, item 5): failures lock a username for the
address that made them, the account's own throttle lets the right password and code through,
and X-Forwarded-For is believed from configured proxies only, right-most untrusted hop first."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD, Office, token_of
from zonal.complaints.domain.staff import Role

ATTACKER, VICTIM, PROXY = "198.51.100.7", "203.0.113.20", "10.0.0.5"


@pytest.fixture
def staffed(office: Office) -> Office:
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    return office


def attempt(office: Office, client: Any, password: str = PASSWORD, **headers: str) -> int:
    office.clock.advance(seconds=30)
    form = {"username": "intake", "password": password, "code": office.code("intake")}
    token = token_of(client, "/office/login")
    response = client.post("/office/login", data={"csrf_token": token, **form}, headers=headers)
    return int(response.status_code)


def test_a_strangers_failures_do_not_lock_the_staff_member_out(staffed: Office) -> None:
    attacker = staffed.client(ATTACKER)
    answers = [attempt(staffed, attacker, "wrong password!") for _ in range(6)]
    assert answers == [401] * 5 + [429]
    assert attempt(staffed, attacker) == 429  # the guesser stays locked, right password or not
    assert attempt(staffed, staffed.client(VICTIM)) == 303


def test_failures_from_many_addresses_still_let_the_right_login_through(staffed: Office) -> None:
    limit = staffed.setup.policy.login_account_throttle.max_failures
    for n in range(limit):
        assert attempt(staffed, staffed.client(f"198.51.100.{n}"), "wrong password!") == 401
    # the account is throttled now: a wrong guess from a new address is refused as such ...
    assert attempt(staffed, staffed.client("198.51.100.250"), "wrong password!") == 429
    # ... but the right password and code pass
    assert attempt(staffed, staffed.client(VICTIM)) == 303


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(staffed: Office) -> None:
    attacker = staffed.client(ATTACKER)
    for _ in range(6):
        attempt(staffed, attacker, "wrong password!", **{"X-Forwarded-For": VICTIM})
    assert attempt(staffed, staffed.client(VICTIM)) == 303


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(
    staffed: Office,
) -> None:
    staffed.app.state.settings = staffed.app.state.settings.model_copy(
        update={"trusted_proxies": PROXY}
    )
    proxy = staffed.client(PROXY)
    # the attacker writes the victim's address first; the proxy appends the attacker's own
    forged = {"X-Forwarded-For": f"{VICTIM}, {ATTACKER}"}
    assert [attempt(staffed, proxy, "wrong password!", **forged) for _ in range(6)][-1] == 429
    assert attempt(staffed, proxy, **{"X-Forwarded-For": VICTIM}) == 303
    assert attempt(staffed, proxy, **{"X-Forwarded-For": ATTACKER}) == 429


def test_the_served_app_leaves_forwarded_headers_to_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    from zonal.cli import demo
    from zonal.settings import Settings

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _app, **options: seen.update(options))
    monkeypatch.setattr("zonal.web.app.create_app", lambda _settings: object())
    demo._serve(Settings(), "127.0.0.1", 8000)
    assert seen["proxy_headers"] is False
