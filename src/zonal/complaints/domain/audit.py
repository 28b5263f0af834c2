"""What the Art. 25 log (Directive 2016/680) records: who did what, when, on which case, why.

Events carry no personal content: a reference, an action, a justification and small facts
(a new status, an export's format), so the log survives the erasure of what it describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class AuditAction(StrEnum):
    COLLECT = "collect"  # a complaint or information submitted
    READ = "read"
    CHANGE = "change"
    EXPORT = "export"
    ERASE = "erase"
    LOGIN = "login"
    REFUSED = "refused"  # an attempt outside role or scope


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    actor: str  # a staff username, "victim" or "system"
    role: str
    action: AuditAction
    reference: str | None
    unit: str | None
    justification: str
    outcome: str = "ok"  # "ok" or "refused"
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditRecord:
    """An event as stored, with its place in the hash chain."""

    id: int
    event: AuditEvent
    previous_hash: str
    row_hash: str


@dataclass(frozen=True)
class ChainHead:
    """The log's last entry and its hash; entry 0 and the genesis hash for an empty log."""

    entry: int
    hash: str


@dataclass(frozen=True)
class ExportedHead:
    """A head written outside the store, and whether its signature holds under this key."""

    head: ChainHead
    at: datetime
    authentic: bool
    line: int  # its line in the head file, from 1


@dataclass(frozen=True)
class ChainReport:
    """What verifying the log found: it holds when `problem` is None.

    `legacy_until` is the last entry written with the old unkeyed hash (None when there is
    none); `broken_at` is the first entry that fails, or the exported head that the log no
    longer holds (a cut tail, a deleted or recomputed history).
    """

    entries: int
    head: ChainHead
    legacy_until: int | None = None
    heads_checked: int = 0
    broken_at: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None
