"""`zonal staff`: back-office accounts (Argon2id password, TOTP second factor)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from zonal.cli._app import console
from zonal.complaints.domain.staff import Role
from zonal.errors import InputError

if TYPE_CHECKING:
    from zonal.bootstrap import ComplaintsSetup
    from zonal.complaints.domain.staff import StaffAccount

staff = typer.Typer(
    help=(
        "Back-office accounts for the online complaints.\n\nExample: zonal staff create "
        "jdupont --role intake_officer --zone 5339 --admin admin"
    ),
    no_args_is_help=True,
)


@staff.command("create")
def create_command(
    username: Annotated[str, typer.Argument(help="Login name: a letter, then a-z, 0-9, . _ -")],
    role: Annotated[Role, typer.Option(help="What the account may do (see docs/complaints.md).")],
    zone: Annotated[
        list[str] | None, typer.Option(help="A zone number the account works for; repeatable.")
    ] = None,
    unit: Annotated[
        list[str] | None, typer.Option(help="A federal unit (e.g. FCCU); repeatable.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Full name shown in the back office.")] = None,
    admin: Annotated[
        str | None,
        typer.Option(help="Your administrator username (asks your password and code)."),
    ] = None,
) -> None:
    """Create a staff account and print its TOTP enrolment URI, once.

    The new user's first password is asked twice (at least 12 characters). Without --admin,
    only the very first account can be made, and it must be an administrator.

    Example: zonal staff create jdupont --role intake_officer --zone 5339 --admin admin
    """
    # imported here, so that `zonal --help` does not load the store (see cli/__init__.py)
    from pydantic import ValidationError

    from zonal.bootstrap import complaints_setup, open_store
    from zonal.complaints.schemas import StaffCreate
    from zonal.services.complaints import create_staff
    from zonal.settings import get_settings

    setup = complaints_setup(open_store(), get_settings())
    actor = _administrator(setup, admin) if admin else None
    password = typer.prompt(
        "Password for the new account", hide_input=True, confirmation_prompt=True
    )
    fields = {
        "username": username,
        "display_name": name or username,
        "role": role,
        "scope": frozenset([*(zone or []), *(unit or [])]),
        "password": password,
    }
    try:
        data = StaffCreate.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        hint = "give at least one --zone or --unit" if "scope" in problems else "correct it"
        raise InputError(f"{problems}; {hint}") from None
    created = create_staff(setup.uow(), actor, data)
    console.print(f"Created {created.username} ({created.role}) for {', '.join(created.scope)}.")
    console.print("Scan or type this in an authenticator app now; it is not shown again:")
    typer.echo(created.totp_uri)


def _administrator(setup: ComplaintsSetup, username: str) -> StaffAccount:
    from zonal.services.complaints import authenticate

    password = typer.prompt(f"Password of {username}", hide_input=True)
    code = typer.prompt(f"Code from the app of {username}")
    return authenticate(setup.uow(), username, password, code, "cli")


def register(root: typer.Typer) -> None:
    root.add_typer(staff, name="staff")
