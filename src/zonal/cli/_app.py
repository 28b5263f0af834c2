"""The root command group: one place maps every ZonalError to a message and an exit code."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from zonal.errors import ZonalError

console = Console()
errors = Console(stderr=True)


class ZonalGroup(TyperGroup):
    """Turns a ZonalError raised anywhere below into `Error: ...` and its exit code."""

    # `ctx` is Typer's vendored click Context, which Typer does not export under a public name.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ZonalError as exc:
            errors.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from exc


app = typer.Typer(
    cls=ZonalGroup,
    name="zonal",
    help=(
        "Zonal: forecast and plan police forces per zone, handle online complaints, "
        "measure the security policy cycle.\n\n"
        "Start with `zonal demo` (builds the synthetic Brussels demo and serves it), "
        "or import your own incidents with `zonal import incidents FILE --preset houston`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
