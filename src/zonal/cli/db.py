"""`zonal db`: the store's schema.

The store (SQLAlchemy, Alembic) is imported inside the commands, so that `zonal --help` does
not load it (see cli/__init__.py).
"""

from __future__ import annotations

import typer

from zonal.cli._app import console

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
    state = "up to date" if status.current == status.head else "run `zonal db upgrade`"
    console.print(f"Store {status.url}: revision {status.current} (newest {status.head}): {state}.")


def register(root: typer.Typer) -> None:
    root.add_typer(db, name="db")
