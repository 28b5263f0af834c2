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
