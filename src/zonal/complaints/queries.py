"""Plain values that cross the line between services and storage: query filters and the
light rows a queue or the log viewer shows. No database imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.staff import StaffAccount
from zonal.complaints.domain.workflow import Status

Scope = frozenset[str] | None  # zones and units a reader may see; None: every unit


@dataclass(frozen=True)
class CaseSummary:
    """A queue line: no personal data, so listing decrypts nothing."""

    reference: str
    offence_type: str
    status: Status
    status_since: datetime
    competent_unit: str
    priority: int
    assigned_to: str | None
    submitted_at: datetime
    online: bool
    loss_eur: Decimal


@dataclass(frozen=True)
class QueueQuery:
    statuses: frozenset[Status] | None = None
    offence_type: str | None = None
    unit: str | None = None
    assigned_to: str | None = None
    reference_prefix: str | None = None
    overdue_at: datetime | None = None  # only cases past their SLA at this instant
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the log viewer; `units` limits rows to a reader's zones (None: all)."""

    units: frozenset[str] | None = None
    reference: str | None = None
    actor: str | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True)
class StaffCredentials:
    """What authentication needs: the account, its password hash and its TOTP secret."""

    account: StaffAccount
    password_hash: str
    totp_secret: str
    totp_last_step: int | None


@dataclass(frozen=True)
class StaffListing:
    """An account as `zonal staff list` shows it: no password hash, no TOTP secret."""

    account: StaffAccount
    created_at: datetime
    last_login: datetime | None  # when its last accepted TOTP code was current
