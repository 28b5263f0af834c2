"""`zonal import`: bring real data into the store.

The store, the importers and Polars are imported inside the command: `zonal --help` must not
pay for them (see cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zonal.cli._app import console

if TYPE_CHECKING:
    import polars as pl

    from zonal.services.imports import ImportReport

importing = typer.Typer(help="Import incidents from CSV or Parquet files.", no_args_is_help=True)


@importing.command("incidents")
def incidents_command(
    file: Annotated[Path, typer.Argument(help="CSV (optionally .gz) or Parquet file.")],
    preset: Annotated[
        str | None,
        typer.Option(help="Named source: houston, portland-nij, dispatch-center, st-louis."),
    ] = None,
    map_: Annotated[
        str | None,
        typer.Option(
            "--map",
            help="Target=source column pairs, e.g. time=occurred_at,zone=beat,category=offense.",
        ),
    ] = None,
    tz: Annotated[
        str | None, typer.Option(help="IANA time zone of the file's wall-clock times.")
    ] = None,
    dataset: Annotated[str | None, typer.Option(help="Name of the dataset in the store.")] = None,
    scheme: Annotated[
        str | None, typer.Option(help="Category scheme of the taxonomy (default: the preset's).")
    ] = None,
    time_format: Annotated[
        str | None, typer.Option(help="strptime format of the times, e.g. '%m/%d/%Y %H:%M'.")
    ] = None,
    agency: Annotated[
        list[str] | None,
        typer.Option(
            help="Agency to keep (repeatable; ALL keeps every agency): with --map, from the "
            "column mapped as agency=COLUMN; with the dispatch-center preset (default POLICE)."
        ),
    ] = None,
    zone: Annotated[
        str | None,
        typer.Option(
            help="The zone of every row, for a file that covers one zone (a zone of the "
            "registry, e.g. 5339)."
        ),
    ] = None,
    without_zone: Annotated[
        bool,
        typer.Option(
            "--no-zone",
            help="Import a file without any zone on purpose (refused otherwise: its forecast "
            "and plan would be for zone 'unknown').",
        ),
    ] = False,
    check_zones: Annotated[
        bool | None,
        typer.Option(
            "--check-zones/--no-check-zones",
            help="Reject rows whose zone is not in the store's registry "
            "(default: on for --map imports, off for presets of foreign data).",
        ),
    ] = None,
    replace: Annotated[bool, typer.Option(help="Replace a dataset of the same name.")] = False,
) -> None:
    """Import a file of incidents; rejected rows go to a CSV with their reasons.

    Examples:

      zonal import incidents houston_incidents_2010.csv.gz --preset houston

      zonal import incidents calls.csv --map time=start,zone=zone,category=type --tz Europe/Brussels

      zonal import incidents dispatch.csv.gz --preset dispatch-center --zone 5339
    """
    from zonal.bootstrap import open_store
    from zonal.services.imports import ImportRequest, import_incidents
    from zonal.settings import get_settings

    request = ImportRequest(
        path=file,
        preset=preset,
        mapping=map_,
        time_zone=tz,
        dataset=dataset,
        scheme=scheme,
        time_format=time_format,
        agencies=_agencies(agency),
        check_zones=check_zones,
        replace=replace,
        zone=zone,
        without_zone=without_zone,
    )
    with console.status(f"Importing {file.name} ..."):
        rejects = get_settings().data_dir / "rejects"
        report = import_incidents(open_store().uow(), request, rejects)
    print_report(report)


def _agencies(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    return () if any(value.upper() == "ALL" for value in values) else tuple(values)


def print_report(report: ImportReport) -> None:
    table = Table(title=f"Import run {report.run_id}: dataset {report.dataset!r}")
    table.add_column("what")
    table.add_column("rows", justify="right")
    table.add_row("read", f"{report.rows_read:,}")
    table.add_row("imported", f"{report.rows_imported:,}")
    for reason, count in sorted(report.reasons.items()):
        table.add_row(f"rejected: {reason}", f"{count:,}")
    for note, count in sorted(report.notes.items()):
        table.add_row(f"note: {note}", f"{count:,}")
    console.print(table)
    for warning in report.warnings:
        console.print(f"[bold yellow]Warning:[/] {escape(warning)}", highlight=False)
    if report.unclassified.height:
        console.print(
            f"[yellow]{report.unclassified.height} source categories mapped to no offence type "
            "(kept as 'unclassified'):[/]"
        )
        console.print(frame_table(report.unclassified.head(10)))
    if report.rejects_path:
        console.print(f"Rejected rows with their reasons: {report.rejects_path}")


def frame_table(frame: pl.DataFrame, title: str | None = None) -> Table:
    """A frame as a Rich table with its column names as headers, numbers right-aligned."""
    table = Table(title=title)
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in frame.iter_rows():
        table.add_row(*(_cell(value) for value in row))
    return table


def _cell(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def register(root: typer.Typer) -> None:
    root.add_typer(importing, name="import")
