"""Builders shared by the complaints integration tests (no tests of its own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from sqlalchemy import Engine

from zonal.complaints.domain.receipt import SecretHasher
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.policy import ComplaintsPolicy
from zonal.complaints.schemas import ComplaintCreate, StaffCreate
from zonal.services import complaints as services
from zonal.storage import session_factory
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.unit_of_work import SqlUnitOfWork

KEY = bytes(range(32))
PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class World:
    """A migrated store, a fixed clock and cheap Argon2 costs; builds units of work."""

    engine: Engine
    clock: Clock = field(default_factory=Clock)
    secrets: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)
        self.policy = ComplaintsPolicy(hasher=SecretHasher(1, 1024, 1), clock=self.clock)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, FieldCipher(KEY), self.policy)

    def staff(self, username: str, role: Role, *scope: str) -> StaffAccount:
        """Create an account (bootstrapping an administrator first) and log it in."""
        admin = self._admin()
        created = services.create_staff(
            self.uow(),
            admin,
            StaffCreate(
                username=username,
                display_name=username.title(),
                role=role,
                scope=frozenset(scope),
                password=PASSWORD,
            ),
        )
        self.secrets[username] = created.totp_secret
        return self.login(username)

    def login(self, username: str, password: str = PASSWORD) -> StaffAccount:
        self.clock.advance(seconds=30)  # a fresh TOTP step: codes cannot be replayed
        return services.authenticate(self.uow(), username, password, self.code(username))

    def code(self, username: str) -> str:
        return pyotp.TOTP(self.secrets[username]).at(self.clock.now)

    def _admin(self) -> StaffAccount | None:
        if "admin" in self.secrets:
            return self.login("admin")
        created = services.create_staff(
            self.uow(),
            None,
            StaffCreate(
                username="admin",
                display_name="Admin",
                role=Role.ADMINISTRATOR,
                scope=frozenset({"5339"}),
                password=PASSWORD,
            ),
        )
        self.secrets["admin"] = created.totp_secret
        return self.login("admin")


def complaint(**overrides: Any) -> ComplaintCreate:
    """A phishing complaint from Ixelles (postal code 1050, zone 5339), in French."""
    fields: dict[str, Any] = {
        "offence_type": "phishing",
        "language": "fr",
        "occurred_from": "2026-03-01T18:30:00+01:00",
        "place": {"postal_code": "1050"},
        "description": "Un SMS de ma banque m'a demandé mes codes. Marie Dupont-Lefèvre.",
        "loss_eur": "250.00",
        "identifiers": [
            {"kind": "iban", "value": "BE68 5390 0754 7034"},
            {"kind": "phone", "value": "0470 12 34 56"},
        ],
        "contact": {"name": "Marie Dupont-Lefèvre", "email": "marie.dupont@example.be"},
        "privacy_notice_accepted": True,
        "contact_allowed": True,
    }
    fields.update(overrides)
    return ComplaintCreate.model_validate(fields)


@pytest.fixture
def world(store: Engine) -> World:
    return World(store)


Factory = Callable[..., ComplaintCreate]
