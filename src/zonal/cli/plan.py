"""`zonal plan`: staffing requirements, shifts, rosters and patrols from a demand forecast.

The solvers (HiGHS, OR-Tools), Polars and the store are imported inside the commands, so
that `zonal --help` does not load them (see cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from zonal.cli._app import console

if TYPE_CHECKING:
    import polars as pl

    from zonal.planning import ServiceProfile
    from zonal.planning.demo import PlanningDemo
    from zonal.planning.plans import PlanOutcome
    from zonal.planning.roster import RosterResult

# zonal.planning.service_times' defaults, named here for the option defaults without
# importing the planning stack; tests/unit/test_cli_startup.py checks that they agree.
DEFAULT_SERVICE_MINUTES = 45.0
DEFAULT_P1_SHARE = 0.1

plan = typer.Typer(
    help="Plan forces: teams needed per hour, shifts, named rosters and patrol areas.",
    no_args_is_help=True,
)

Demo = Annotated[bool, typer.Option("--demo", help="Use the synthetic Brussels demo zones.")]
Zone = Annotated[str, typer.Option("--tz", help="IANA time zone of the zones' wall clock.")]
Out = Annotated[Path | None, typer.Option("--out", help="Folder to write the CSV files to.")]
TeamSize = Annotated[int, typer.Option(help="Officers per intervention team.")]


def register(root: typer.Typer) -> None:
    """Add `zonal plan` to the root command."""
    root.add_typer(plan, name="plan")


@plan.command("run")
def run_command(
    demand: Annotated[
        Path | None,
        typer.Argument(help="Long CSV/Parquet: unique_id, ds (hourly), mean and/or q-0.9, or y."),
    ] = None,
    demo: Demo = False,
    forecast_run: Annotated[
        int | None,
        typer.Option(help="Plan on a forecast stored by `zonal forecast --save` (its run id)."),
    ] = None,
    column: Annotated[
        str | None, typer.Option(help="Demand column to plan on, e.g. q-0.9 (default mean, y).")
    ] = None,
    target: Annotated[float, typer.Option(help="Share of P1 calls finding a team in time.")] = 0.9,
    wait: Annotated[float, typer.Option(help="P1 wait target, minutes.")] = 1.0,
    utilisation: Annotated[float, typer.Option(help="Most of team time spent on calls.")] = 0.6,
    service_minutes: Annotated[
        float, typer.Option(help="Mean minutes per call.")
    ] = DEFAULT_SERVICE_MINUTES,
    p1_share: Annotated[
        float, typer.Option(help="Share of calls that are priority 1.")
    ] = DEFAULT_P1_SHARE,
    dispatch: Annotated[
        Path | None, typer.Option(help="Dispatch file to estimate service times from.")
    ] = None,
    preset: Annotated[str, typer.Option(help="Import preset of --dispatch.")] = "dispatch-center",
    shift: Annotated[
        list[str] | None,
        typer.Option(
            help="Allowed shift HOURS@STARTS or HOURS@STARTS/BREAK, repeatable: 8@6,14,22/30."
        ),
    ] = None,
    team_size: TeamSize = 2,
    lag: Annotated[bool, typer.Option(help="Lag correction for long service times.")] = True,
    floors: Annotated[bool, typer.Option(help="Legal minimum: 1 team 24/7 + 1 for 84 h.")] = True,
    tz: Zone = "Europe/Brussels",
    out: Out = None,
) -> None:
    """Teams needed per zone and hour, the shifts covering them, and the saving on a flat plan.

    Examples:

      zonal plan run --demo

      zonal plan run forecast.parquet --column q-0.9 --dispatch calls.csv.gz --out plan/

      zonal plan run --forecast-run 3 --column q-0.9

      zonal plan run forecast.csv --shift 8@6,14,22 --shift 12@7,19 --no-floors
    """
    from zonal.planning import (
        DEFAULT_SHIFT_TYPES,
        MinimumService,
        ShiftDesigner,
        StaffingRequirements,
    )
    from zonal.planning.plans import plan_demand
    from zonal.planning.shifts import parse_shift_type

    if forecast_run is not None:
        frame, service, tz = _stored_demand(
            forecast_run, dispatch, preset, service_minutes, p1_share
        )
    else:
        frame, service = _demand_and_service(
            demand, demo, dispatch, preset, service_minutes, p1_share, tz
        )
    requirements = StaffingRequirements(
        service=service,
        target=target,
        wait_minutes=wait,
        utilisation_cap=utilisation,
        lag=lag,
        floors=MinimumService() if floors else MinimumService.none(),
        column=column,
        time_zone=tz,
    )
    kinds = tuple(parse_shift_type(s) for s in shift) if shift else DEFAULT_SHIFT_TYPES
    outcome = plan_demand(
        frame, requirements, ShiftDesigner(kinds, team_size=team_size, time_zone=tz)
    )
    console.print(comparison_table(outcome))
    if out is not None:
        _write_plan(outcome, out)


@plan.command("roster")
def roster_command(
    shifts: Annotated[
        Path | None, typer.Argument(help="shifts.csv written by `zonal plan run --out`.")
    ] = None,
    zone: Annotated[str | None, typer.Option(help="Zone to roster (default: the first).")] = None,
    officers: Annotated[
        Path | None,
        typer.Option(help="CSV: officer_id, contract_hours, skills, team, unavailable, nights."),
    ] = None,
    demo: Demo = False,
    weeks: Annotated[int, typer.Option(help="Weeks to roster.")] = 4,
    team_size: TeamSize = 2,
    time_limit: Annotated[float, typer.Option(help="Solver seconds.")] = 60.0,
    tz: Zone = "Europe/Brussels",
    out: Annotated[Path | None, typer.Option(help="Roster CSV to write.")] = None,
    ics: Annotated[Path | None, typer.Option(help="iCalendar file to write.")] = None,
) -> None:
    """Assign named officers to a zone's shifts under rest rules; list what stays uncovered.

    Examples:

      zonal plan roster --demo --zone 5341 --ics roster.ics

      zonal plan roster plan/shifts.csv --zone 5339 --officers officers.csv --out roster.csv
    """
    import polars as pl

    from zonal.planning import Rosterer
    from zonal.planning.demo import demo_outcome
    from zonal.planning.io import read_officers, read_shift_starts
    from zonal.planning.plans import roster_zone
    from zonal.planning.roster import slots_from_plan, write_csv, write_ical
    from zonal.planning.roster.synthetic import demo_officers

    rosterer = Rosterer(time_limit=time_limit, time_zone=tz)
    if demo:
        outcome = demo_outcome()
        chosen = zone or outcome.shifts.summary["unique_id"][0]
        weekly = outcome.shifts.summary.filter(pl.col("unique_id") == chosen)["officer_hours"]
        staff = read_officers(officers) if officers else demo_officers(float(weekly.sum()))
        roster = roster_zone(outcome, chosen, staff, rosterer, weeks=weeks, team_size=team_size)
    else:
        if shifts is None or officers is None:
            raise typer.BadParameter("give SHIFTS and --officers, or --demo")
        starts = read_shift_starts(shifts)
        chosen = zone or starts["unique_id"][0]
        starts = starts.filter(pl.col("unique_id") == chosen)
        slots = slots_from_plan(starts, team_size=team_size, weeks=weeks, time_zone=tz)
        roster = rosterer.fit(read_officers(officers), slots).roster_
    console.print(roster_table(roster, chosen))
    if out is not None:
        write_csv(roster, out, tz)
    if ics is not None:
        write_ical(roster, ics)


@plan.command("patrol")
def patrol_command(
    demo: Demo = False,
    sector_demand: Annotated[
        Path | None, typer.Option(help="Long CSV/Parquet of demand per sector (unique_id=sector).")
    ] = None,
    sectors: Annotated[Path | None, typer.Option(help="CSV: sector, zone, lat, lon.")] = None,
    patrols: Annotated[
        Path | None, typer.Option(help="CSV: unique_id (zone), ds, patrols, e.g. coverage.csv.")
    ] = None,
    reach: Annotated[float, typer.Option(help="Minutes within which a patrol covers.")] = 10.0,
    min_presence: Annotated[int, typer.Option(help="Patrols every sector should hold.")] = 0,
    tz: Zone = "Europe/Brussels",
    out: Annotated[Path | None, typer.Option(help="Allocation CSV to write.")] = None,
) -> None:
    """Spread each zone's on-duty patrols over its sectors, hour by hour.

    Examples:

      zonal plan patrol --demo --reach 8

      zonal plan patrol --sector-demand s.csv --sectors sectors.csv --patrols plan/coverage.csv
    """
    import polars as pl

    from zonal.planning import PatrolAllocator, travel_minutes
    from zonal.planning.demo import demo_outcome, planning_demo
    from zonal.planning.io import read_frame

    if demo:
        data = planning_demo()
        coverage = demo_outcome().shifts.coverage
        demand_frame, sector_frame = data.sector_demand, data.sectors
        patrol_frame = coverage.select("unique_id", "ds", pl.col("planned").alias("patrols"))
    else:
        if sector_demand is None or sectors is None or patrols is None:
            raise typer.BadParameter("give --sector-demand, --sectors and --patrols, or --demo")
        demand_frame, sector_frame = read_frame(sector_demand, tz), read_frame(sectors, tz)
        patrol_frame = read_frame(patrols, tz)
        if "patrols" not in patrol_frame.columns and "planned" in patrol_frame.columns:
            patrol_frame = patrol_frame.rename({"planned": "patrols"})
    allocator = PatrolAllocator(reach_minutes=reach, min_presence=min_presence)
    fitted = allocator.fit(demand_frame, patrol_frame, sector_frame, travel_minutes(sector_frame))
    console.print(patrol_table(fitted.allocation_))
    if out is not None:
        fitted.allocation_.write_csv(out)


@plan.command("service-times")
def service_times_command(
    file: Annotated[Path, typer.Argument(help="Dispatch file with dispatch and cleared times.")],
    preset: Annotated[str, typer.Option(help="Import preset.")] = "dispatch-center",
) -> None:
    """Minutes a call keeps a team busy, per priority and cluster, from dispatch timestamps.

    Example: zonal plan service-times dispatch_center_2025h2.csv.gz
    """
    from zonal.incidents.presets import read_with_preset
    from zonal.planning import ServiceTimeEstimator

    fitted = ServiceTimeEstimator().fit(read_with_preset(file, preset).incidents)
    table = Table(title=f"Service times ({fitted.dropped_} calls without a usable duration)")
    for name in fitted.table_.columns:
        table.add_column(name, justify="right")
    for row in fitted.table_.iter_rows():
        table.add_row(*[f"{v:.1f}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)
    console.print(
        f"All calls: mean {fitted.profile_.mean_hours * 60:.1f} min, "
        f"priority-1 share {fitted.profile_.p1_share:.1%}"
    )


def comparison_table(outcome: PlanOutcome) -> Table:
    """Officer-hours of the plan against a flat 24/7 plan, per zone."""
    table = Table(title="Designed shifts against a flat 24/7 plan (same P1 target)")
    for name in (
        "zone",
        "plan h",
        "flat teams",
        "flat h",
        "saving",
        "P1 plan",
        "P1 flat",
        "status",
    ):
        table.add_column(name, justify="right")
    rows = outcome.comparison.join(
        outcome.shifts.summary.select("unique_id", "status"), on="unique_id"
    )
    for r in rows.iter_rows(named=True):
        table.add_row(
            r["unique_id"],
            f"{r['plan_officer_hours']:,.0f}",
            str(r["flat_teams"]),
            f"{r['flat_officer_hours']:,.0f}",
            f"{r['saving']:.0%}",
            f"{r['plan_p1_share']:.1%}",
            f"{r['flat_p1_share']:.1%}",
            r["status"],
        )
    return table


def roster_table(roster: RosterResult, zone: str) -> Table:
    """Roster summary, with the uncovered slots in red."""
    gap = "n/a" if roster.gap is None else f"{roster.gap:.2%}"
    table = Table(
        title=f"Roster of zone {zone}: {roster.status} by {roster.solver} in "
        f"{roster.seconds:.1f} s, gap {gap}, {roster.short_officer_hours:,.0f} officer-hours short"
    )
    for name in ("slot", "needed", "assigned", "short", "skills short"):
        table.add_column(name, justify="right")
    for r in roster.uncovered.iter_rows(named=True):
        table.add_row(
            r["slot_id"],
            str(r["needed"]),
            str(r["assigned"]),
            f"[red]{r['short']}[/]",
            str(r["skills_short"]),
        )
    if not roster.uncovered.height:
        table.add_row("every slot covered", "", "", "", "")
    return table


def patrol_table(allocation: pl.DataFrame) -> Table:
    """Mean patrols per sector and the share of hours each sector is in reach of one."""
    import polars as pl

    summary = (
        allocation.group_by("zone", "sector")
        .agg(pl.col("patrols").mean(), (pl.col("in_reach") > 0).mean().alias("reached"))
        .sort("zone", "sector")
    )
    table = Table(title="Patrol allocation (mean over the hours)")
    for name in ("zone", "sector", "patrols", "hours in reach"):
        table.add_column(name, justify="right")
    for r in summary.iter_rows(named=True):
        table.add_row(r["zone"], r["sector"], f"{r['patrols']:.2f}", f"{r['reached']:.0%}")
    return table


def _demand_and_service(
    demand: Path | None,
    demo: bool,
    dispatch: Path | None,
    preset: str,
    minutes: float,
    p1_share: float,
    tz: str,
) -> tuple[pl.DataFrame, ServiceProfile]:
    from zonal.planning.demo import planning_demo
    from zonal.planning.io import read_frame, zone_demand

    if demo:
        data = planning_demo()
        return data.zone_demand, _service(data, dispatch, preset, minutes, p1_share)
    if demand is None:
        raise typer.BadParameter("give a DEMAND file or --demo")
    frame = zone_demand(read_frame(demand, tz))
    return frame, _service(None, dispatch, preset, minutes, p1_share)


def _stored_demand(
    run_id: int, dispatch: Path | None, preset: str, minutes: float, p1_share: float
) -> tuple[pl.DataFrame, ServiceProfile, str]:
    """A stored run's zone demand in its own clock; service times from its dataset's calls
    when they carry dispatch times (else from --dispatch, else the default profile)."""
    from zonal.bootstrap import open_store
    from zonal.services.planning import plan_input

    default = _service(None, dispatch, preset, minutes, p1_share)
    found = plan_input(open_store().uow(), run_id, default, estimate=dispatch is None)
    stored = found.demand
    console.print(
        f"Planning on forecast run {run_id} of {stored.run.dataset!r} "
        f"({stored.zones['unique_id'].n_unique()} zones, {stored.run.time_zone})"
    )
    if dispatch is None:
        console.print(found.source)
    return stored.zones, found.service, stored.run.time_zone


def _service(
    data: PlanningDemo | None, dispatch: Path | None, preset: str, minutes: float, p1_share: float
) -> ServiceProfile:
    from zonal.incidents.presets import read_with_preset
    from zonal.planning import ServiceProfile, ServiceTimeEstimator

    if dispatch is not None:
        return ServiceTimeEstimator().fit(read_with_preset(dispatch, preset).incidents).profile_
    if data is not None:
        return ServiceTimeEstimator().fit(data.incidents).profile_
    return ServiceProfile.exponential(minutes, p1_share)


def _write_plan(outcome: PlanOutcome, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    outcome.requirements.requirements_.write_csv(folder / "requirements.csv")
    outcome.shifts.starts.write_csv(folder / "shifts.csv")
    outcome.shifts.coverage.write_csv(folder / "coverage.csv")
    outcome.comparison.write_csv(folder / "comparison.csv")
    console.print(f"Wrote requirements, shifts, coverage and comparison CSV files to {folder}")
