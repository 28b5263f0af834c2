"""The complaints ports held in memory: a unit of work and its repositories, with no database.

For unit tests of the use cases and for trying them out. They give the answers the SQL
adapters give (tests/integration/test_complaints_memory_contract.py runs one sequence of
use cases on both), stored in plain Python objects instead of encrypted rows, with every
instant in UTC as the store gives them back.

`MemoryTables` is what a database would hold: the committed state, shared by every unit of
work made on it. Entering a unit of work copies it; the repositories change the copy;
`commit()` publishes the copy, and `rollback()` (or leaving without committing) drops it. One
writer at a time, and not thread-safe: two units of work committing over each other keep only
the last one's staff, attempts and audit log. Cases are versioned as the SQL store versions
them: a save over a case that another unit of work committed since it was read raises
ConcurrentUpdate, and so does the commit when that happened between the save and the commit
(where the SQL save would have waited for the other transaction, then refused); a case a unit
of work only read is left as the others committed it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from zonal.complaints.domain.audit import (
    AuditEvent,
    AuditRecord,
    ChainHead,
    ChainReport,
    ExportedHead,
)
from zonal.complaints.domain.model import Complaint
from zonal.complaints.domain.receipt import format_reference
from zonal.complaints.domain.staff import Role, StaffAccount, last_login
from zonal.complaints.domain.workflow import Outcome, SlaPolicy, Status
from zonal.complaints.policy import ComplaintsPolicy
from zonal.complaints.queries import (
    AuditQuery,
    CaseSummary,
    QueueQuery,
    Scope,
    StaffCredentials,
    StaffListing,
)
from zonal.errors import ConcurrentUpdate, NotFoundError
from zonal.services.complaints.ports import UnitOfWork
from zonal.storage.complaints.audit import GENESIS, AuditChain

# The audit chain's key when none is given: the memory store protects nothing, it only has to
# chain as the SQL store does (pass FieldCipher(key).audit_key to get the SQL store's hashes).
MEMORY_AUDIT_KEY = hashlib.sha256(b"zonal in-memory audit key - not secret").digest()


@dataclass
class StaffRecord:
    account: StaffAccount
    password_hash: str
    totp_secret: str
    created_at: datetime
    totp_last_step: int | None = None


@dataclass(frozen=True)
class Attempt:
    kind: str
    subject: str  # normalised as the SQL log keys it: stripped, lower case
    client: str
    at: datetime
    success: bool


@dataclass
class MemoryTables:
    """The stored state. `cases` keeps insertion order, which stands for the row ids."""

    cases: dict[str, Complaint] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # reference -> bumped by each save
    sequences: dict[int, int] = field(default_factory=dict)
    staff: list[StaffRecord] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    audit: list[AuditRecord] = field(default_factory=list)

    def load(self, other: MemoryTables) -> None:
        """Become a deep copy of `other`, in place (the repositories keep their reference)."""
        for item in fields(self):
            setattr(self, item.name, copy.deepcopy(getattr(other, item.name)))


class MemoryComplaintRepository:
    """Cases in `tables`, the unit of work's copy; `committed` is the state others publish."""

    def __init__(self, tables: MemoryTables, committed: MemoryTables | None = None) -> None:
        self.tables = tables
        self.committed = committed if committed is not None else tables
        self.read: dict[str, int] = {}  # reference -> the committed version it was read at
        self.saved: set[str] = set()  # saved since the last commit or rollback

    def next_reference(self, year: int) -> str:
        self.tables.sequences[year] = self.tables.sequences.get(year, 0) + 1
        return format_reference(year, self.tables.sequences[year])

    def add(self, case: Complaint) -> None:
        if case.reference in self.tables.cases:
            raise ValueError(f"case {case.reference} is already stored; save() changes it")
        self.tables.cases[case.reference] = _in_utc(copy.deepcopy(case))
        self.tables.versions[case.reference] = self.read[case.reference] = 0
        self.saved.add(case.reference)

    def save(self, case: Complaint) -> None:
        if case.reference not in self.read:
            raise LookupError(f"case {case.reference} was not read in this unit of work")
        self._check(case.reference)
        self.tables.cases[case.reference] = _in_utc(copy.deepcopy(case))
        self.tables.versions[case.reference] = self.tables.versions.get(case.reference, 0) + 1
        self.saved.add(case.reference)

    def get(
        self,
        reference: str,
        scope: Scope,
        for_update: bool = False,  # noqa: ARG002 - nothing to hold: one unit of work at a time
    ) -> Complaint | None:
        case = self.tables.cases.get(reference)
        if case is None or not _within(scope, case.competent_unit):
            return None
        self.read.setdefault(reference, self.tables.versions.get(reference, 0))
        return copy.deepcopy(case)

    def publish(self) -> None:
        """Before the unit of work commits: check the saved cases again, and take the committed
        state of every case not saved here (another unit may have saved it meanwhile)."""
        for reference in self.saved:
            self._check(reference)
        for reference, case in self.committed.cases.items():
            if reference not in self.saved:
                self.tables.cases[reference] = copy.deepcopy(case)
                self.tables.versions[reference] = self.committed.versions.get(reference, 0)
        self.read.update({reference: self.tables.versions[reference] for reference in self.saved})
        self.saved.clear()

    def _check(self, reference: str) -> None:
        read = self.read[reference]
        if self.committed.versions.get(reference, read) != read:
            raise ConcurrentUpdate(
                f"case {reference} was changed by someone else after it was read (version"
                f" {read}); read it again and redo the change"
            )

    def unit_of(self, reference: str) -> str | None:
        case = self.tables.cases.get(reference)
        return None if case is None else case.competent_unit

    def queue(self, scope: Scope, query: QueueQuery, sla: SlaPolicy) -> list[CaseSummary]:
        found = [
            case
            for case in self.tables.cases.values()
            if _within(scope, case.competent_unit) and _matches(case, query, sla)
        ]
        found.sort(key=lambda case: (case.priority, case.since))  # stable: ties by row order
        return [_summary(case) for case in found[query.offset : query.offset + query.limit]]

    def sharing_identifiers(self, reference: str, scope: Scope) -> dict[str, set[str]]:
        own = self.tables.cases.get(reference)
        wanted = {(i.kind.value, i.value) for i in own.identifiers} if own else set()
        linked: dict[str, set[str]] = {}
        for other in self.tables.cases.values():
            if other.reference == reference or not _within(scope, other.competent_unit):
                continue
            for identifier in other.identifiers:
                if (identifier.kind.value, identifier.value) in wanted:
                    linked.setdefault(other.reference, set()).add(identifier.kind.value)
        return linked

    def summaries(self, references: list[str]) -> list[CaseSummary]:
        found = [self.tables.cases[r] for r in set(references) if r in self.tables.cases]
        return sorted((_summary(case) for case in found), key=lambda s: s.reference)

    def expired(self, now: datetime, retention_days: Mapping[Outcome, int]) -> list[str]:
        cases = self.tables.cases.values()
        return [case.reference for case in cases if _retention_over(case, now, retention_days)]


