"""Builders for what tests make again and again, seeded so that a failure repeats.

Complaints: `complaint()` (a `ComplaintCreate`), `staff_create()`, `RECEIPT`, a fixed `Clock`
and `cheap_policy()`; a `World` that runs the complaint use cases and makes staff accounts
(`SqlWorld` over a migrated store, `MemoryWorld` without one), an `Office` (the web app
over SQLite, or a store given by its URL) with the form helpers `post_form` and `token_of`,
and `serving` (an app on a live loopback port, for real parallel clients). Analytics:
`incident_frame()` and `random_incidents()` in the canonical schema, `hourly_frame()`
(`unique_id, ds, <column>`) and `roster_slot()`.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pyotp
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from zonal.bootstrap import ComplaintsSetup, Store, open_store
from zonal.complaints.domain.receipt import SecretHasher
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.labels import Labels
from zonal.complaints.policy import ComplaintsPolicy
from zonal.complaints.schemas import ComplaintCreate, StaffCreate
from zonal.complaints.views import SubmissionReceipt
from zonal.geo import default_registry
from zonal.incidents.importers import read_incidents
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions, ImportResult
from zonal.incidents.schema import conform
from zonal.planning import RosterSlot
from zonal.services import complaints as services
from zonal.services.complaints.ports import UnitOfWork
from zonal.settings import Settings
from zonal.storage import session_factory
from zonal.storage.complaints.audit import AuditChain
from zonal.storage.complaints.audit_heads import AuditHeadFile
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.files import EncryptedFileStore
from zonal.storage.complaints.memory import InMemoryUnitOfWork, MemoryFileStore, MemoryTables
from zonal.storage.complaints.tables import AuditRow
from zonal.storage.complaints.unit_of_work import SqlUnitOfWork
from zonal.web.app import create_app

BRUSSELS = ZoneInfo("Europe/Brussels")
KEY = bytes(range(32))
PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MONDAY = datetime(2025, 3, 2, 23, tzinfo=UTC)  # Monday 3 March 2025, 00:00 in Brussels (CET)

# --- complaints -----------------------------------------------------------------------------


@dataclass
class Clock:
    """A clock that stands still until a test moves it."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def cheap_policy(clock: Clock, **changes: Any) -> ComplaintsPolicy:
    """The deployed policy on a fixed clock, with Argon2 costs cheap enough for two cores."""
    return ComplaintsPolicy(hasher=SecretHasher(1, 1024, 1), clock=clock, **changes)


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


def staff_create(
    username: str, role: Role, *scope: str, display_name: str | None = None
) -> StaffCreate:
    """A new account's form, with PASSWORD; the display name is the username, titled."""
    return StaffCreate(
        username=username,
        display_name=display_name or username.title(),
        role=role,
        scope=frozenset(scope),
        password=PASSWORD,
    )


RECEIPT = SubmissionReceipt(
    reference="ZON-2026-000001",
    receipt_code="ABCDEFGHJKMNPQRSTVWX",
    competent_unit="5339",
    submitted_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    language="fr",
    offence_type="phishing",
)


@dataclass
class World:
    """The complaint use cases over one store: `uow()` makes a unit of work on it; staff
    accounts are made by an administrator bootstrapped on first use, and log in with TOTP."""

    units: Callable[[], UnitOfWork]
    policy: ComplaintsPolicy
    clock: Clock
    secrets: dict[str, str] = field(default_factory=dict)

    def uow(self) -> UnitOfWork:
        return self.units()

    def create(self, username: str, role: Role, *scope: str) -> None:
        """Create an account (bootstrapping an administrator first)."""
        admin = self._admin()
        created = services.create_staff(self.uow(), admin, staff_create(username, role, *scope))
        self.secrets[username] = created.totp_secret

    def staff(self, username: str, role: Role, *scope: str) -> StaffAccount:
        """Create an account and log it in."""
        self.create(username, role, *scope)
        return self.login(username)

    def login(self, username: str, password: str = PASSWORD) -> StaffAccount:
        self.clock.advance(seconds=30)  # a fresh TOTP step: codes cannot be replayed
        return services.authenticate(self.uow(), username, password, self.code(username))

    def code(self, username: str) -> str:
        return pyotp.TOTP(self.secrets[username]).at(self.clock.now)

    def _admin(self) -> StaffAccount:
        if "admin" not in self.secrets:
            created = services.create_staff(
                self.uow(), None, staff_create("admin", Role.ADMINISTRATOR, "5339")
            )
            self.secrets["admin"] = created.totp_secret
        return self.login("admin")


