"""The `zonal` command: one module per command group, each adding itself to the root.

Start-up stays light: a command module imports at its top only Typer, Rich, the standard
library and zonal.errors, and imports the store, Polars, the models and the solvers inside
the commands that use them, so `zonal --help` takes a fraction of a second instead of
seconds. Typer evaluates the commands' parameter annotations, so those stay builtins, `Path`
and light enums; everything else is a string annotation under TYPE_CHECKING.
tests/unit/test_cli_startup.py checks it; bench/cli_start.py measures it.
"""

from __future__ import annotations

from zonal.cli import (
    audit,
    complaints,
    db,
    demo,
    forecast,
    generate,
    importing,
    plan,
    staff,
    zones,
)
from zonal.cli._app import app

for module in (audit, complaints, db, demo, forecast, generate, importing, plan, staff, zones):
    module.register(app)


def main() -> None:
    """Entry point of the `zonal` console script."""
    app()


__all__ = ["app", "main"]
