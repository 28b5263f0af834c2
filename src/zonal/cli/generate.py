"""`zonal generate`: synthetic data sets for scale tests (clearly labelled synthetic).

The generator (Polars, NumPy) is imported inside the command, so that `zonal --help` does
not load it (see cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zonal.cli._app import console

generate = typer.Typer(
    help="Generate synthetic incident data for scale tests.", no_args_is_help=True
)


@generate.command("national")
def national_command(
    folder: Annotated[Path, typer.Argument(help="Folder for one Parquet file per zone.")],
    zones: Annotated[int, typer.Option(min=1, max=1000, help="Number of synthetic zones.")] = 185,
    years: Annotated[int, typer.Option(min=1, max=10, help="Years of hourly incidents.")] = 3,
    seed: Annotated[int, typer.Option(help="Seed: same seed, same data.")] = 2016,
    volume_scale: Annotated[
        float, typer.Option(min=0.01, help="Multiply every rate (5 gives ~18M rows).")
    ] = 1.0,
) -> None:
    """Write a SYNTHETIC national set (185 zones x 3 years by default) as Parquet, zone by zone.

    Memory stays at one zone's rows. Read it back with polars.scan_parquet(FOLDER/*.parquet).

    Example: zonal generate national /tmp/national --years 3 --seed 7
    """
    from zonal.incidents.demo import write_national_parquet

    with console.status(f"Generating {zones} synthetic zones x {years} years ..."):
        paths = write_national_parquet(
            folder, zones=zones, years=years, seed=seed, volume_scale=volume_scale
        )
    size = sum(path.stat().st_size for path in paths) / 1e6
    console.print(f"Wrote {len(paths)} synthetic zone files ({size:,.0f} MB) to {folder}.")


def register(root: typer.Typer) -> None:
    root.add_typer(generate, name="generate")
