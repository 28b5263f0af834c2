"""Import runs: what was read, kept, rejected and why, and the clock the data was read in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from zonal.storage.tables import ImportRunRow


@dataclass(frozen=True)
class ImportRunCreate:
    """An import run as it starts (a generator's run starts and finishes at once)."""

    dataset: str
    source: str
    preset: str | None
    time_zone: str
    started_at: datetime
    rows_read: int
    rows_imported: int
    rows_rejected: int
    reasons: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    finished_at: datetime | None = None


def record_import_run(engine: Engine, run: ImportRunCreate) -> int:
    """Store the run; its id, which the incidents it brings refer to."""
    row = ImportRunRow(**asdict(run))
    with Session(engine) as session, session.begin():
        session.add(row)
        session.flush()
        return row.id


def finish_import_run(engine: Engine, run_id: int, rejects_path: Path | None) -> None:
    """Mark the run finished now, with the CSV its rejects went to (if any)."""
    with Session(engine) as session, session.begin():
        row = session.get_one(ImportRunRow, run_id)
        row.finished_at = datetime.now(UTC)
        row.rejects_path = str(rejects_path) if rejects_path else None


def dataset_time_zone(engine: Engine, dataset: str) -> str | None:
    """The time zone the dataset's latest import run read it in; None for an unknown dataset."""
    query = (
        select(ImportRunRow.time_zone)
        .where(ImportRunRow.dataset == dataset)
        .order_by(ImportRunRow.started_at.desc(), ImportRunRow.id.desc())
        .limit(1)
    )
    with Session(engine) as session:
        return session.scalar(query)
