"""`zonal audit`: verify the Art. 25 log's keyed hash chain and export its head.

Both commands are for the operator who holds the data key (they need it to check and sign
the chain), like `zonal complaints purge`. The store, the settings and the cryptography are
imported inside the commands, so that `zonal --help` does not load them (cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zonal.cli._app import console, errors

if TYPE_CHECKING:  # the use cases load the store: only when a command runs
    from zonal.complaints.domain.audit import ChainReport
    from zonal.services.complaints.ports import AuditHeads, UnitOfWork

audit = typer.Typer(
    help=(
        "The Art. 25 access log of the complaints: verify its keyed hash chain, export its head."
        "\n\nExample: zonal audit verify"
    ),
    no_args_is_help=True,
)


@audit.command("verify")
def verify_command(
    heads: Annotated[
        Path | None,
        typer.Option(help="Head file to check against; default: ZONAL_AUDIT_HEAD_FILE."),
    ] = None,
) -> None:
    """Recompute the log's chain with the data key and check every exported head against it.

    Exits with 1 and names the first bad entry when a row was changed, inserted or deleted,
    when the tail was cut below an exported head, or when a head line is not signed with the
    key. An intact log's head is appended to the head file. Example: zonal audit verify
    """
    from zonal.services.complaints import verify_audit_chain

    uow, file, where = _wiring(heads)
    report = verify_audit_chain(uow, file)
    if not report.intact:
        errors.print(
            f"[bold red]The audit log does not hold:[/] {report.problem}."
            f" First bad entry: {report.broken_at}.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
    _print_intact(report, where)


@audit.command("export-head")
def export_head_command(
    to: Annotated[
        Path | None,
        typer.Option(help="File to append the head to; default: ZONAL_AUDIT_HEAD_FILE."),
    ] = None,
) -> None:
    """Append the log's last entry and its hash, signed with the data key, to the head file.

    Run it often (a timer every few minutes) and keep the file where the database's
    administrators cannot write: a cut tail is detected back to the last exported head.
    Example: zonal audit export-head --to /var/lib/zonal-heads/audit-heads.jsonl
    """
    from zonal.services.complaints import export_audit_head

    uow, file, where = _wiring(to)
    exported = export_audit_head(uow, file)
    console.print(
        f"Exported the head: entry {exported.head.entry}, hash {exported.head.hash[:16]}…,"
        f" at {exported.at:%Y-%m-%d %H:%M:%S} UTC, to {where} (line {exported.line}).",
        highlight=False,
        soft_wrap=True,
    )


def _wiring(path: Path | None) -> tuple[UnitOfWork, AuditHeads, Path]:
    """A unit of work on the configured store, the head file `path` (default: the
    configured one) and that file's path."""
    from zonal.bootstrap import complaints_setup, open_store
    from zonal.settings import get_settings

    settings = get_settings()
    setup = complaints_setup(open_store(settings), settings)
    return setup.uow(), setup.head_file(path), path or settings.resolved_audit_head_file


def _print_intact(report: ChainReport, where: Path) -> None:
    console.print(
        f"The audit log holds: {report.entries} entries, head entry {report.head.entry}"
        f" ({report.head.hash[:16]}…), checked against {report.heads_checked} exported"
        f" head(s) in {where}.",
        highlight=False,
        soft_wrap=True,
    )
    if report.legacy_until is not None:
        console.print(
            f"Entries up to {report.legacy_until} are legacy, unkeyed: written before the chain"
            " was keyed, they are protected only by the heads exported since.",
            highlight=False,
            soft_wrap=True,
        )
    if report.heads_checked == 0 and report.head.entry > 0:
        console.print(
            "No exported head was there to check against: a cut tail could not be detected."
            " Its head is exported now; run `zonal audit export-head` regularly.",
            highlight=False,
            soft_wrap=True,
        )


def register(root: typer.Typer) -> None:
    root.add_typer(audit, name="audit")
