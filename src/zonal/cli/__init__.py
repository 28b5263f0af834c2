"""The `zonal` command: one module per command group, each adding itself to the root."""

from __future__ import annotations

from zonal.cli import complaints, db, demo, forecast, generate, importing, plan, staff, zones
from zonal.cli._app import app

for module in (complaints, db, demo, forecast, generate, importing, plan, staff, zones):
    module.register(app)


def main() -> None:
    """Entry point of the `zonal` console script."""
    app()


__all__ = ["app", "main"]
