"""Builders for the back-office HTTP tests (no tests of its own): an app over a fresh SQLite
store with cheap Argon2 costs and a fixed clock, staff accounts, and a logged-in client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.integration.test_complaints_support import KEY, PASSWORD, Clock, complaint
from zonal.bootstrap import ComplaintsSetup, Store, open_store
from zonal.complaints.domain.receipt import SecretHasher
from zonal.complaints.domain.staff import Role
from zonal.complaints.policy import ComplaintsPolicy
from zonal.complaints.schemas import StaffCreate
from zonal.services import complaints as services
from zonal.settings import Settings
from zonal.storage import session_factory
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.files import EncryptedFileStore
from zonal.storage.complaints.tables import AuditRow
from zonal.web.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Office:
    """The app, its complaints wiring and the TOTP secrets of the accounts made so far."""

    app: FastAPI
    store: Store
    setup: ComplaintsSetup
    clock: Clock
    secrets: dict[str, str] = field(default_factory=dict)

    def account(self, username: str, role: Role, *scope: str) -> None:
        """Create an account (the first one bootstraps an administrator)."""
        admin = None
        if not self.secrets:
            self._create(None, "admin", Role.ADMINISTRATOR, "5339")
        self.clock.advance(seconds=30)
        admin = services.authenticate(self.setup.uow(), "admin", PASSWORD, self.code("admin"))
        self._create(admin, username, role, *scope)

    def _create(self, actor: Any, username: str, role: Role, *scope: str) -> None:
        data = StaffCreate(
            username=username,
            display_name=username.title(),
            role=role,
            scope=frozenset(scope),
            password=PASSWORD,
        )
        self.secrets[username] = services.create_staff(self.setup.uow(), actor, data).totp_secret

    def code(self, username: str) -> str:
        return pyotp.TOTP(self.secrets[username]).at(self.clock.now)

    def client(self) -> TestClient:
        # https: the session cookie is Secure off the loopback address.
        return TestClient(self.app, base_url="https://testserver", follow_redirects=False)

    def login(self, username: str, client: TestClient | None = None) -> TestClient:
        """A client logged in as `username` (a fresh TOTP step for each login)."""
        client = client or self.client()
        self.clock.advance(seconds=30)
        response = post_form(
            client,
            "/office/login",
            "/office/login",
            username=username,
            password=PASSWORD,
            code=self.code(username),
        )
        assert response.status_code == 303, response.text
        return client

    def submit(self, **overrides: Any) -> str:
        """A phishing complaint from Ixelles (zone 5339); its reference."""
        return services.submit_complaint(self.setup.uow(), complaint(**overrides)).reference

    def refusals(self) -> int:
        """How many refused attempts the Art. 25 log holds."""
        with self.setup.sessions() as session:
            rows = session.scalars(select(AuditRow.outcome)).all()
        return sum(1 for outcome in rows if outcome == "refused")


def token_of(client: TestClient, page: str) -> str:
    """The CSRF token of the form on `page` (the cookie comes with it)."""
    found = TOKEN.search(client.get(page).text)
    assert found, f"no form with a CSRF token on {page}"
    return found.group(1)


def post_form(client: TestClient, page: str, action: str, **fields: Any) -> Any:
    """Submit the form of `page` to `action`, as a browser does (token from the page)."""
    return client.post(action, data={"csrf_token": token_of(client, page), **fields})


def build_office(tmp_path: Path) -> Office:
    store = open_store(Settings(data_dir=tmp_path))
    app = create_app(Settings(data_dir=tmp_path), store)
    clock = Clock()
    cipher = FieldCipher(KEY)
    setup = ComplaintsSetup(
        sessions=session_factory(store.engine),
        cipher=cipher,
        policy=ComplaintsPolicy(hasher=SecretHasher(1, 1024, 1), clock=clock),
        files=EncryptedFileStore(tmp_path / "attachments", cipher),
    )
    app.state.complaints = setup
    return Office(app, store, setup, clock)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    built = build_office(tmp_path)
    yield built
    built.store.dispose()
