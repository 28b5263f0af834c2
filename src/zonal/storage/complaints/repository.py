"""Complaints in the store, with zone scoping enforced in every query and optimistic
concurrency on every save.

Every read that staff trigger takes the reader's scope (their zones and units) and puts it
in the WHERE clause: a case of another zone is simply not found. Only the citizen's receipt
look-up, linking for federal analysts and the retention job read without a scope (None).

A case row carries a `version`. The repository remembers the version each case had when this
unit of work read it, and `save` writes only over that version, bumping it; a case that
another transaction saved meanwhile raises ConcurrentUpdate and nothing of the stale state is
written. The use cases then redo the change on a fresh read (services/complaints/_common.py).
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
from zonal.errors import ConcurrentUpdate
from zonal.storage.complaints.children import add_children, read_children, save_children
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.mapping import read_case, write_case
from zonal.storage.complaints.tables import CaseRow, CaseSequenceRow, IdentifierRow


class SqlComplaintRepository:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self.session, self.cipher = session, cipher
        self._read: dict[str, int] = {}  # reference -> the version this unit of work read

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
        row = CaseRow(version=0)
        write_case(row, case, self.cipher)
        self.session.add(row)
        self.session.flush()
        add_children(self.session, case, row.id, self.cipher)
        self.session.flush()
        self._read[case.reference] = 0

    def save(self, case: Complaint) -> None:
        """Write back a case read by `get` in this unit of work: what changed on its row, and
        only the child rows that are new, changed or erased (children.save_children).

        Raises:
            ConcurrentUpdate: another transaction saved the case after it was read here.
            LookupError: the case was not read in this unit of work.
        """
        read = self._read.get(case.reference)
        if read is None:
            raise LookupError(f"case {case.reference} was not read in this unit of work")
        self._claim(case.reference, read)
        row = self._row(case.reference, None)
        assert row is not None  # _claim has just updated it
        write_case(row, case, self.cipher)
        save_children(self.session, case, row.id, self.cipher)
        self.session.flush()
        self._read[case.reference] = read + 1

    def _hold(self, reference: str, scope: Scope) -> None:
        # An UPDATE that changes nothing: the one way to lock a row on both backends (SQLite
        # has no SELECT ... FOR UPDATE; its first write takes the database's write lock).
        self.session.execute(
            update(CaseRow)
            .where(CaseRow.reference == reference, *_scoped(scope))
            .values(version=CaseRow.version)
            .execution_options(synchronize_session=False)
        )

    def _claim(self, reference: str, read: int) -> None:
        """Bump the case's version from `read`, or raise ConcurrentUpdate if it is not `read`.

        This is the save's first write, before any child row: on PostgreSQL it takes the row
        lock that a concurrent save waits on (and then finds the version changed), on SQLite
        the database's write lock. So the loser of a race has written nothing and rolls back
        whole, and two appends can never claim the same child position.
        """
        bumped = self.session.execute(
            update(CaseRow)
            .where(CaseRow.reference == reference, CaseRow.version == read)
            .values(version=read + 1)
        )
        if bumped.rowcount == 0:  # type: ignore[attr-defined]
            raise ConcurrentUpdate(
                f"case {reference} was changed by someone else after it was read (version"
                f" {read}); read it again and redo the change"
            )

    def get(self, reference: str, scope: Scope, for_update: bool = False) -> Complaint | None:
        """The case with `reference` if it lies within `scope` (None: any unit).

        `for_update` first takes the case's row lock on PostgreSQL (the write lock on SQLite):
        other writers of the case wait until this unit of work ends, so its save cannot meet a
        newer version. For a retry, not for every read: it serialises the case's writers.
        """
        if for_update:
            self._hold(reference, scope)
        row = self._row(reference, scope)
        if row is None:
            return None
        # The version is read with the row, before the children: children read later can only
        # be newer, and a save then fails the version check instead of dropping them.
        self._read.setdefault(reference, row.version)
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
    # Working days make the threshold depend on the calendar, so the policy computes it.
    late = [
        and_(CaseRow.status == status.value, CaseRow.status_since < threshold)
        for status in sla.hours
        if (threshold := sla.late_if_since_before(status, now)) is not None
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
