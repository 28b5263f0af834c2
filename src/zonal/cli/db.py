"""`zonal db`: the store's schema.

The store (SQLAlchemy, Alembic) is imported inside the commands, so that `zonal --help` does
not load it (see cli/__init__.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from zonal.cli._app import console

if TYPE_CHECKING:
    from pathlib import Path

    from zonal.bootstrap import SchemaStatus

db = typer.Typer(help="The store's schema (Alembic migrations).", no_args_is_help=True)


@db.command("upgrade")
def upgrade_command() -> None:
    """Bring the store's schema to the newest revision.

    Example: ZONAL_DATABASE_URL=postgresql+psycopg://zonal@db/zonal zonal db upgrade
    """
    from zonal.bootstrap import open_store

    status = open_store().schema_status()
    console.print(f"Store {status.url} is at revision {status.current}.")


@db.command("status")
def status_command() -> None:
    """Show the store's URL, its schema revision and the newest one."""
    from zonal.bootstrap import open_store

    status = open_store(migrate=False).schema_status()
    console.print(
        f"Store {status.url}: revision {status.current} (newest {status.head}): {_state(status)}."
    )


@db.command("info")
def info_command() -> None:
    """Show where the store is: its URL, the data folder, the schema revision and the datasets.

    Every checkout of the same user shares the default folder; give a checkout its own with
    ZONAL_DATA_DIR (`make demo` uses ./.zonal). Example: ZONAL_DATA_DIR=$PWD/.zonal zonal db info
    """
    from zonal.bootstrap import open_store
    from zonal.services.overview import stored_datasets
    from zonal.settings import get_settings

    store = open_store(migrate=False)
    try:
        status = store.schema_status()
        datasets = stored_datasets(store.uow()) if status.current == status.head else None
    finally:
        store.dispose()  # close the connections now, not when the interpreter collects them
    _print_location(status.url, get_settings().data_dir)
    revision = f"revision {status.current} (newest {status.head})"
    console.print(f"Schema:      {revision}: {_state(status)}.")
    if datasets is not None:  # an old schema may lack the tables the datasets are read from
        _print_datasets(datasets)


def _print_location(url: str, data_dir: Path) -> None:
    # never wrapped nor highlighted, so that a path stays one piece to copy
    for line in (
        f"Store:       {url}",
        f"Data folder: {data_dir}",
        f"  attachments in {data_dir / 'attachments'}",
        f"  rejects in {data_dir / 'rejects'}",
    ):
        console.print(line, highlight=False, soft_wrap=True)


def _state(status: SchemaStatus) -> str:
    return "up to date" if status.current == status.head else "run `zonal db upgrade`"


def _print_datasets(datasets: dict[str, int]) -> None:
    from rich.table import Table

    if not datasets:
        console.print("Datasets:    none yet (`zonal demo` or `zonal import incidents`).")
        return
    table = Table(title="Datasets", title_justify="left")
    table.add_column("dataset")
    table.add_column("incidents", justify="right")
    for name, count in sorted(datasets.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(db, name="db")
