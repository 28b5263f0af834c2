"""Use case: put the synthetic Brussels demo year into the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from zonal.incidents.demo import DEMO_DATASET, DemoSpec, generate_demo
from zonal.services.store import registry_of
from zonal.storage import dataset_counts, write_incidents
from zonal.storage.tables import ImportRunRow


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
    run = ImportRunRow(
        dataset=DEMO_DATASET,
        source=f"synthetic generator (seed {spec.seed}, {spec.days} days from {spec.start})",
        preset="demo",
        time_zone="Europe/Brussels",
        started_at=started,
        finished_at=datetime.now(UTC),
        rows_read=frame.height,
        rows_imported=frame.height,
        rows_rejected=0,
        reasons={},
        notes={},
    )
    with Session(engine) as session, session.begin():
        session.add(run)
        session.flush()
        run_id = run.id
    write_incidents(engine, frame, import_run=run_id, replace_dataset=DEMO_DATASET)
    return DemoReport(DEMO_DATASET, frame.height, created=True)
