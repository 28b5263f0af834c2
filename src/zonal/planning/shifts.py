"""Shift design: how many teams start which shift when, at the least officer-hours.

One integer program per zone: a variable per (shift type, allowed start hour in the
horizon) counting teams that start it; each hour's teams on duty must reach the
requirement; minimise paid officer-hours. Zones are independent, so they are solved in
parallel threads (HiGHS releases the GIL). The horizon wraps around by default (a weekly
plan repeats, so Sunday night's shift covers Monday morning).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Self

import numpy as np
import polars as pl

from zonal.errors import InputError
from zonal.planning.demand import HOURS_PER_WEEK, HourlyMatrix, local_hour, to_hourly_matrix
from zonal.planning.shift_model import ZoneModel, build_zone_model, uncovered_hours
from zonal.planning.solvers import GreedyCoverSolver, HighsSolver, MipSolution, MipSolver


@dataclass(frozen=True)
class ShiftType:
    """A kind of shift: its length, the local hours it may start at, and its break.

    Attributes:
        name: label shown in plans and rosters ("early", "8h", ...).
        hours: paid length in whole hours (1..24).
        starts: local start hours allowed (0..23).
        break_minutes: break inside the shift (paid); see ShiftDesigner.breaks_cover.
    """

    name: str
    hours: int
    starts: tuple[int, ...]
    break_minutes: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.hours <= 24:
            raise InputError(f"shift {self.name!r} lasts {self.hours} hours; give 1 to 24")
        bad = [h for h in self.starts if not 0 <= h <= 23]
        if not self.starts or bad:
            raise InputError(
                f"shift {self.name!r} needs start hours in 0..23, got {list(self.starts)}"
            )
        if not 0 <= self.break_minutes < 60 * self.hours:
            raise InputError(f"shift {self.name!r} break of {self.break_minutes} min is invalid")


def parse_shift_type(text: str) -> ShiftType:
    """A shift type from "HOURS@START,START" with an optional "/BREAK_MINUTES", e.g. "8@6,14,22/30".

    Raises:
        InputError: the text does not follow that pattern (the message shows it).
    """
    hours, _, rest = text.strip().removesuffix("h").partition("@")
    starts, _, pause = rest.partition("/")
    try:
        length = int(hours.removesuffix("h"))
        start_hours = tuple(int(h) for h in starts.split(",") if h.strip())
        break_minutes = int(pause) if pause else 0
    except ValueError:
        raise InputError(
            f"shift {text!r} is not HOURS@START,START or HOURS@START,START/BREAK_MINUTES, "
            f"e.g. '8@6,14,22/30'"
        ) from None
    return ShiftType(f"{length}h", length, start_hours, break_minutes)


DEFAULT_SHIFT_TYPES: tuple[ShiftType, ...] = (
    ShiftType("8h", 8, (6, 7, 8, 14, 15, 16, 22, 23), break_minutes=30),
    ShiftType("10h", 10, (7, 8, 9, 10, 17, 18, 19, 20), break_minutes=30),
    ShiftType("12h", 12, (6, 7, 18, 19), break_minutes=45),
)


@dataclass(frozen=True)
class ShiftPlan:
    """The designed shifts of every zone.

    Attributes:
        starts: unique_id, shift, start, end (UTC), hours, teams: teams starting each shift.
        coverage: unique_id, ds, required, planned, surplus: teams per hour.
        summary: unique_id, status, gap, solver, seconds, officer_hours,
            required_officer_hours, flat_officer_hours (a constant 24/7 plan meeting the
            same requirement), saving (1 - officer_hours / flat_officer_hours).
    """

    starts: pl.DataFrame
    coverage: pl.DataFrame
    summary: pl.DataFrame


class ShiftDesigner:
    """Design shifts covering a requirement frame at least officer-hours, zone by zone.

    Args:
        shift_types: allowed shifts; their starts must together reach every required hour.
        team_size: officers per team (officer-hours = team-hours x team_size).
        solver: a MipSolver (default HiGHS); GreedyCoverSolver takes over when it finds nothing.
        time_limit: seconds per zone; the best plan found by then is kept, with its gap.
        n_jobs: zones solved at once.
        breaks_cover: True counts a team on break as on duty (breaks are interruptible for
            priority-1 calls); False removes the break from the middle hour of the shift,
            which is exact but makes the programs much harder.
        column: requirement column of the input frame.
        time_zone: wall clock of the start hours.
        cyclic: wrap the horizon (default: when it is whole weeks).
    """

    def __init__(
        self,
        shift_types: Sequence[ShiftType] = DEFAULT_SHIFT_TYPES,
        *,
        team_size: int = 2,
        solver: MipSolver | None = None,
        time_limit: float = 5.0,
        n_jobs: int = 2,
        breaks_cover: bool = True,
        column: str = "teams",
        time_zone: str = "Europe/Brussels",
        cyclic: bool | None = None,
    ) -> None:
        self.shift_types = shift_types
        self.team_size = team_size
        self.solver = solver
        self.time_limit = time_limit
        self.n_jobs = n_jobs
        self.breaks_cover = breaks_cover
        self.column = column
        self.time_zone = time_zone
        self.cyclic = cyclic

    def fit(self, requirements: pl.DataFrame) -> Self:
        """Design the shifts for a long frame (unique_id, ds, teams); returns self.

        Sets `plan_` (a ShiftPlan) and `models_` (one ZoneModel per zone).

        Raises:
            InputError: no shift types, bad team size, non-integer or negative requirements,
                or shift types whose start times leave required hours uncoverable.
        """
        self._check_parameters()
        matrix = to_hourly_matrix(requirements, self.column)
        required = np.ceil(matrix.values - 1e-9).astype(np.int64)
        cyclic = self.cyclic if self.cyclic is not None else matrix.n_hours % HOURS_PER_WEEK == 0
        hours = local_hour(matrix.ds, self.time_zone)
        models = [
            build_zone_model(row, hours, self.shift_types, cyclic, self.breaks_cover)
            for row in required
        ]
        self._check_tiling(matrix, models)
        with ThreadPoolExecutor(max_workers=max(1, self.n_jobs)) as pool:
            solutions = list(pool.map(self._solve, models))
        self.models_ = models
        self.plan_ = _assemble(matrix, required, models, solutions, self.team_size)
        return self

    def _solve(self, model: ZoneModel) -> MipSolution:
        solver = self.solver if self.solver is not None else HighsSolver()
        solution = solver.solve(model.problem, self.time_limit)
        if solution.status.has_solution:
            return solution
        # Never hand back "no plan": a greedy cover is feasible whenever the shifts tile.
        return GreedyCoverSolver().solve(model.problem, self.time_limit)

    def _check_parameters(self) -> None:
        if not self.shift_types:
            raise InputError("no shift types given: allow at least one (e.g. 8 hours at 6, 14, 22)")
        if self.team_size < 1:
            raise InputError(f"team_size {self.team_size!r} must be at least 1 officer")
        if self.time_limit <= 0:
            raise InputError(f"time_limit {self.time_limit!r} must be > 0 seconds")

    def _check_tiling(self, matrix: HourlyMatrix, models: list[ZoneModel]) -> None:
        for zone, model in zip(matrix.ids, models, strict=True):
            gaps = uncovered_hours(model)
            if gaps.size:
                local = matrix.ds.dt.convert_time_zone(self.time_zone)
                names = sorted({f"{local[int(p)].hour:02d}:00" for p in gaps})
                raise InputError(
                    f"the shift types cannot cover every required hour of {zone!r}: no shift "
                    f"is on duty at {', '.join(names)} local; add start times or longer "
                    f"shifts so that together they tile the day"
                )


def _assemble(
    matrix: HourlyMatrix,
    required: np.ndarray,
    models: list[ZoneModel],
    solutions: list[MipSolution],
    team_size: int,
) -> ShiftPlan:
    planned = np.stack([m.coverage(s.x) for m, s in zip(models, solutions, strict=True)])
    coverage = matrix.to_frame(required=required, planned=planned, surplus=planned - required)
    starts = pl.concat(
        [
            m.starts_frame(zone, s.x, matrix.ds)
            for zone, m, s in zip(matrix.ids, models, solutions, strict=True)
        ],
        how="vertical",
    )
    summary = _summary(matrix, required, models, solutions, team_size)
    return ShiftPlan(starts=starts, coverage=coverage, summary=summary)


def _summary(
    matrix: HourlyMatrix,
    required: np.ndarray,
    models: list[ZoneModel],
    solutions: list[MipSolution],
    team_size: int,
) -> pl.DataFrame:
    officer_hours = [m.paid_hours(s.x) * team_size for m, s in zip(models, solutions, strict=True)]
    flat = required.max(axis=1) * matrix.n_hours * team_size
    return pl.DataFrame(
        {
            "unique_id": matrix.ids,
            "status": [str(s.status) for s in solutions],
            "gap": [s.gap for s in solutions],
            "solver": [s.solver for s in solutions],
            "seconds": [s.seconds for s in solutions],
            "officer_hours": np.array(officer_hours, dtype=float),
            "required_officer_hours": (required.sum(axis=1) * team_size).astype(float),
            "flat_officer_hours": flat.astype(float),
        },
        schema_overrides={"gap": pl.Float64},
    ).with_columns(
        saving=1.0 - pl.col("officer_hours") / pl.col("flat_officer_hours").replace(0.0, None)
    )
