"""A real browser for end-to-end tests: Debian's Chromium driven by Playwright, axe-core checks,
and the servers the browser visits (the demo; the back office with staff accounts).

The project's `make test` installs Chromium (as root, from Debian); without it these tests
skip with a reason, except under CI=true where they must run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import ROOT, require
from tests.factories import PASSWORD, complaint, serving, staff_create
from zonal.bootstrap import ComplaintsSetup, complaints_setup, open_store
from zonal.complaints.domain.receipt import SecretHasher
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.policy import ComplaintsPolicy
from zonal.incidents.demo import DemoSpec
from zonal.services import complaints as services
from zonal.services.demo import build_demo, ensure_demo_forecast
from zonal.services.zones import registry_of
from zonal.settings import get_settings
from zonal.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}
# Each browser login uses its own account: a TOTP step cannot be used twice.
ACCOUNTS = {
    "intake": (Role.INTAKE_OFFICER, "5339"),
    "chief": (Role.ZONE_CHIEF, "5339"),
    "dpo": (Role.DPO, "5339"),
    "journey.intake": (Role.INTAKE_OFFICER, "5339"),
    "journey.inv": (Role.ZONE_INVESTIGATOR, "5339"),
}


def require_chromium() -> str:
    require(Path(CHROMIUM).exists(), "Chromium is not installed (make test installs it as root)")
    return CHROMIUM


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artefact (test-artifacts/NAME.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serve_demo(
    tmp_path_factory: pytest.TempPathFactory, spec: DemoSpec, *, forecast: bool = False
) -> Iterator[str]:
    """The web app on a live port over a new store holding the demo `spec` (and its stored
    forecast when asked); yields its base URL."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZONAL_DATA_DIR", str(tmp_path_factory.mktemp("zonal")))
        patch.delenv("ZONAL_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        store = open_store(get_settings())
        build_demo(store.uow(), spec)
        if forecast:  # as `zonal demo` does: the forecast and its plans' overviews
            store.planner().prepare(ensure_demo_forecast(store.uow()).id)
        with serving(create_app(get_settings(), store)) as url:
            yield url
        get_settings.cache_clear()


@dataclass(frozen=True)
class OfficeServer:
    url: str
    setup: ComplaintsSetup
    secrets: dict[str, str]


def serve_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeServer]:
    """The web app in demo mode (demo data key) on a live port, the ACCOUNTS, one complaint
    of zone 5339."""
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


def _accounts(setup: ComplaintsSetup) -> dict[str, str]:
    def make(actor: StaffAccount | None, username: str, role: Role, zone: str) -> str:
        name = username.replace(".", " ").title()
        data = staff_create(username, role, zone, display_name=name)
        return services.create_staff(setup.uow(), actor, data).totp_secret

    secret = make(None, "admin", Role.ADMINISTRATOR, "5339")
    code = pyotp.TOTP(secret).now()
    admin = services.authenticate(setup.uow(), "admin", PASSWORD, code)
    return {name: make(admin, name, *ACCOUNTS[name]) for name in ACCOUNTS}


def staff_login(page: Any, server: OfficeServer, username: str) -> None:
    """Log in through the form, with the code the authenticator app would show now."""
    page.goto(f"{server.url}/office/login?lang=en")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(server.secrets[username]).now())
    page.get_by_role("button", name="Log in").click()
    assert "/office/login" not in page.url, page.locator("main").inner_text()
