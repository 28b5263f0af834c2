"""`zonal staff`: back-office accounts (Argon2id password, TOTP second factor).

Every command but the very first `create` is run by an administrator, who proves it with
`--admin NAME`, their password and a code from their authenticator app (asked, never given
on the command line, so that neither lands in the shell's history).
"""

from __future__ import annotations

from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich import box
from rich.table import Table

from zonal.cli._app import console
from zonal.complaints.domain.staff import Role
from zonal.errors import ConfigurationError, InputError

if TYPE_CHECKING:  # the use cases load the data libraries: only when a command runs
    from zonal.bootstrap import ComplaintsSetup
    from zonal.complaints.domain.staff import StaffAccount
    from zonal.complaints.queries import StaffListing
    from zonal.complaints.views import StaffCreated


def _services() -> ModuleType:
    from zonal.services import complaints

    return complaints


BRUSSELS = ZoneInfo("Europe/Brussels")
NO_KEY = (
    "no data key, so the accounts (their authenticator secrets are encrypted) cannot be opened."
    " On the demo store that `make demo` (`zonal demo`) built, run the command in demo mode as"
    " the demo does: ZONAL_DEMO_MODE=true zonal staff ... --admin demo-admin (password"
    " demo-password-not-secret; its current code is on /office/login while the demo runs)."
    " On a real installation set ZONAL_DATA_KEY or ZONAL_DATA_KEY_FILE (docs/settings.md)."
)

staff = typer.Typer(
    help=(
        "Back-office accounts for the online complaints.\n\nExample: zonal staff create "
        "jdupont --role intake_officer --zone 5339 --admin admin\n\n"
        "On the demo store (make demo): ZONAL_DEMO_MODE=true zonal staff list --admin demo-admin"
    ),
    no_args_is_help=True,
)
Username = Annotated[str, typer.Argument(help="The account's login name.")]
Admin = Annotated[
    str, typer.Option(help="Your administrator username (asks your password and code).")
]


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
    setup = _setup()
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
    from pydantic import ValidationError

    from zonal.complaints.schemas import StaffCreate

    try:
        data = StaffCreate.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        hint = "give at least one --zone or --unit" if "scope" in problems else "correct it"
        raise InputError(f"{problems}; {hint}") from None
    created = _services().create_staff(setup.uow(), actor, data)
    console.print(f"Created {created.username} ({created.role}) for {', '.join(created.scope)}.")
    _show_enrolment(created)


@staff.command("list")
def list_command(admin: Admin) -> None:
    """Show every account: name, role, zones and units, whether it is active, last login.

    Example: zonal staff list --admin admin
    """
    setup = _setup()
    accounts = _services().list_staff(setup.uow(), _administrator(setup, admin))
    console.print(_table(accounts))


@staff.command("disable")
def disable_command(username: Username, admin: Admin) -> None:
    """Stop an account: it can no longer log in, and its open sessions end at once.

    Example: zonal staff disable jdupont --admin admin
    """
    setup = _setup()
    done = _services().disable_staff(setup.uow(), _administrator(setup, admin), username)
    console.print(f"{done.username} is disabled: no login, and open sessions have ended.")


@staff.command("enable")
def enable_command(username: Username, admin: Admin) -> None:
    """Let a disabled account log in again, with its password and authenticator as they were.

    Example: zonal staff enable jdupont --admin admin
    """
    setup = _setup()
    done = _services().enable_staff(setup.uow(), _administrator(setup, admin), username)
    console.print(f"{done.username} is active again.")


@staff.command("reset-password")
def reset_password_command(username: Username, admin: Admin) -> None:
    """Set a new password for an account (asked twice, at least 12 characters); give it to its
    owner in person. The authenticator app stays enrolled.

    Example: zonal staff reset-password jdupont --admin admin
    """
    setup = _setup()
    actor = _administrator(setup, admin)
    password = typer.prompt(
        f"New password for {username}", hide_input=True, confirmation_prompt=True
    )
    done = _services().reset_staff_password(setup.uow(), actor, username, password)
    console.print(f"{done.username} has a new password.")


@staff.command("reenrol")
def reenrol_command(username: Username, admin: Admin) -> None:
    """Give an account a new authenticator secret (a lost or new phone) and print it once;
    codes from the old one stop working.

    Example: zonal staff reenrol jdupont --admin admin
    """
    setup = _setup()
    created = _services().reenrol_staff(setup.uow(), _administrator(setup, admin), username)
    console.print(f"New authenticator for {created.username}; codes of the old one no longer work.")
    _show_enrolment(created)


def _setup() -> ComplaintsSetup:
    from zonal.bootstrap import complaints_setup, open_store
    from zonal.settings import get_settings

    settings = get_settings()
    try:
        return complaints_setup(open_store(settings), settings)
    except ConfigurationError as exc:
        if settings.data_key is not None or settings.data_key_file is not None:
            raise
        # Without any key the likely store is the demo's, which `zonal demo` opens in demo mode.
        raise ConfigurationError(NO_KEY) from exc


def _administrator(setup: ComplaintsSetup, username: str) -> StaffAccount:
    password = typer.prompt(f"Password of {username}", hide_input=True)
    code = typer.prompt(f"Code from the app of {username}")
    account: StaffAccount = _services().authenticate(setup.uow(), username, password, code, "cli")
    return account


def _show_enrolment(created: StaffCreated) -> None:
    console.print("Scan or type this in an authenticator app now; it is not shown again:")
    typer.echo(f"Secret: {created.totp_secret}")
    typer.echo(created.totp_uri)


def _table(accounts: list[StaffListing]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, caption="Last login in Brussels time.")
    # On 80 columns names, roles and scopes wrap; a username or a time cut in two would not read.
    table.add_column("Username", no_wrap=True)
    for header in ("Name", "Role", "Zones, units"):
        table.add_column(header, min_width=8, overflow="fold")
    table.add_column("Active", no_wrap=True)
    table.add_column("Last login", no_wrap=True, min_width=16)
    for entry in accounts:
        account = entry.account
        table.add_row(
            account.username,
            account.display_name,
            account.role.value.replace("_", " "),
            ", ".join(sorted(account.scope)),
            "yes" if account.active else "no",
            _when(entry.last_login),
        )
    return table


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else f"{moment.astimezone(BRUSSELS):%Y-%m-%d %H:%M}"


def register(root: typer.Typer) -> None:
    root.add_typer(staff, name="staff")
