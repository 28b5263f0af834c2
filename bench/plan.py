"""Planning benchmark: requirements, shift design, rosters, against the baselines, in one run.

1. 185 synthetic zones x 168 hours: requirements (Erlang C + lag + floors) and shift design
   (HiGHS, zones in parallel) against the greedy cover and the flat 24/7 plan.
2. Named 28-day rosters with three shift types and the rest rules, 30 and 150 officers:
   CP-SAT against the greedy roster.
3. Real demand (the dispatch centre's hourly police calls; Houston's 24 districts): the
   designed plan against a flat 24/7 plan at the same priority-1 target, and the plain
   hour-by-hour SIPP plan judged under the lagged load.

Prints the tables and writes the `plan` section of docs/benchmarks.md.

    .venv/bin/python bench/plan.py            # everything (about two minutes on 2 cores)
    .venv/bin/python bench/plan.py --quick    # 20 zones, 30 officers, no docs
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from _docs import replace_section
from zonal.forecasting.aggregate import hourly_counts
from zonal.forecasting.baselines import SeasonalWindowAverage
from zonal.forecasting.series_key import TOTAL_KEY
from zonal.incidents.presets import read_with_preset
from zonal.planning import (
    CpSatRosterSolver,
    GreedyRosterSolver,
    Officer,
    Rosterer,
    RosterSlot,
    ServiceProfile,
    ServiceTimeEstimator,
    ShiftDesigner,
    StaffingRequirements,
    plan_versus_flat,
)
from zonal.planning.simulate import simulate_plan
from zonal.planning.solvers import GreedyCoverSolver

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
START, END = "<!-- bench:plan -->", "<!-- /bench:plan -->"
BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY = datetime(2025, 3, 2, 23, tzinfo=UTC)  # Monday 00:00 in Brussels
T = TypeVar("T")
Row = tuple[str, ...]


def timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def synthetic_zones(count: int, seed: int = 185) -> pl.DataFrame:
    """Hourly calls for `count` zones: a shared weekly rhythm times a lognormal zone size."""
    rng = np.random.default_rng(seed)
    hours = np.arange(168)
    day = 1.0 + 0.6 * np.sin((hours % 24 - 10) / 24 * 2 * np.pi)
    weekend = np.where((hours // 24 >= 4) & ((hours % 24 >= 20) | (hours % 24 < 4)), 1.4, 1.0)
    shape = day * weekend / (day * weekend).mean()
    volume = rng.lognormal(mean=np.log(1.5), sigma=0.7, size=count)  # calls per hour
    noise = rng.gamma(20.0, 1 / 20.0, size=(count, 168))
    values = volume[:, None] * shape[None, :] * noise
    ds = [MONDAY + timedelta(hours=int(h)) for h in hours]
    return pl.DataFrame(
        {
            "unique_id": np.repeat([f"Z{i:03d}" for i in range(count)], 168),
            "ds": ds * count,
            "mean": values.ravel(),
        }
    )


def bench_shift_design(zones: int) -> list[Row]:
    demand = synthetic_zones(zones)
    service = ServiceProfile.exponential(45.0, p1_share=0.1)
    requirements, t_req = timed(lambda: StaffingRequirements(service=service).fit(demand))
    frame = requirements.requirements_
    highs, t_highs = timed(lambda: ShiftDesigner(n_jobs=2).fit(frame).plan_)
    greedy, t_greedy = timed(lambda: ShiftDesigner(solver=GreedyCoverSolver()).fit(frame).plan_)
    hours = highs.summary["officer_hours"].sum()
    worst_gap = highs.summary["gap"].fill_null(0.0).max()
    optimal = (highs.summary["status"] == "optimal").sum()
    flat = highs.summary["flat_officer_hours"].sum()
    label = f"{zones} zones x 168 h"
    return [
        (label, "requirements: Erlang C + lag + floors", f"{t_req:.2f}", "", "all zones at once"),
        (
            label,
            "shifts: HiGHS, 2 threads",
            f"{t_highs:.2f}",
            f"{hours:,.0f}",
            f"{optimal}/{zones} optimal, worst gap {worst_gap:.2%}",
        ),
        (
            label,
            "requirements + shifts (target <= 10 s)",
            f"{t_req + t_highs:.2f}",
            "",
            "",
        ),
        (
            label,
            "baseline: greedy cover",
            f"{t_greedy:.2f}",
            f"{greedy.summary['officer_hours'].sum():,.0f}",
            f"{greedy.summary['officer_hours'].sum() / hours - 1:+.1%} vs HiGHS",
        ),
        (label, "baseline: flat 24/7", "", f"{flat:,.0f}", f"{flat / hours - 1:+.1%} vs HiGHS"),
    ]


def roster_instance(
    officers: int, load: float = 0.9, seed: int = 1
) -> tuple[list[Officer], list[RosterSlot]]:
    """28 days, early/late/night, 15% part-time, 20% in pairs, leave, two skills per shift.

    `load` is the officer-shifts needed as a share of the contracts' capacity.
    """
    rng = np.random.default_rng(seed)
    first = date(2025, 3, 3)
    staff = []
    for i in range(officers):
        part_time = rng.random() < 0.15
        skills = {"fr"} if rng.random() < 0.3 else set()
        if rng.random() < 0.6:
            skills.add("driver")
        leave = rng.choice(28, size=int(rng.integers(0, 4)), replace=False)
        staff.append(
            Officer(
                f"o{i:03d}",
                30.4 if part_time else 38.0,
                frozenset(skills),
                f"pair{i // 2}" if i < officers // 5 else None,
                frozenset(first + timedelta(days=int(d)) for d in leave),
                nights=not (part_time and rng.random() < 0.5),
            )
        )
    capacity = sum(o.contract_hours * 4 / 8 for o in staff)
    share = {"early": 0.36, "late": 0.40, "night": 0.24}
    starts = {"early": 6, "late": 14, "night": 22}
    slots = []
    for day in range(28):
        busy = 1.1 if day % 7 in (4, 5) else 1.0
        for name, hour in starts.items():
            start = datetime.combine(first + timedelta(days=day), datetime.min.time(), BRUSSELS)
            need = round(share[name] * busy * capacity * load / 28 / 1.03)
            slots.append(
                RosterSlot(name, start.replace(hour=hour), 8, need, {"fr": 1, "driver": 2})
            )
    return staff, slots


def bench_roster(officers: int, limit: float, load: float = 0.9) -> list[Row]:
    staff, slots = roster_instance(officers, load)
    instance = f"roster {officers} officers x 28 days, demand {load:.0%} of capacity"
    rows = []
    for name, solver in (
        ("CP-SAT, 2 workers", CpSatRosterSolver()),
        ("baseline: greedy", GreedyRosterSolver()),
    ):
        fitted, seconds = timed(
            lambda s=solver: Rosterer(solver=s, time_limit=limit).fit(staff, slots)
        )
        roster = fitted.roster_
        gap = "n/a" if roster.gap is None else f"{roster.gap:.2%}"
        people = roster.officers
        # Whole 8-hour shifts cannot reach a 121.6 h target exactly: count from 120 h.
        reachable = (people["target_hours"] / 8).floor() * 8
        under = (reachable - people["hours"]).clip(lower_bound=0).sum()
        nights = people.filter(pl.col("nights") > 0)["nights"]
        rows.append(
            (
                instance,
                name,
                f"{seconds:.2f}",
                f"{roster.short_officer_hours:,.0f} h short",
                f"{roster.status}, gap {gap}; "
                f"{int((roster.coverage['skills_short'] > 0).sum())} slots short of a skill; "
                f"{under:,.0f} h under contract; nights {nights.min()}-{nights.max()} per officer",
            )
        )
    return rows


def real_demand() -> list[tuple[str, pl.DataFrame, ServiceTimeEstimator, str]]:
    dispatch = read_with_preset(DATA / "dispatch_center_2025h2.csv.gz", "dispatch-center").incidents
    service = ServiceTimeEstimator().fit(dispatch)
    new_york = "America/New_York"
    calls = hourly_counts(dispatch, time_zone=new_york, level="total", by_cluster=False)
    calls_demand = SeasonalWindowAverage(weeks=8).fit(calls.series).predict("7d")
    houston = read_with_preset(DATA / "houston_incidents_2010.csv.gz", "houston").incidents
    counts = hourly_counts(houston, time_zone="America/Chicago", level="zone", by_cluster=False)
    districts = counts.series.filter(pl.col("unique_id").str.contains(r"^[^/|]+\|all$"))
    districts = districts.filter(pl.col("unique_id") != str(TOTAL_KEY))
    houston_demand = SeasonalWindowAverage(weeks=8).fit(districts).predict("7d")
    return [
        ("dispatch centre, police calls (1 area)", calls_demand, service, new_york),
        (
            "Houston 2010, 24 districts (incidents as calls)",
            houston_demand,
            service,
            "America/Chicago",
        ),
    ]


def simulated(
    judge: StaffingRequirements, teams: np.ndarray, service: ServiceTimeEstimator
) -> float:
    """Share of priority-1 calls served within the wait in simulation, over all series."""
    minutes = service.samples_["minutes"].to_numpy()
    p1_share = service.profile_.p1_share
    served = calls = 0.0
    for i in range(teams.shape[0]):
        result = simulate_plan(
            judge.matrix_.values[i], teams[i], minutes, p1_share, judge.wait_minutes, seed=i
        )
        served += result.p1_within_wait * result.p1_calls
        calls += result.p1_calls
    return served / calls


def bench_real(
    name: str, demand: pl.DataFrame, service: ServiceTimeEstimator, zone: str
) -> list[Row]:
    rows = []
    judge = StaffingRequirements(service=service.profile_, time_zone=zone).fit(demand)
    for label, lag in (("Lag-SIPP (ours)", True), ("baseline: SIPP, no lag", False)):
        staffing = StaffingRequirements(service=service.profile_, time_zone=zone, lag=lag)
        plan = ShiftDesigner(time_zone=zone).fit(staffing.fit(demand).requirements_).plan_
        comparison = plan_versus_flat(judge, plan)
        planned = plan.coverage["planned"].to_numpy().reshape(judge.teams_.shape)
        plans = [(f"{label} shift plan", "plan", planned)]
        if lag:
            flat = np.repeat(judge.teams_.max(axis=1)[:, None], judge.teams_.shape[1], axis=1)
            plans.append(("baseline: flat 24/7 plan", "flat", flat))
        for method, key, teams in plans:
            rows.append(
                (
                    name,
                    method,
                    "",
                    f"{comparison[f'{key}_officer_hours'].sum():,.0f}",
                    f"P1 in time: Erlang {np.average(comparison[f'{key}_p1_share']):.1%}, "
                    f"simulated {simulated(judge, teams, service):.1%}; "
                    f"{comparison[f'{key}_hours_below'].sum()} zone-hours under target",
                )
            )
    return rows


def print_table(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in rows + [HEADER]) for i in range(len(HEADER))]
    for row in [HEADER, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


HEADER: Row = ("instance", "method", "seconds", "officer-hours", "quality")


def markdown(rows: list[Row]) -> str:
    lines = [
        START,
        "## Planning (`bench/plan.py`)",
        "",
        "Requirements are Erlang C with the lag correction, a 60% utilisation cap and the "
        "legal floors (1 team 24/7 + 1 for 84 h), target 90% of priority-1 calls finding a "
        "free team within 1 minute; teams of 2. Shift types: 8 h, 10 h, 12 h at the default "
        "start hours. Rosters: early/late/night over 28 days, 11 h rest, at most 6 days and "
        "3 nights in a row, contract hours as a hard cap, fair nights and weekends, a French "
        "speaker and two drivers per shift; at 110% of capacity the roster must leave gaps. "
        "Real profiles: "
        "mean of the last 8 weeks per hour of the week, service times from the dispatch "
        "centre's own timestamps; every plan is judged under the lagged Erlang model and in "
        "a discrete-event simulation (`zonal.planning.simulate`: Poisson calls at the "
        "profile's rates, the centre's observed service times, 20 weeks after a warm-up "
        "week, non-preemptive priority).",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|---|---|---:|---:|---|",
        *["| " + " | ".join(row) + " |" for row in rows],
        "",
        f"Python {platform.python_version()}, Polars {pl.__version__}, {platform.machine()}, "
        f"run {datetime.now(UTC):%Y-%m-%d}, 2 cores shared with other work: treat the "
        "seconds as upper bounds.",
        END,
    ]
    return "\n".join(lines)


def write_docs(text: str) -> None:
    replace_section(START, END, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small instances, no docs")
    args = parser.parse_args()
    rows = bench_shift_design(20 if args.quick else 185)
    rosters = [(30, 5.0, 0.9)] + ([] if args.quick else [(150, 60.0, 0.9), (150, 60.0, 1.1)])
    for officers, limit, load in rosters:
        rows += bench_roster(officers, limit, load)
    if DATA.is_dir():
        for instance in real_demand():
            rows += bench_real(*instance)
    print_table(rows)
    if not args.quick:
        write_docs(markdown(rows))


if __name__ == "__main__":
    main()
