"""The integer program of one zone's shift design, and reading its solution back.

Kept apart from `shifts` so the model can be built and inspected (and handed to a fake
solver) without solving anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from zonal.planning.solvers import MipProblem

if TYPE_CHECKING:
    from zonal.planning.shifts import ShiftType


@dataclass(frozen=True)
class ZoneModel:
    """One zone's covering program and what each of its columns means.

    Attributes:
        problem: min paid hours s.t. teams on duty >= required, per hour.
        required: teams required per hour.
        shift_names: name of each column's shift type.
        start: start position of each column (hours from the first hour; may be negative
            for a shift begun before a non-cyclic horizon).
        length: paid hours of each column's shift.
        duty_rows, duty_cols: (hour, column) pairs where the column's team is on duty.
    """

    problem: MipProblem
    required: np.ndarray
    shift_names: list[str]
    start: np.ndarray
    length: np.ndarray
    duty_rows: np.ndarray
    duty_cols: np.ndarray

    def coverage(self, x: np.ndarray | None) -> np.ndarray:
        """Teams on duty per hour for column values `x` (all zero when there is no x)."""
        on_duty = np.zeros(self.required.size, dtype=np.int64)
        if x is not None:
            np.add.at(on_duty, self.duty_rows, np.round(x[self.duty_cols]).astype(np.int64))
        return on_duty

    def paid_hours(self, x: np.ndarray | None) -> float:
        """Team-hours paid within the horizon for column values `x`."""
        return 0.0 if x is None else float(self.problem.cost @ np.round(x))

    def starts_frame(self, zone: str, x: np.ndarray | None, ds: pl.Series) -> pl.DataFrame:
        """Rows unique_id, shift, start, end, hours, teams for every shift with teams."""
        teams = np.zeros(self.start.size) if x is None else np.round(x)
        used = np.flatnonzero(teams > 0)
        first = ds[0]
        starts = [first + np.timedelta64(int(self.start[j]), "h").item() for j in used]
        return pl.DataFrame(
            {
                "unique_id": [zone] * used.size,
                "shift": [self.shift_names[j] for j in used],
                "start": pl.Series(starts, dtype=ds.dtype),
                "hours": self.length[used].astype(np.int64),
                "teams": teams[used].astype(np.int64),
            },
            schema_overrides={"unique_id": pl.String, "shift": pl.String},
        ).with_columns(end=pl.col("start") + pl.duration(hours=pl.col("hours")))


def build_zone_model(
    required: np.ndarray,
    hours: np.ndarray,
    shift_types: Sequence[ShiftType],
    cyclic: bool,
    breaks_cover: bool,
) -> ZoneModel:
    """The covering program of one zone's hourly requirement.

    Args:
        required: teams required per hour (non-negative integers).
        hours: local hour of day of each position.
        shift_types: the allowed shifts.
        cyclic: wrap shifts past the end to the start of the horizon.
        breaks_cover: count the break hour as fully on duty.
    """
    n_hours = required.size
    columns = [_columns_of(kind, hours, cyclic) for kind in shift_types]
    names = [kind.name for kind, starts in zip(shift_types, columns, strict=True) for _ in starts]
    start = np.concatenate(columns)
    length = np.concatenate(
        [np.full(c.size, kind.hours) for kind, c in zip(shift_types, columns, strict=True)]
    )
    breaks = np.concatenate(
        [np.full(c.size, kind.break_minutes) for kind, c in zip(shift_types, columns, strict=True)]
    )
    rows, cols, offsets = _duty(start, length, n_hours, cyclic)
    values = (
        np.ones(rows.size) if breaks_cover else _break_values(offsets, length[cols], breaks[cols])
    )
    cost = np.bincount(cols, minlength=start.size).astype(float) if not cyclic else length * 1.0
    problem = MipProblem.from_triplets(
        rows,
        cols,
        values,
        cost=np.maximum(cost, 1e-6),
        row_lower=required.astype(float),
        row_upper=np.full(n_hours, np.inf),
        col_lower=np.zeros(start.size),
        col_upper=np.full(start.size, float(max(int(required.max(initial=0)), 1))),
        integer=np.ones(start.size, dtype=bool),
    )
    return ZoneModel(problem, required, names, start, length, rows, cols)


def uncovered_hours(model: ZoneModel) -> np.ndarray:
    """Positions with a requirement that no allowed shift is ever on duty at."""
    reachable = np.zeros(model.required.size, dtype=bool)
    reachable[model.duty_rows] = True
    return np.flatnonzero((model.required > 0) & ~reachable)


def _columns_of(kind: ShiftType, hours: np.ndarray, cyclic: bool) -> np.ndarray:
    """Start positions of one shift type: allowed local hours, plus earlier ones if open."""
    inside = np.flatnonzero(np.isin(hours, kind.starts))
    if cyclic:
        return inside
    # A non-cyclic horizon's first hours are covered by shifts begun before it.
    before = np.arange(-(kind.hours - 1), 0)
    before_hours = (hours[0] + before) % 24
    return np.concatenate([before[np.isin(before_hours, kind.starts)], inside])


def _duty(
    start: np.ndarray, length: np.ndarray, n_hours: int, cyclic: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hour, column, hour-into-shift) of every on-duty hour."""
    cols = np.repeat(np.arange(start.size), length)
    offsets = np.arange(cols.size) - np.repeat(np.cumsum(length) - length, length)
    rows = start[cols] + offsets
    if cyclic:
        return rows % n_hours, cols, offsets
    keep = (rows >= 0) & (rows < n_hours)
    return rows[keep], cols[keep], offsets[keep]


def _break_values(offsets: np.ndarray, length: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Share of each on-duty hour not on break: the break sits from the middle of the shift."""
    into_break = offsets - length // 2
    minutes_left = np.clip(breaks - 60 * into_break, 0, 60)
    return np.where(into_break >= 0, 1.0 - minutes_left / 60.0, 1.0)