class SqlWorld(World):
    """A World over a migrated store (SQL units of work, the test KEY, a fixed clock)."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.sessions, clock = engine, session_factory(engine), Clock()
        policy = cheap_policy(clock)
        super().__init__(
            lambda: SqlUnitOfWork(self.sessions, FieldCipher(KEY), policy), policy, clock
        )


class MemoryWorld(World):
    """A World held in memory (InMemoryUnitOfWork on `tables`, files in `files`), no database."""

    def __init__(self) -> None:
        self.tables, self.files, clock = MemoryTables(), MemoryFileStore(), Clock()
        policy = cheap_policy(clock)
        key = FieldCipher(KEY).audit_key  # the SQL world's: both chains give the same hashes
        super().__init__(lambda: InMemoryUnitOfWork(policy, self.tables, key), policy, clock)


# --- the back office over HTTP --------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Office:
    """The app over a fresh store, its complaints wiring, and a World for its staff."""

    app: FastAPI
    store: Store
    setup: ComplaintsSetup
    clock: Clock

    def __post_init__(self) -> None:
        self.world = World(self.setup.uow, self.setup.policy, self.clock)

    def account(self, username: str, role: Role, *scope: str) -> None:
        """Create an account (the first one bootstraps an administrator)."""
        self.world.create(username, role, *scope)

    def code(self, username: str) -> str:
        return self.world.code(username)

    def client(self, address: str = "testclient") -> TestClient:
        """A browser connecting from `address`."""
        # https: the session cookie is Secure off the loopback address.
        return TestClient(
            self.app, base_url="https://testserver", follow_redirects=False, client=(address, 50000)
        )

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


def build_office(tmp_path: Path, database_url: str | None = None) -> Office:
    """The web app over a new store (SQLite in `tmp_path`, or `database_url`), with cheap
    Argon2 and a fixed clock."""
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    store = open_store(settings)
    app = create_app(settings, store)
    clock, cipher = Clock(), FieldCipher(KEY)
    setup = ComplaintsSetup(
        sessions=session_factory(store.engine),
        cipher=cipher,
        policy=cheap_policy(clock),
        files=EncryptedFileStore(tmp_path / "attachments", cipher),
        heads=AuditHeadFile(tmp_path / "audit-heads.jsonl", AuditChain(cipher.audit_key)),
    )
    app.state.complaints = setup
    return Office(app, store, setup, clock)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run `app` with uvicorn on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def token_of(client: TestClient, page: str) -> str:
    """The CSRF token of the form on `page` (the cookie comes with it)."""
    found = TOKEN.search(client.get(page).text)
    assert found, f"no form with a CSRF token on {page}"
    return found.group(1)


def post_form(client: TestClient, page: str, action: str, **fields: Any) -> Any:
    """Submit the form of `page` to `action`, as a browser does (token from the page)."""
    return client.post(action, data={"csrf_token": token_of(client, page), **fields})


# --- incidents and series -------------------------------------------------------------------


def incident_frame(occurred_at: Sequence[datetime], **columns: Any) -> pl.DataFrame:
    """Canonical incidents at `occurred_at`: ids "0", "1", ..., dataset "test", citizen calls;
    `columns` adds or replaces columns (a list per row, or one value for all)."""
    n = len(occurred_at)
    data: dict[str, Any] = {
        "incident_id": [str(i) for i in range(n)],
        "dataset": "test",
        "occurred_at": pl.Series(occurred_at, dtype=pl.Datetime("us", "UTC")),
        "origin": "citizen_call",
    }
    return conform(pl.DataFrame({**data, **columns}))


def random_incidents(
    seed: int,
    size: int,
    days: int,
    zones: Sequence[str] = ("A", "B"),
    clusters: Sequence[int] = (1, 2),
    start: datetime = datetime(2025, 1, 6, tzinfo=UTC),
) -> pl.DataFrame:
    """`size` incidents at uniform random times over `days` days from `start` (sorted), each in
    a random zone and cluster."""
    rng = np.random.default_rng(seed)
    hours = np.sort(rng.uniform(0, days * 24, size))
    return incident_frame(
        [start + timedelta(hours=float(h)) for h in hours],
        dataset="t",
        zone=rng.choice(list(zones), size).tolist(),
        cluster=pl.Series(rng.choice(list(clusters), size).tolist(), dtype=pl.Int8),
    )


def hourly_frame(
    values: Mapping[str, Sequence[float] | np.ndarray],
    column: str = "y",
    start: datetime = MONDAY,
    dtype: type[np.generic] = np.float64,
) -> pl.DataFrame:
    """A long frame `unique_id, ds, <column>`: one series per key, hourly (UTC) from `start`."""
    parts = []
    for name, series in values.items():
        ds = pl.datetime_range(
            start, start + timedelta(hours=len(series) - 1), "1h", eager=True, time_zone="UTC"
        )
        parts.append(pl.DataFrame({"unique_id": name, "ds": ds, column: np.asarray(series, dtype)}))
    return pl.concat(parts)


SHIFT_STARTS = {"early": 6, "late": 14, "night": 22}


def roster_slot(day: int, shift: str, officers: int = 1, **skills: int) -> RosterSlot:
    """An 8-hour early, late or night shift on day `day` of the week of Monday 3 March 2025."""
    start = datetime.combine(date(2025, 3, 3) + timedelta(days=day), datetime.min.time(), BRUSSELS)
    return RosterSlot(shift, start.replace(hour=SHIFT_STARTS[shift]), 8, officers, skills)


def english(text: str, **values: Any) -> str:
    """A gettext that leaves the English source as it is."""
    return text % values if values else text


def english_labels(language: str = "en", gettext: Callable[..., str] = english) -> Labels:
    """Labels over the shipped registry in Brussels time, for the PDF and label tests."""
    return Labels(gettext, language, default_registry(), ZoneInfo("Europe/Brussels"))


def exported_case(**case: Any) -> dict[str, Any]:
    """An export as `export_case` returns it (JSON-ready), with `case` fields replaced."""
    fields: dict[str, Any] = {
        "reference": "ZON-2026-000001", "status": "triaged", "competent_unit": "5339",
        "offence_type": "phishing", "submitted_at": "2026-03-02T09:00:00.123456Z",
        "occurred_from": "2026-03-01T17:30:00Z", "loss_eur": "250.00", "assigned_to": None,
        "outcome": None, "description": "", "identifiers": [], "contact": None, "place": None,
        "residence": {"postal_code": "1180", "municipality_nis": "21016"}, "bias_motive": None,
        "history": [], "staff_messages": [], "notes": [], "attachments": [],
    }  # fmt: skip
    exported = {"exported_at": "2026-03-03T10:00:00.654321+00:00", "exported_by": "chief"}
    return {**exported, "justification": "prosecutor", "case": {**fields, **case}}


def read_times_csv(
    folder: Path, header: str, *rows: str, mapping: str = "time=t", **overrides: object
) -> ImportResult:
    """Import a small CSV of `header` and `rows` written in `folder`, read in Chicago time
    (so DST rules can be checked), with importer options overridden by `overrides`."""
    path = folder / "times.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    settings: dict[str, object] = {
        "mapping": ColumnMapping.parse(mapping),
        "time_zone": "America/Chicago",
        "dataset": "t",
    }
    settings.update(overrides)
    return read_incidents(path, ImportOptions(**settings))  # type: ignore[arg-type]
