"""The Complaint aggregate: what a citizen reported and everything the police did with it.

All changes go through the aggregate's methods, which enforce the workflow (workflow.py) and
append to the case's history, so the history can be trusted to be complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from zonal.complaints.domain.errors import IllegalTransition
from zonal.complaints.domain.identifiers import Identifier
from zonal.complaints.domain.workflow import (
    REROUTABLE,
    Outcome,
    SlaPolicy,
    Status,
    check_outcome,
    check_transition,
)
from zonal.errors import InputError


class BiasMotive(StrEnum):
    """The bias behind a discrimination or hate offence (asked for every such type)."""

    RACISM_XENOPHOBIA = "racism_xenophobia"
    RELIGION = "religion"
    SEXUAL_ORIENTATION = "sexual_orientation"
    GENDER_IDENTITY = "gender_identity"
    DISABILITY = "disability"
    OTHER = "other"
    UNKNOWN = "unknown"


class Author(StrEnum):
    VICTIM = "victim"
    POLICE = "police"


@dataclass(frozen=True)
class Place:
    """Where something happened or someone lives: a postal code, a municipality, or both."""

    postal_code: str | None = None
    municipality_nis: str | None = None


@dataclass(frozen=True)
class Contact:
    """Optional contact details the victim chose to give."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Consent:
    privacy_notice_accepted: bool
    contact_allowed: bool


@dataclass(frozen=True)
class Attachment:
    """An uploaded file's metadata; the content lives (encrypted) in the attachment store."""

    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    storage_key: str
    added_at: datetime


@dataclass(frozen=True)
class Message:
    """A message between victim and police, shown on the portal through the receipt."""

    author: Author
    body: str
    at: datetime
    staff: str | None = None


@dataclass(frozen=True)
class Note:
    """An internal note: staff only, never shown to the victim."""

    author: str
    body: str
    at: datetime


@dataclass(frozen=True)
class StatusChange:
    """One step of the case's history; `actor` is a staff username, "victim" or "system"."""

    from_status: Status | None
    to_status: Status
    at: datetime
    actor: str
    unit: str
    reason: str = ""


