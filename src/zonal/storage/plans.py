"""Computed plans, one row per key: claimed, then ready or failed (zonal.planning.snapshot).

A claim is one INSERT ... ON CONFLICT DO NOTHING, or an UPDATE that takes over a failed or
stale claim only if it is still that claim: two workers, even in two processes, never both
win the same key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from zonal.planning.snapshot import PlanKey, PlanState, StoredPlan
from zonal.storage.tables import PlanSnapshotRow


class SqlPlanRepository:
    """Plan snapshots in the session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: PlanKey) -> StoredPlan | None:
        row = self.session.scalar(select(PlanSnapshotRow).where(_is(key)))
        return None if row is None else _public(key, row)

    def claim(self, key: PlanKey, now: datetime, stale_before: datetime) -> bool:
        values = _key_columns(key) | {"state": PlanState.COMPUTING.value, "started_at": now}
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        # RETURNING, not rowcount: the ORM's insert reports no rowcount on PostgreSQL
        adding = insert(PlanSnapshotRow).values(**values).on_conflict_do_nothing()
        if self.session.scalar(adding.returning(PlanSnapshotRow.id)) is not None:
            return True
        retry = or_(
            PlanSnapshotRow.state == PlanState.FAILED.value,
            and_(
                PlanSnapshotRow.state == PlanState.COMPUTING.value,
                PlanSnapshotRow.started_at < stale_before,
            ),
        )
        taken = (
            update(PlanSnapshotRow)
            .where(_is(key), retry)
            .values(state=PlanState.COMPUTING.value, started_at=now, finished_at=None, message=None)
        )
        return self.session.scalar(taken.returning(PlanSnapshotRow.id)) is not None

    def finish(self, key: PlanKey, content: bytes, now: datetime) -> None:
        done = {"state": PlanState.READY.value, "content": content, "finished_at": now}
        self.session.execute(update(PlanSnapshotRow).where(_is(key)).values(**done))

    def fail(self, key: PlanKey, message: str, now: datetime) -> None:
        failed = {"state": PlanState.FAILED.value, "message": message[:2000], "finished_at": now}
        self.session.execute(update(PlanSnapshotRow).where(_is(key)).values(**failed))


def _key_columns(key: PlanKey) -> dict[str, Any]:
    return {
        "run_id": key.run_id,
        "staff_to": key.staff_to,
        "zone": key.zone,
        "incidents": key.incidents,
        "settings": key.settings,
    }


def _is(key: PlanKey) -> ColumnElement[bool]:
    return and_(*(getattr(PlanSnapshotRow, c) == v for c, v in _key_columns(key).items()))


def _public(key: PlanKey, row: PlanSnapshotRow) -> StoredPlan:
    return StoredPlan(
        key=key,
        state=PlanState(row.state),
        started_at=row.started_at,
        finished_at=row.finished_at,
        content=row.content,
        message=row.message,
    )
