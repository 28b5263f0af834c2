"""`zonal db`: the store's schema."""

from __future__ import annotations

import typer

from zonal.bootstrap import open_store
from zonal.cli._app import console
from zonal.storage import current_revision, head_revision

db = typer.Typer(help="The store's schema (Alembic migrations).", no_args_is_help=True)


@db.command("upgrade")
def upgrade_command() -> None:
    """Bring the store's schema to the newest revision.

    Example: ZONAL_DATABASE_URL=postgresql+psycopg://zonal@db/zonal zonal db upgrade
    """
    engine = open_store()
    console.print(
        f"Store {engine.url.render_as_string()} is at revision {current_revision(engine)}."
    )


@db.command("status")
def status_command() -> None:
    """Show the store's URL, its schema revision and the newest one."""
    engine = open_store(migrate=False)
    current, head = current_revision(engine), head_revision(engine)
    state = "up to date" if current == head else "run `zonal db upgrade`"
    console.print(
        f"Store {engine.url.render_as_string()}: revision {current} (newest {head}): {state}."
    )


def register(root: typer.Typer) -> None:
    root.add_typer(db, name="db")