@dataclass
class Complaint:
    """A complaint and its case work. `competent_unit` is a zone number or a federal unit."""

    reference: str
    offence_type: str
    language: str
    occurred_from: datetime
    occurred_to: datetime | None
    online: bool
    place: Place | None
    residence: Place | None
    description: str
    loss_eur: Decimal
    bias_motive: BiasMotive | None
    contact: Contact | None
    consent: Consent
    submitted_at: datetime
    competent_unit: str
    routing_reason: str
    receipt_hash: str
    priority: int = 4
    status: Status = Status.RECEIVED
    status_since: datetime | None = None
    assigned_to: str | None = None
    outcome: Outcome | None = None
    merged_into: str | None = None
    closed_at: datetime | None = None
    purged_at: datetime | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status_since is None:
            self.status_since = self.submitted_at
        if not self.history:
            self.history.append(
                StatusChange(
                    None, Status.RECEIVED, self.submitted_at, "victim", self.competent_unit
                )
            )

    @property
    def since(self) -> datetime:
        return self.status_since or self.submitted_at

    def move(self, target: Status, actor: str, at: datetime, reason: str = "") -> None:
        """Change status along the workflow (not to closed: use `close`)."""
        check_transition(self.status, target)
        check_outcome(target, None, None)
        self._record(target, actor, at, reason)

    def close(
        self, outcome: Outcome, actor: str, at: datetime, reason: str, merged_into: str | None
    ) -> None:
        """Close the case with `outcome`; merging needs the other case's reference."""
        check_transition(self.status, Status.CLOSED)
        check_outcome(Status.CLOSED, outcome, merged_into)
        if merged_into == self.reference:
            raise IllegalTransition(f"case {self.reference} cannot be merged into itself")
        self.outcome, self.merged_into, self.closed_at = outcome, merged_into, at
        self._record(Status.CLOSED, actor, at, reason)

    def assign(self, investigator: str, actor: str, at: datetime) -> None:
        """Give the case to `investigator`: from triaged it becomes assigned; later, reassigned."""
        reason = f"assigned to {investigator}"
        if self.status is Status.TRIAGED:
            self.assigned_to = investigator
            self._record(Status.ASSIGNED, actor, at, reason)
            return
        if self.status in (Status.RECEIVED, Status.CLOSED):
            raise IllegalTransition(
                f"a case that is {self.status.value!r} cannot be assigned; triage it first"
                if self.status is Status.RECEIVED
                else f"case {self.reference} is closed and cannot be assigned"
            )
        self.assigned_to = investigator
        self.history.append(
            StatusChange(self.status, self.status, at, actor, self.competent_unit, reason)
        )

    def reroute(self, unit: str, actor: str, at: datetime, reason: str) -> None:
        """Hand the case to another zone or unit, for its triage; a reason is mandatory."""
        if not reason.strip():
            raise InputError("re-routing needs a reason: say why the other unit is competent")
        if unit == self.competent_unit:
            raise InputError(f"case {self.reference} is already with {unit}; pick another unit")
        if self.status not in REROUTABLE:
            allowed = ", ".join(sorted(s.value for s in REROUTABLE))
            raise IllegalTransition(
                f"a case that is {self.status.value!r} cannot be re-routed; only when {allowed}"
            )
        previous = self.competent_unit
        self.competent_unit, self.assigned_to, self.routing_reason = unit, None, reason
        self._record(Status.RECEIVED, actor, at, f"re-routed from {previous}: {reason}")

    def message_to_victim(self, body: str, staff: str, at: datetime, await_reply: bool) -> None:
        """Write to the victim; `await_reply` puts an investigated case on awaiting_victim."""
        self._require_open("send a message")
        if await_reply:
            check_transition(self.status, Status.AWAITING_VICTIM)
        self.messages.append(Message(Author.POLICE, body, at, staff))
        if await_reply:
            self.move(Status.AWAITING_VICTIM, staff, at, "waiting for the victim's reply")

    def message_from_victim(self, body: str, at: datetime) -> None:
        """The victim writes; a case awaiting the victim goes back to investigation."""
        self._require_open("add a message")
        self.messages.append(Message(Author.VICTIM, body, at))
        if self.status is Status.AWAITING_VICTIM:
            self._record(Status.UNDER_INVESTIGATION, "victim", at, "the victim replied")

    def add_identifiers(self, identifiers: list[Identifier]) -> None:
        known = {(i.kind, i.value) for i in self.identifiers}
        self.identifiers.extend(i for i in identifiers if (i.kind, i.value) not in known)

    def add_attachment(self, attachment: Attachment, limit: int) -> None:
        """Attach a checked file's metadata; at most `limit` files per case."""
        self._require_open("add a file")
        if len(self.attachments) >= limit:
            raise InputError(f"case {self.reference} already has {limit} files, the maximum")
        self.attachments.append(attachment)

    def add_note(self, author: str, body: str, at: datetime) -> None:
        self._require_not_purged()
        self.notes.append(Note(author, body, at))

    def overdue(self, now: datetime, policy: SlaPolicy) -> bool:
        """Whether the case has stayed in its state past the SLA (escalation to the chief)."""
        return policy.overdue(self.status, self.since, now)

    def deadline(self, policy: SlaPolicy) -> datetime | None:
        return policy.deadline(self.status, self.since)

    def erase(self, at: datetime) -> None:
        """Erase the personal content at the end of retention; keep what statistics need."""
        self.description, self.contact, self.residence = "", None, None
        self.identifiers, self.attachments, self.messages, self.notes = [], [], [], []
        self.history = [replace(change, reason="") for change in self.history]
        self.purged_at = at

    def _record(self, target: Status, actor: str, at: datetime, reason: str) -> None:
        self.history.append(
            StatusChange(self.status, target, at, actor, self.competent_unit, reason)
        )
        self.status, self.status_since = target, at

    def _require_open(self, what: str) -> None:
        self._require_not_purged()
        if self.status is Status.CLOSED:
            raise IllegalTransition(
                f"case {self.reference} is closed: you cannot {what}; file a new complaint"
            )

    def _require_not_purged(self) -> None:
        if self.purged_at is not None:
            raise IllegalTransition(f"case {self.reference} was erased at the end of retention")
