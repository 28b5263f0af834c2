"""Use cases: put the synthetic Brussels demo year, its forecast and demo staff into the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import pyotp

from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.schemas import StaffCreate
from zonal.forecasting.runs import StoredForecastRun
from zonal.incidents.demo import DEMO_DATASET, DemoSpec, generate_demo
from zonal.incidents.import_runs import ImportRunCreate
from zonal.services.complaints import create_staff, get_staff
from zonal.services.complaints.ports import UnitOfWork
from zonal.services.forecasts import DatasetForecastRequest, forecast_dataset
from zonal.services.planning import Planner
from zonal.services.ports import StoreUnitOfWork
from zonal.services.zones import current_registry


class ComplaintsStore(Protocol):
    """Where the complaint units of work come from (zonal.bootstrap.ComplaintsSetup)."""

    def uow(self) -> UnitOfWork: ...


@dataclass(frozen=True)
class DemoReport:
    dataset: str
    incidents: int
    created: bool


def build_demo(uow: StoreUnitOfWork, spec: DemoSpec, *, rebuild: bool = False) -> DemoReport:
    """Generate and store the demo year unless the store already holds it (or `rebuild`)."""
    with uow:
        stored = uow.incidents.dataset_counts().get(DEMO_DATASET, 0)
        registry = current_registry(uow)
    if stored and not rebuild:
        return DemoReport(DEMO_DATASET, stored, created=False)
    started = datetime.now(UTC)
    frame = generate_demo(registry, spec)
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
    with uow:
        run_id = uow.imports.record(run)
        uow.commit()
    with uow:  # the run first: the incidents refer to it
        uow.incidents.write(frame, import_run=run_id, replace_dataset=DEMO_DATASET)
        uow.commit()
    return DemoReport(DEMO_DATASET, frame.height, created=True)


def ensure_demo_forecast(uow: StoreUnitOfWork, *, refresh: bool = False) -> StoredForecastRun:
    """The demo's stored week-ahead forecast per zone, sector and cluster; made when missing."""
    with uow:
        newest = uow.forecasts.newest(DEMO_DATASET, limit=1)
    if newest and not refresh:
        return newest[0]
    request = DatasetForecastRequest(dataset=DEMO_DATASET, level="sector", horizon="7d")
    return forecast_dataset(uow, request).run


@dataclass(frozen=True)
class DemoReady:
    """What `zonal demo` made: the demo year, its forecast, and how many staff accounts."""

    report: DemoReport
    run: StoredForecastRun
    staff_created: int


def prepare_demo(
    uow: StoreUnitOfWork,
    spec: DemoSpec,
    *,
    rebuild: bool = False,
    complaints: ComplaintsStore | None = None,
    planner: Planner | None = None,
) -> DemoReady:
    """The demo year and its forecast in the store (made when missing, or anew on `rebuild`),
    the overviews of its plan when a `planner` is given, and the demo staff accounts when
    `complaints` is given."""
    report = build_demo(uow, spec, rebuild=rebuild)
    run = ensure_demo_forecast(uow, refresh=report.created)
    if planner is not None:
        planner.prepare(run.id)
    made = seed_demo_staff(complaints) if complaints is not None else 0
    return DemoReady(report, run, made)


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


def seed_demo_staff(setup: ComplaintsStore) -> int:
    """Create the demo staff accounts unless the store has staff already; how many were made."""
    with setup.uow() as uow:
        if uow.staff.exists(DEMO_STAFF[0][0]) or uow.staff.count_role(Role.ADMINISTRATOR):
            return 0
    admin: StaffAccount | None = None
    for username, role, scope in DEMO_STAFF:
        created = create_staff(setup.uow(), admin, _demo_account(username, role, scope))
        admin = admin or get_staff(setup.uow(), created.id)
    return len(DEMO_STAFF)


def demo_logins(setup: ComplaintsStore) -> list[DemoLogin]:
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
