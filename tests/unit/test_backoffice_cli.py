"""`zonal staff`: the first administrator, then accounts made, listed, disabled, enabled,
given a new password or a new authenticator by an administrator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pyotp
import pytest
import typer
from typer.testing import CliRunner

from tests.factories import PASSWORD, staff_create
from zonal.bootstrap import ComplaintsSetup, complaints_setup, open_store
from zonal.cli import _app, staff
from zonal.complaints.domain.errors import AuthenticationFailed
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.queries import AuditQuery
from zonal.services import complaints as services
from zonal.settings import get_settings


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("ZONAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZONAL_DEMO_MODE", "true")
    monkeypatch.delenv("ZONAL_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    root = typer.Typer(cls=_app.ZonalGroup)
    root.command("noop")(lambda: None)  # a group with one command keeps `staff` a subcommand
    staff.register(root)
    yield root
    get_settings.cache_clear()


def test_the_first_administrator_then_an_officer_created_by_them(cli: typer.Typer) -> None:
    runner = CliRunner()
    first = runner.invoke(
        cli, ["staff", "create", "admin", "--role", "administrator", "--zone", "5339"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    uri = next(line for line in first.output.splitlines() if line.startswith("otpauth://"))
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    code = pyotp.TOTP(secret).now()
    second = runner.invoke(
        cli,
        ["staff", "create", "jdupont", "--role", "intake_officer", "--zone", "5339",
         "--admin", "admin"],
        input=f"{PASSWORD}\n{code}\n{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    assert "Created jdupont (intake_officer) for 5339." in second.output
    assert second.output.count("otpauth://totp/Zonal:jdupont") == 1


def test_without_an_administrator_only_the_first_administrator_can_be_made(
    cli: typer.Typer,
) -> None:
    runner = CliRunner()
    refused = runner.invoke(
        cli, ["staff", "create", "jdupont", "--role", "intake_officer", "--zone", "5339"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert refused.exit_code == 4
    assert "only an administrator creates accounts" in refused.output


def test_an_account_without_a_zone_is_refused_with_what_to_give(cli: typer.Typer) -> None:
    refused = CliRunner().invoke(
        cli, ["staff", "create", "admin", "--role", "administrator"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert refused.exit_code != 0 and "--zone or --unit" in refused.output


# --- what an administrator does to accounts later ---------------------------------------------


@dataclass
class Accounts:
    """An administrator and an intake officer made through the services (no TOTP step used),
    so that a test has both of the administrator's next two codes for its own commands."""

    cli: typer.Typer
    setup: ComplaintsSetup
    secrets: dict[str, str]
    steps: int = 0

    def run(self, *args: str, actor: str = "admin", then: str = "") -> Any:
        """`zonal staff ARGS --admin ACTOR`, answering the password and code prompts."""
        # Each login uses a later 30-second step: a TOTP code is never accepted twice.
        code = pyotp.TOTP(self.secrets[actor]).at(time.time() + 30 * self.steps)
        self.steps += 1
        answers = f"{PASSWORD}\n{code}\n{then}"
        return CliRunner().invoke(self.cli, ["staff", *args, "--admin", actor], input=answers)

    def login(self, username: str, password: str = PASSWORD, secret: str = "") -> bool:
        code = pyotp.TOTP(secret or self.secrets[username]).now()
        try:
            services.authenticate(self.setup.uow(), username, password, code)
        except AuthenticationFailed:
            return False
        return True

    def log(self) -> list[str]:
        """What the Art. 25 log says was done to accounts, oldest first."""
        entries = services.audit_log(self.setup.uow(), self.dpo, AuditQuery(actor="admin"))
        return [e.justification for e in reversed(entries) if e.justification.startswith("staff")]

    @property
    def dpo(self) -> StaffAccount:
        return StaffAccount(0, "dpo", "DPO", Role.DPO, frozenset({"5339"}))


@pytest.fixture
def accounts(cli: typer.Typer) -> Accounts:
    setup = complaints_setup(open_store(), get_settings())
    admin = services.create_staff(
        setup.uow(), None, staff_create("admin", Role.ADMINISTRATOR, "5339")
    )
    actor = services.get_staff(setup.uow(), admin.id)
    intake = services.create_staff(
        setup.uow(), actor, staff_create("jdupont", Role.INTAKE_OFFICER, "5339", "5340")
    )
    return Accounts(cli, setup, {"admin": admin.totp_secret, "jdupont": intake.totp_secret})