class MemoryStaffRepository:
    def __init__(self, tables: MemoryTables) -> None:
        self.tables = tables

    def add(
        self, account: StaffAccount, password_hash: str, totp_secret: str, at: datetime
    ) -> StaffAccount:
        if self.exists(account.username):
            raise ValueError(f"username {account.username!r} is already stored")
        new_id = max((r.account.id for r in self.tables.staff), default=0) + 1
        stored = replace(account, id=new_id)
        self.tables.staff.append(StaffRecord(stored, password_hash, totp_secret, at))
        return stored

    def exists(self, username: str) -> bool:
        return self._record(username) is not None

    def get(self, staff_id: int) -> StaffAccount | None:
        found = [r.account for r in self.tables.staff if r.account.id == staff_id]
        return found[0] if found else None

    def credentials(self, username: str) -> StaffCredentials | None:
        record = self._record(username)
        if record is None:
            return None
        return StaffCredentials(
            record.account, record.password_hash, record.totp_secret, record.totp_last_step
        )

    def record_totp_step(self, username: str, step: int) -> None:
        record = self._record(username)
        if record is not None:
            record.totp_last_step = step

    def count_role(self, role: Role) -> int:
        # counted per role, as the SQL repository's GROUP BY would: a query, not a decision
        return Counter(r.account.role for r in self.tables.staff)[role]

    def in_unit(self, unit: str) -> list[StaffAccount]:
        return [
            r.account for r in self.tables.staff if r.account.active and unit in r.account.scope
        ]

    def listing(self) -> list[StaffListing]:
        records = sorted(self.tables.staff, key=lambda r: r.account.username)
        return [
            StaffListing(r.account, r.created_at, last_login(r.totp_last_step)) for r in records
        ]

    def set_active(self, username: str, active: bool) -> None:
        record = self._existing(username)
        record.account = replace(record.account, active=active)

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self._existing(username).password_hash = password_hash

    def set_totp_secret(self, username: str, totp_secret: str) -> None:
        self._existing(username).totp_secret = totp_secret

    def _existing(self, username: str) -> StaffRecord:
        record = self._record(username)
        if record is None:
            raise LookupError(f"no staff record {username!r}; the service checks before it writes")
        return record

    def _record(self, username: str) -> StaffRecord | None:
        return next((r for r in self.tables.staff if r.account.username == username), None)


class MemoryAttemptLog:
    def __init__(self, tables: MemoryTables) -> None:
        self.tables = tables

    def record(self, kind: str, subject: str, client: str, at: datetime, success: bool) -> None:
        self.tables.attempts.append(Attempt(kind, _key(subject), client[:64], at, success))

    def recent_failures(self, kind: str, subject: str, since: datetime) -> list[datetime]:
        """Times of failures after `since` and after the subject's last success."""
        mine = [a for a in self.tables.attempts if a.kind == kind and a.subject == _key(subject)]
        successes = [a.at for a in mine if a.success]
        start = max(since, *successes) if successes else since
        return sorted(a.at for a in mine if not a.success and a.at > start)


