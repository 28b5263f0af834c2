"""Import runs: what was read, kept, rejected and why, and the clock the data was read in."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonal.incidents.import_runs import ImportRunCreate
from zonal.storage.tables import ImportRunRow


class SqlImportRunRepository:
    """Import runs in the session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, run: ImportRunCreate) -> int:
        row = ImportRunRow(**asdict(run))
        self.session.add(row)
        self.session.flush()
        return row.id

    def finish(self, run_id: int, rejects_path: Path | None) -> None:
        row = self.session.get_one(ImportRunRow, run_id)
        row.finished_at = datetime.now(UTC)
        row.rejects_path = str(rejects_path) if rejects_path else None

    def recorded_time_zone(self, dataset: str) -> str | None:
        query = (
            select(ImportRunRow.time_zone)
            .where(ImportRunRow.dataset == dataset)
            .order_by(ImportRunRow.started_at.desc(), ImportRunRow.id.desc())
            .limit(1)
        )
        return self.session.scalar(query)

    def latest_id(self, dataset: str) -> int | None:
        query = select(func.max(ImportRunRow.id)).where(ImportRunRow.dataset == dataset)
        return self.session.scalar(query)