def test_list_shows_each_account_with_role_zones_state_and_last_login(accounts: Accounts) -> None:
    listed = accounts.run("list")
    assert listed.exit_code == 0, listed.output
    lines = [line.split() for line in listed.output.splitlines()]
    rows = {words[0]: " ".join(words) for words in lines if words[:1] in (["admin"], ["jdupont"])}
    assert set(rows) == {"admin", "jdupont"}
    # A role may wrap onto the next line on 80 columns: "intake" then "officer".
    assert "intake" in rows["jdupont"] and "5339, 5340" in rows["jdupont"]
    assert "yes" in rows["jdupont"] and "never" in rows["jdupont"]
    today = datetime.now(ZoneInfo("Europe/Brussels")).strftime("%Y-%m-%d")
    assert today in rows["admin"], "the administrator has just logged in to list"


def test_a_disabled_account_cannot_log_in_until_it_is_enabled(accounts: Accounts) -> None:
    disabled = accounts.run("disable", "jdupont")
    assert disabled.exit_code == 0, disabled.output
    assert "jdupont is disabled" in disabled.output
    assert not accounts.login("jdupont")
    enabled = accounts.run("enable", "jdupont")
    assert enabled.exit_code == 0 and "jdupont is active again" in enabled.output
    assert accounts.login("jdupont")
    assert accounts.log() == [
        "staff account created",
        "staff account disabled",
        "staff account enabled",
    ]


def test_disabling_twice_or_oneself_is_refused_with_why(accounts: Accounts) -> None:
    own = accounts.run("disable", "admin")
    assert own.exit_code == 2 and "cannot disable your own account" in own.output
    unknown = accounts.run("enable", "jdupond")
    assert unknown.exit_code == 3 and "no staff account 'jdupond'" in unknown.output


def test_a_reset_password_replaces_the_old_one_within_the_length_rule(accounts: Accounts) -> None:
    short = accounts.run("reset-password", "jdupont", then="too short\ntoo short\n")
    assert short.exit_code == 2 and "12 to 256 characters" in short.output
    new = "a new passphrase for the inspector"
    reset = accounts.run("reset-password", "jdupont", then=f"{new}\n{new}\n")
    assert reset.exit_code == 0 and "jdupont has a new password" in reset.output
    assert not accounts.login("jdupont")
    assert accounts.login("jdupont", password=new)
    assert accounts.log()[-1] == "staff password reset"


def test_reenrolment_prints_the_new_secret_once_and_the_old_codes_stop(
    accounts: Accounts,
) -> None:
    result = accounts.run("reenrol", "jdupont")
    assert result.exit_code == 0, result.output
    uri = next(line for line in result.output.splitlines() if line.startswith("otpauth://"))
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    assert f"Secret: {secret}" in result.output and result.output.count(secret) == 2
    assert secret != accounts.secrets["jdupont"]
    assert not accounts.login("jdupont")
    assert accounts.login("jdupont", secret=secret)
    assert accounts.log()[-1] == "staff authenticator re-enrolled"


@pytest.mark.parametrize(
    "args",
    [("list",), ("disable", "admin"), ("enable", "admin"), ("reset-password", "admin"),
     ("reenrol", "admin")],
)  # fmt: skip
def test_every_account_command_needs_an_administrator(
    accounts: Accounts, args: tuple[str, ...]
) -> None:
    refused = accounts.run(*args, actor="jdupont", then=f"{PASSWORD}\n{PASSWORD}\n")
    assert refused.exit_code == 4, refused.output
    assert "may not manage staff" in refused.output


def test_without_a_data_key_the_error_says_to_run_in_demo_mode(
    cli: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZONAL_DEMO_MODE")
    get_settings.cache_clear()
    refused = CliRunner().invoke(cli, ["staff", "list", "--admin", "demo-admin"])
    assert refused.exit_code == 78
    assert "ZONAL_DEMO_MODE=true zonal staff" in refused.output
    assert "demo-password-not-secret" in refused.output
