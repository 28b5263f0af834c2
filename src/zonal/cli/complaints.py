"""`zonal complaints`: keys and retention for the complaint files.

The store, the settings and the cryptography are imported inside the commands, so that
`zonal --help` does not load them (see cli/__init__.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from zonal.cli._app import console

complaints = typer.Typer(help="Keys and retention of the online complaints.", no_args_is_help=True)


@complaints.command("new-key")
def new_key_command() -> None:
    """Print a new random data key (32 bytes, base64) for ZONAL_DATA_KEY or a key file.

    Keep it in a secret store: without it the encrypted complaints cannot be read.

    Example: zonal complaints new-key > /etc/zonal/data.key && chmod 600 /etc/zonal/data.key
    """
    from zonal.bootstrap import new_data_key

    typer.echo(new_data_key())


@complaints.command("purge")
def purge_command(
    dry_run: Annotated[
        bool, typer.Option(help="Only count what the retention rules would erase.")
    ] = False,
) -> None:
    """Erase the personal content of closed cases past their retention period (run daily).

    Each erasure leaves a row in the Art. 25 log saying what was erased and why, without the
    content. Example: zonal complaints purge
    """
    from zonal.bootstrap import complaints_setup, open_store
    from zonal.services.complaints import expired_cases, purge_expired
    from zonal.settings import get_settings

    setup = complaints_setup(open_store(), get_settings())
    if dry_run:
        expired = expired_cases(setup.uow())
        console.print(f"{len(expired)} case(s) are past their retention period.")
        return
    report = purge_expired(setup.uow(), files=setup.files)
    console.print(f"Erased the personal content of {len(report.erased)} case(s).")
    for reference in report.erased:
        console.print(f"  {reference}")


def register(root: typer.Typer) -> None:
    root.add_typer(complaints, name="complaints")
