"""An import run as it is recorded: what was read, kept, rejected and why, and the clock the
data were read in (a dataset is later forecast in that time zone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ImportRunCreate:
    """An import run as it starts (a generator's run starts and finishes at once)."""

    dataset: str
    source: str
    preset: str | None
    time_zone: str
    started_at: datetime
    rows_read: int
    rows_imported: int
    rows_rejected: int
    reasons: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    finished_at: datetime | None = None
