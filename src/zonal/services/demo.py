"""Use cases: put the synthetic Brussels demo year, its forecast and demo staff into the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
from sqlalchemy import Engine

from zonal.bootstrap import ComplaintsSetup
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.schemas import StaffCreate
from zonal.incidents.demo import DEMO_DATASET, DemoSpec, generate_demo
from zonal.services.complaints import create_staff, get_staff
from zonal.services.forecasts import DatasetForecastRequest, StoredForecastRun, forecast_dataset
from zonal.services.store import registry_of
from zonal.storage import dataset_counts, write_incidents
from zonal.storage.forecasts import forecast_runs
from zonal.storage.import_runs import ImportRunCreate, record_import_run


@dataclass(frozen=True)
class DemoReport:
    dataset: str
    incidents: int
    created: bool


def build_demo(engine: Engine, spec: DemoSpec, *, rebuild: bool = False) -> DemoReport:
    """Generate and store the demo year unless the store already holds it (or `rebuild`)."""
    stored = dataset_counts(engine).get(DEMO_DATASET, 0)
    if stored and not rebuild:
        return DemoReport(DEMO_DATASET, stored, created=False)
    started = datetime.now(UTC)
    frame = generate_demo(registry_of(engine), spec)
    run = ImportRunCreate(
        dataset=DEMO_DATASET,
        source=f"synthetic generator (seed {spec.seed}, {spec.days} days from {spec.start})",
        preset="demo",
        time_zone="Europe/Brussels",
        started_at=started,
        finished_at=datetime.now(UTC),
        rows_read=frame.height,
        rows_imported=frame.height,
        rows_rejected=0,
    )
    run_id = record_import_run(engine, run)
    write_incidents(engine, frame, import_run=run_id, replace_dataset=DEMO_DATASET)
    return DemoReport(DEMO_DATASET, frame.height, created=True)


def ensure_demo_forecast(engine: Engine, *, refresh: bool = False) -> StoredForecastRun:
    """The demo's stored week-ahead forecast per zone, sector and cluster; made when missing."""
    newest = forecast_runs(engine, DEMO_DATASET, limit=1)
    if newest and not refresh:
        return newest[0]
    request = DatasetForecastRequest(dataset=DEMO_DATASET, level="sector", horizon="7d")
    return forecast_dataset(engine, request).run


DEMO_PASSWORD = "demo-password-not-secret"
_ALL_ZONES = ("5339", "5340", "5341", "5342", "5343", "5344")
DEMO_STAFF: tuple[tuple[str, Role, tuple[str, ...]], ...] = (
    ("demo-admin", Role.ADMINISTRATOR, _ALL_ZONES),
    ("demo-intake", Role.INTAKE_OFFICER, ("5339",)),
    ("demo-investigator", Role.ZONE_INVESTIGATOR, ("5339",)),
    ("demo-chief", Role.ZONE_CHIEF, ("5339",)),
    ("demo-dpo", Role.DPO, _ALL_ZONES),
    ("demo-fccu", Role.FEDERAL_ANALYST, ("FCCU",)),
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as shown on the login page in demo mode: everything needed to log in."""

    username: str
    role: str
    password: str
    code: str


def seed_demo_staff(setup: ComplaintsSetup) -> int:
    """Create the demo staff accounts unless the store has staff already; how many were made."""
    with setup.uow() as uow:
        if uow.staff.exists(DEMO_STAFF[0][0]) or uow.staff.count_role(Role.ADMINISTRATOR):
            return 0
    admin: StaffAccount | None = None
    for username, role, scope in DEMO_STAFF:
        created = create_staff(setup.uow(), admin, _demo_account(username, role, scope))
        admin = admin or get_staff(setup.uow(), created.id)
    return len(DEMO_STAFF)


def demo_logins(setup: ComplaintsSetup) -> list[DemoLogin]:
    """The demo accounts with their current TOTP codes (demo mode only: the key is public)."""
    logins = []
    with setup.uow() as uow:
        for username, role, _scope in DEMO_STAFF:
            found = uow.staff.credentials(username)
            if found is not None:
                code = pyotp.TOTP(found.totp_secret).now()
                logins.append(DemoLogin(username, role.value, DEMO_PASSWORD, code))
    return logins


def _demo_account(username: str, role: Role, scope: tuple[str, ...]) -> StaffCreate:
    name = username.removeprefix("demo-").replace("-", " ").title()
    return StaffCreate(
        username=username,
        display_name=f"Demo {name}",
        role=role,
        scope=frozenset(scope),
        password=DEMO_PASSWORD,
    )
