"""Incidents: the canonical schema, importers from foreign files, and the demo generator."""

from __future__ import annotations

from zonal.incidents.schema import (
    DISPATCH_TIMES,
    INCIDENT_SCHEMA,
    Origin,
    TimeResolution,
    conform,
    empty_incidents,
    local_time,
)

__all__ = [
    "DISPATCH_TIMES",
    "INCIDENT_SCHEMA",
    "Origin",
    "TimeResolution",
    "conform",
    "empty_incidents",
    "local_time",
]
