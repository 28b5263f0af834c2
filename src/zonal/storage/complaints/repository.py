"""Complaints in the store, with zone scoping enforced in every query.

Every read that staff trigger takes the reader's scope (their zones and units) and puts it
in the WHERE clause: a case of another zone is simply not found. Only the citizen's receipt
look-up, linking for federal analysts and the retention job read without a scope (None).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, or_, select, update
from sqlalchemy.orm import Session

from zonal.complaints.domain.model import Complaint
from zonal.complaints.domain.receipt import format_reference
from zonal.complaints.domain.workflow import Outcome, SlaPolicy, Status
from zonal.complaints.queries import CaseSummary, QueueQuery, Scope
from zonal.storage.complaints.children import add_children, read_children, save_children
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.mapping import read_case, write_case
from zonal.storage.complaints.tables import CaseRow, CaseSequenceRow, IdentifierRow


class SqlComplaintRepository:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self.session, self.cipher = session, cipher

    def next_reference(self, year: int) -> str:
        """A new reference for `year`; the row update serialises concurrent submissions."""
        bumped = self.session.execute(
            update(CaseSequenceRow)
            .where(CaseSequenceRow.year == year)
            .values(last_value=CaseSequenceRow.last_value + 1)
        )
        if bumped.rowcount == 0:  # type: ignore[attr-defined]
            self.session.add(CaseSequenceRow(year=year, last_value=1))
            self.session.flush()
        value = self.session.scalars(
            select(CaseSequenceRow.last_value).where(CaseSequenceRow.year == year)
        ).one()
        return format_reference(year, value)

    def add(self, case: Complaint) -> None:
        row = CaseRow()
        write_case(row, case, self.cipher)
        self.session.add(row)
        self.session.flush()
        add_children(self.session, case, row.id, self.cipher)
        self.session.flush()

    def save(self, case: Complaint) -> None:
        """Write back a changed case: what changed on its row, and only the child rows that
        are new, changed or erased (children.save_children)."""
        row = self._row(case.reference, None)
        if row is None:
            raise LookupError(f"case {case.reference} vanished while it was being changed")
        write_case(row, case, self.cipher)
        save_children(self.session, case, row.id, self.cipher)
        self.session.flush()

    def get(self, reference: str, scope: Scope) -> Complaint | None:
        """The case with `reference` if it lies within `scope` (None: any unit)."""
        row = self._row(reference, scope)
        if row is None:
            return None
        case = read_case(row, self.cipher)
        read_children(self.session, case, row.id, self.cipher)
        return case

    def unit_of(self, reference: str) -> str | None:
        """The unit a case belongs to, for logging a refused attempt on it; no content."""
        return self.session.scalars(
            select(CaseRow.competent_unit).where(CaseRow.reference == reference)
        ).first()

    def queue(self, scope: Scope, query: QueueQuery, sla: SlaPolicy) -> list[CaseSummary]:
        """Cases within `scope` matching `query`, most urgent and oldest first."""
        statement = select(CaseRow).where(*_scoped(scope), *_conditions(query, sla))
        statement = statement.order_by(CaseRow.priority, CaseRow.status_since, CaseRow.id)
        rows = self.session.scalars(statement.limit(query.limit).offset(query.offset))
        return [_summary(row) for row in rows]

    def sharing_identifiers(self, reference: str, scope: Scope) -> dict[str, set[str]]:
        """Other cases within `scope` sharing an identifier with `reference`: ref -> kinds."""
        own = select(IdentifierRow.blind_index).join(CaseRow).where(CaseRow.reference == reference)
        statement = (
            select(CaseRow.reference, IdentifierRow.kind)
            .join(IdentifierRow, IdentifierRow.case_id == CaseRow.id)
            .where(IdentifierRow.blind_index.in_(own), CaseRow.reference != reference)
            .where(*_scoped(scope))
        )
        linked: dict[str, set[str]] = {}
        for other, kind in self.session.execute(statement):
            linked.setdefault(other, set()).add(kind)
        return linked

    def summaries(self, references: list[str]) -> list[CaseSummary]:
        rows = self.session.scalars(select(CaseRow).where(CaseRow.reference.in_(references)))
        return sorted((_summary(row) for row in rows), key=lambda s: s.reference)

    def expired(self, now: datetime, retention_days: Mapping[Outcome, int]) -> list[str]:
        """References of closed, not yet erased cases whose retention ended before `now`."""
        due = [
            and_(CaseRow.outcome == outcome.value, CaseRow.closed_at < now - timedelta(days=days))
            for outcome, days in retention_days.items()
        ]
        statement = select(CaseRow.reference).where(
            CaseRow.status == Status.CLOSED.value, CaseRow.purged_at.is_(None), or_(false(), *due)
        )
        return list(self.session.scalars(statement.order_by(CaseRow.id)))

    def _row(self, reference: str, scope: Scope) -> CaseRow | None:
        statement = select(CaseRow).where(CaseRow.reference == reference, *_scoped(scope))
        return self.session.scalars(statement).first()


def _scoped(scope: Scope) -> list[ColumnElement[bool]]:
    return [] if scope is None else [CaseRow.competent_unit.in_(sorted(scope))]


def _conditions(query: QueueQuery, sla: SlaPolicy) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if query.statuses is not None:
        found.append(CaseRow.status.in_(sorted(s.value for s in query.statuses)))
    if query.offence_type is not None:
        found.append(CaseRow.offence_type == query.offence_type)
    if query.unit is not None:
        found.append(CaseRow.competent_unit == query.unit)
    if query.assigned_to is not None:
        found.append(CaseRow.assigned_to == query.assigned_to)
    if query.reference_prefix:
        found.append(CaseRow.reference.startswith(query.reference_prefix, autoescape=True))
    if query.overdue_at is not None:
        found.append(_overdue(query.overdue_at, sla))
    return found


def _overdue(now: datetime, sla: SlaPolicy) -> ColumnElement[bool]:
    late = [
        and_(CaseRow.status == status.value, CaseRow.status_since < now - timedelta(hours=hours))
        for status, hours in sla.hours.items()
    ]
    return or_(false(), *late)


def _summary(row: CaseRow) -> CaseSummary:
    return CaseSummary(
        row.reference,
        row.offence_type,
        Status(row.status),
        row.status_since,
        row.competent_unit,
        row.priority,
        row.assigned_to,
        row.submitted_at,
        row.online,
        row.loss_eur,
    )
