"""A computed plan kept as bytes, so that a page shows it without solving again.

A snapshot is a zip of Arrow IPC frames and one JSON file of scalars. Never pickle: a row read
back from the store must not be able to run code. Frames keep their types (time zones,
integers), so a plan read back is the plan that was computed.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import polars as pl

from zonal.errors import InputError
from zonal.planning.plans import PlanOutcome, ZonePlan
from zonal.planning.roster.result import RosterResult
from zonal.planning.solvers import SolveStatus

FORMAT = 1  # bump when the layout changes; older snapshots are then recomputed, not misread
_META = "meta.json"
OVERVIEW = ""  # the zone of a plan's overview snapshot (every zone's row, no roster)


@dataclass(frozen=True)
class PlanKey:
    """What a computed plan depends on; a snapshot under another key is never shown for it.

    Attributes:
        run_id: the stored forecast run planned.
        staff_to: "mean" or the quantile column staffed to.
        zone: one zone (its curve, shifts and roster), or OVERVIEW for every zone's row.
        incidents: the newest import run of the run's dataset: the service times come from its
            calls, so a re-import plans again.
        settings: the planning settings and the snapshot format (zonal.planning.plans).
    """

    run_id: int
    staff_to: str
    zone: str
    incidents: int
    settings: str

    def for_zone(self, zone: str) -> PlanKey:
        """The key of `zone`'s plan under the same run, staffing and inputs."""
        return PlanKey(self.run_id, self.staff_to, zone, self.incidents, self.settings)


class PlanState(StrEnum):
    """Where a snapshot is: claimed by a worker that is computing it, ready, or failed."""

    COMPUTING = "computing"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class StoredPlan:
    """A snapshot as the store keeps it; `content` is set once it is READY."""

    key: PlanKey
    state: PlanState
    started_at: datetime
    finished_at: datetime | None = None
    content: bytes | None = None
    message: str | None = None  # why it FAILED, for the page


@dataclass(frozen=True)
class PlanSummary:
    """What the plan overview shows of every zone: the flat-plan comparison, solver status."""

    zones: pl.DataFrame  # unique_id, plan/flat officer-hours ..., status, gap


def summarise(outcome: PlanOutcome) -> PlanSummary:
    """The overview rows of a plan: one per zone, its comparison and its solve status."""
    status = outcome.shifts.summary.select("unique_id", "status", "gap")
    return PlanSummary(outcome.comparison.join(status, on="unique_id"))


def pack_summary(summary: PlanSummary) -> bytes:
    """`summary` as snapshot bytes."""
    return _pack({"zones": summary.zones}, {"kind": "summary"})


def unpack_summary(data: bytes) -> PlanSummary:
    """The summary `pack_summary` wrote.

    Raises:
        InputError: `data` is not a summary snapshot of this format.
    """
    frames, _ = _unpack(data, "summary")
    return PlanSummary(frames["zones"])


def pack_zone_plan(plan: ZonePlan) -> bytes:
    """One zone's plan and roster as snapshot bytes."""
    roster = plan.roster
    frames = {
        "curve": plan.curve,
        "starts": plan.starts,
        "assignments": roster.assignments,
        "coverage": roster.coverage,
        "officers": roster.officers,
    }
    meta = {
        "kind": "zone",
        "zone": plan.zone,
        "time_zone": plan.time_zone,
        "comparison": plan.comparison,
        "roster": {
            "status": roster.status.value,
            "objective": roster.objective,
            "bound": roster.bound,
            "gap": roster.gap,
            "seconds": roster.seconds,
            "solver": roster.solver,
        },
    }
    return _pack(frames, meta)


def unpack_zone_plan(data: bytes) -> ZonePlan:
    """The zone plan `pack_zone_plan` wrote.

    Raises:
        InputError: `data` is not a zone snapshot of this format.
    """
    frames, meta = _unpack(data, "zone")
    solved = meta["roster"]
    roster = RosterResult(
        assignments=frames["assignments"],
        coverage=frames["coverage"],
        officers=frames["officers"],
        status=SolveStatus(solved["status"]),
        objective=solved["objective"],
        bound=solved["bound"],
        gap=solved["gap"],
        seconds=solved["seconds"],
        solver=solved["solver"],
    )
    return ZonePlan(
        zone=meta["zone"],
        time_zone=meta["time_zone"],
        curve=frames["curve"],
        starts=frames["starts"],
        comparison=meta["comparison"],
        roster=roster,
    )


def _pack(frames: dict[str, pl.DataFrame], meta: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_META, json.dumps({**meta, "format": FORMAT, "frames": list(frames)}))
        for name, frame in frames.items():
            archive.writestr(f"{name}.arrow", _ipc(frame))
    return buffer.getvalue()


def _ipc(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_ipc(out)
    return out.getvalue()


def _unpack(data: bytes, kind: str) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            meta: dict[str, Any] = json.loads(archive.read(_META))
            if meta.get("format") != FORMAT or meta.get("kind") != kind:
                raise InputError(f"not a {kind} plan snapshot of format {FORMAT}")
            frames = {
                n: pl.read_ipc(io.BytesIO(archive.read(f"{n}.arrow"))) for n in meta["frames"]
            }
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as broken:
        raise InputError(f"a stored plan snapshot is damaged ({broken}); recompute it") from broken
    return frames, meta