class MemoryAuditLog:
    """Append-only, chained exactly as the SQL log is (same hashes for the same events and key)."""

    def __init__(self, tables: MemoryTables, chain: AuditChain) -> None:
        self.tables, self.chain = tables, chain

    def append(self, event: AuditEvent) -> AuditRecord:
        # Through JSON, as the SQL log's column: a detail the store could not hold fails here too.
        stored = _in_utc(replace(event, detail=json.loads(json.dumps(event.detail))))
        last = self.head()
        record = AuditRecord(last.entry + 1, stored, last.hash, self.chain.link(last.hash, stored))
        self.tables.audit.append(record)
        return record

    def entries(self, query: AuditQuery) -> list[AuditRecord]:
        """Records matching `query`, newest first."""
        found = [r for r in reversed(self.tables.audit) if _logged(r.event, query)]
        return found[query.offset : query.offset + query.limit]

    def head(self) -> ChainHead:
        last = self.tables.audit[-1] if self.tables.audit else None
        return ChainHead(last.id, last.row_hash) if last is not None else ChainHead(0, GENESIS)

    def verify_chain(self, heads: Sequence[ExportedHead] = ()) -> ChainReport:
        """Recompute the chain with the key, checking that every exported head is in it."""
        return self.chain.verify(self.tables.audit, heads)


class MemoryFileStore:
    """Attachment contents in a dict, under random keys like the encrypted store's."""

    def __init__(self) -> None:
        self.contents: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        key = secrets.token_hex(20)
        self.contents[key] = bytes(content)
        return key

    def get(self, key: str) -> bytes:
        if key not in self.contents:
            raise NotFoundError(f"attachment {key[:12]}… is not in the memory file store")
        return self.contents[key]

    def delete(self, key: str) -> None:
        self.contents.pop(key, None)


class InMemoryUnitOfWork:
    """Use as `with uow: ...; uow.commit()`, like SqlUnitOfWork; reusable for many calls.

    Args:
        policy: SLA, retention, lockouts, routing and the zone registry.
        tables: the committed state to work on; a new empty one by default.
    """

    def __init__(
        self,
        policy: ComplaintsPolicy,
        tables: MemoryTables | None = None,
        audit_key: bytes = MEMORY_AUDIT_KEY,
    ) -> None:
        self.policy = policy
        self.tables = tables if tables is not None else MemoryTables()
        self._working = MemoryTables()
        self.complaints = MemoryComplaintRepository(self._working, self.tables)
        self.staff = MemoryStaffRepository(self._working)
        self.attempts = MemoryAttemptLog(self._working)
        self.audit = MemoryAuditLog(self._working, AuditChain(audit_key))

    def __enter__(self) -> Self:
        self._working.load(self.tables)
        self.complaints = MemoryComplaintRepository(self._working, self.tables)
        return self

    def __exit__(self, *args: object) -> None:
        self.rollback()

    def commit(self) -> None:
        self.complaints.publish()
        self.tables.load(self._working)

    def rollback(self) -> None:
        self._working.load(self.tables)
        self.complaints.saved.clear()


def _in_utc(value: Any) -> Any:
    """`value` with every datetime in it (in dataclasses and lists) moved to UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, list):
        return [_in_utc(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        changed = {f.name: _in_utc(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changed)
    return value


def _within(scope: Scope, unit: str) -> bool:
    return scope is None or unit in scope


def _matches(case: Complaint, query: QueueQuery, sla: SlaPolicy) -> bool:
    wanted = [
        query.statuses is None or case.status in query.statuses,
        query.offence_type is None or case.offence_type == query.offence_type,
        query.unit is None or case.competent_unit == query.unit,
        query.assigned_to is None or case.assigned_to == query.assigned_to,
        not query.reference_prefix or case.reference.startswith(query.reference_prefix),
        query.overdue_at is None or _overdue(case, query.overdue_at, sla),
    ]
    return all(wanted)


def _overdue(case: Complaint, now: datetime, sla: SlaPolicy) -> bool:
    return sla.overdue(case.status, case.since, now)


def _retention_over(case: Complaint, now: datetime, days: Mapping[Outcome, int]) -> bool:
    if case.status is not Status.CLOSED or case.purged_at is not None or case.closed_at is None:
        return False
    kept = days.get(case.outcome) if case.outcome is not None else None
    return kept is not None and case.closed_at < now - timedelta(days=kept)


def _logged(event: AuditEvent, query: AuditQuery) -> bool:
    wanted = [
        query.units is None or event.unit in query.units,
        query.reference is None or event.reference == query.reference,
        query.actor is None or event.actor == query.actor,
        query.action is None or event.action is query.action,
        query.since is None or event.at >= query.since,
        query.until is None or event.at < query.until,
    ]
    return all(wanted)


def _key(subject: str) -> str:
    return subject.strip().lower()


def _summary(case: Complaint) -> CaseSummary:
    return CaseSummary(
        case.reference,
        case.offence_type,
        case.status,
        case.since,
        case.competent_unit,
        case.priority,
        case.assigned_to,
        case.submitted_at,
        case.online,
        case.loss_eur,
    )


# mypy holds the adapter to the protocol the use cases see
_: type[UnitOfWork] = InMemoryUnitOfWork
