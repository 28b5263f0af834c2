"""The back office in a real browser: login with a TOTP code, the queue, a case, the access
log; axe-core finds no serious or critical violation on any page, in the four languages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest

from tests.e2e.browser import screenshot, serious_violations, serving
from tests.integration.test_complaints_support import PASSWORD, complaint
from zonal.bootstrap import ComplaintsSetup, complaints_setup, open_store
from zonal.complaints.domain.receipt import SecretHasher
from zonal.complaints.domain.staff import Role
from zonal.complaints.policy import ComplaintsPolicy
from zonal.complaints.schemas import StaffCreate
from zonal.services import complaints as services
from zonal.services.zones import registry_of
from zonal.settings import get_settings
from zonal.web.app import create_app

LANGUAGES = ("nl", "fr", "de", "en")
# Each browser login uses its own account: a TOTP step cannot be used twice.
ACCOUNTS = {
    "intake": (Role.INTAKE_OFFICER, "5339"),
    "chief": (Role.ZONE_CHIEF, "5339"),
    "dpo": (Role.DPO, "5339"),
    "journey.intake": (Role.INTAKE_OFFICER, "5339"),
    "journey.inv": (Role.ZONE_INVESTIGATOR, "5339"),
}


@dataclass(frozen=True)
class OfficeServer:
    url: str
    setup: ComplaintsSetup
    secrets: dict[str, str]


def _accounts(setup: ComplaintsSetup) -> dict[str, str]:
    def make(actor: Any, username: str, role: Role, zone: str) -> str:
        data = StaffCreate(
            username=username,
            display_name=username.replace(".", " ").title(),
            role=role,
            scope=frozenset({zone}),
            password=PASSWORD,
        )
        return services.create_staff(setup.uow(), actor, data).totp_secret

    secret = make(None, "admin", Role.ADMINISTRATOR, "5339")
    code = pyotp.TOTP(secret).now()
    admin = services.authenticate(setup.uow(), "admin", PASSWORD, code)
    return {name: make(admin, name, *ACCOUNTS[name]) for name in ACCOUNTS}


@pytest.fixture(scope="module")
def office_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeServer]:
    """The web app in demo mode (demo data key), staff accounts, one complaint of zone 5339."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZONAL_DATA_DIR", str(tmp_path_factory.mktemp("office")))
        patch.setenv("ZONAL_DEMO_MODE", "true")
        for name in ("ZONAL_DATABASE_URL", "ZONAL_DATA_KEY", "ZONAL_DATA_KEY_FILE"):
            patch.delenv(name, raising=False)
        get_settings.cache_clear()
        store = open_store(get_settings())
        app = create_app(get_settings(), store)
        real = complaints_setup(store, get_settings())
        # Cheap Argon2 costs keep the shared CI cores free; everything else is as deployed.
        policy = ComplaintsPolicy(
            registry=registry_of(store.uow()), hasher=SecretHasher(1, 1024, 1)
        )
        setup = ComplaintsSetup(real.sessions, real.cipher, policy, real.files)
        app.state.complaints = setup
        secrets = _accounts(setup)
        services.submit_complaint(setup.uow(), complaint())
        with serving(app) as url:
            yield OfficeServer(url, setup, secrets)
        get_settings.cache_clear()


def staff_login(page: Any, server: OfficeServer, username: str) -> None:
    """Log in through the form, with the code the authenticator app would show now."""
    page.goto(f"{server.url}/office/login?lang=en")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(server.secrets[username]).now())
    page.get_by_role("button", name="Log in").click()
    assert "/office/login" not in page.url, page.locator("main").inner_text()


def accessible_in_every_language(page: Any, url: str) -> None:
    for language in LANGUAGES:
        page.goto(f"{url}?lang={language}" if "?" not in url else f"{url}&lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        assert serious_violations(page) == [], (url, language)


def test_the_login_page_is_accessible_and_refuses_a_wrong_code(
    page: Any, office_server: OfficeServer
) -> None:
    accessible_in_every_language(page, f"{office_server.url}/office/login")
    page.goto(f"{office_server.url}/office/login?lang=fr")
    page.fill("#username", "intake")
    page.fill("#password", PASSWORD)
    page.fill("#code", "000000")
    page.locator("button[type=submit]").last.click()
    assert page.locator("#login-error").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "backoffice-1-login-refused-fr")


def test_queue_case_and_log_are_accessible_in_every_language(
    page: Any, office_server: OfficeServer
) -> None:
    url = office_server.url
    staff_login(page, office_server, "chief")
    accessible_in_every_language(page, f"{url}/office/queue")
    page.goto(f"{url}/office/queue?lang=en")
    screenshot(page, "backoffice-2-queue-en")
    page.locator("table.queue a").first.click()
    accessible_in_every_language(page, page.url)
    page.fill("#why", "Triage of a new complaint")
    page.get_by_role("button", name="Open the case").click()
    assert "Un SMS de ma banque" in page.locator(".description").inner_text()
    accessible_in_every_language(page, page.url)
    page.goto(f"{page.url}?lang=en")
    screenshot(page, "backoffice-3-case-en")
    accessible_in_every_language(page, f"{url}/office/audit")
    page.goto(f"{url}/office/audit?lang=en")
    assert "Check passed" in page.locator(".chain").inner_text()
    screenshot(page, "backoffice-4-access-log-en")


def test_the_data_protection_officer_starts_on_the_log_and_has_no_queue(
    page: Any, office_server: OfficeServer
) -> None:
    staff_login(page, office_server, "dpo")
    assert page.url.endswith("/office/audit")
    assert page.get_by_role("link", name="Cases").count() == 0
    page.get_by_role("button", name="Log out").click()
    assert page.url.endswith("/office/login")
    page.goto(f"{office_server.url}/office/audit")
    assert page.url.endswith("/office/login")
