"""`zonal zones`: the zone registry in the store.

The store and the geography are imported inside the commands, so that `zonal --help` does
not load them (see cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from zonal.cli._app import console

if TYPE_CHECKING:
    from zonal.geo import ZoneRegistry

zones = typer.Typer(
    help=(
        "The police zones Zonal knows: list them, load your own registry, resolve postal "
        "codes.\n\nExamples: zonal zones --lang fr;  zonal zones load ./my-registry;  "
        "zonal zones postcode 1050"
    ),
    invoke_without_command=True,
)

Language = Annotated[str, typer.Option("--lang", help="Names in nl, fr, de or en.")]


@zones.callback()
def list_zones(ctx: typer.Context, lang: Language = "en") -> None:
    """List the zones of the store's registry with their municipalities.

    Examples: zonal zones --lang fr;  zonal zones load ./my-registry;  zonal zones postcode 1050
    """
    if ctx.invoked_subcommand is not None:
        return
    from zonal.bootstrap import open_store
    from zonal.services.zones import registry_of

    console.print(zone_table(registry_of(open_store().uow()), lang))


def zone_table(registry: ZoneRegistry, language: str) -> Table:
    table = Table(title=f"{len(registry.zones)} police zones")
    for column in ("zone", "name", "parent", "municipalities", "sectors"):
        table.add_column(column)
    for zone in registry.zones.values():
        names = ", ".join(m.name(language) for m in registry.municipalities_of(zone.number))
        table.add_row(zone.number, zone.name(language), zone.parent, names, str(len(zone.sectors)))
    return table


@zones.command("load")
def load_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder with zones.csv, municipalities.csv and optionally sectors.csv and "
            "zones.geojson, in the format of docs/geography.md."
        ),
    ],
) -> None:
    """Replace the store's registry with the one in FOLDER (checked before anything changes).

    Example: zonal zones load ./registry-2026
    """
    from zonal.bootstrap import open_store
    from zonal.services.zones import replace_registry

    registry = replace_registry(open_store().uow(), folder)
    console.print(
        f"Loaded {len(registry.zones)} zones and {len(registry.municipalities)} municipalities."
    )
    for warning in registry.warnings:
        console.print(f"[yellow]Warning:[/] {warning}")


@zones.command("postcode")
def postcode_command(
    postal_code: Annotated[str, typer.Argument(help="A Belgian postal code, e.g. 1050.")],
) -> None:
    """Say which municipalities and police zones a postal code covers.

    Example: zonal zones postcode 1040   (spans two zones: both are returned and said)
    """
    from zonal.bootstrap import open_store
    from zonal.services.zones import resolve_postcode

    resolution = resolve_postcode(open_store().uow(), postal_code)
    console.print(resolution.message)
    console.print(f"zones: {', '.join(resolution.zones)}")


def register(root: typer.Typer) -> None:
    root.add_typer(zones, name="zones")
