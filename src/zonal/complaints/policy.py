"""The complaint platform's configurable rules, in one object the unit of work carries.

Every number here is a policy choice a police organisation may change: SLA hours, retention
per outcome, lockout thresholds, hashing cost, the routing table and the zone registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from zonal.complaints.domain.receipt import SecretHasher
from zonal.complaints.domain.routing import RoutingTable
from zonal.complaints.domain.workflow import Outcome, SlaPolicy
from zonal.geo import ZoneRegistry, default_registry

DEFAULT_RETENTION_DAYS: Mapping[Outcome, int] = MappingProxyType(
    {
        Outcome.NO_FURTHER_ACTION: 2 * 365,
        Outcome.MERGED_INTO: 365,  # the content lives on in the case it was merged into
        Outcome.REFERRED_TO_PROSECUTOR: 10 * 365,  # the prosecutor's file holds the original
    }
)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Lockout:
    """Refuse further attempts after `max_failures` failures within `window`."""

    max_failures: int
    window: timedelta


@dataclass(frozen=True)
class ComplaintsPolicy:
    registry: ZoneRegistry = field(default_factory=default_registry)
    routing: RoutingTable = field(default_factory=RoutingTable.default)
    sla: SlaPolicy = field(default_factory=SlaPolicy)
    retention_days: Mapping[Outcome, int] = field(default_factory=lambda: DEFAULT_RETENTION_DAYS)
    hasher: SecretHasher = field(default_factory=SecretHasher)
    # Failures lock a username for the address that made them only, so that nobody locks a
    # colleague out from elsewhere. Many failures from everywhere (a botnet guessing) are
    # throttled per account, but the right password and code still pass then.
    login_lockout: Lockout = Lockout(5, timedelta(minutes=15))
    login_account_throttle: Lockout = Lockout(20, timedelta(minutes=15))
    receipt_lockout: Lockout = Lockout(10, timedelta(hours=1))
    clock: Callable[[], datetime] = utc_now
