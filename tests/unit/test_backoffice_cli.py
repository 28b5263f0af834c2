"""`zonal staff create`: the first administrator, then accounts made by an administrator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
import typer
from typer.testing import CliRunner

from zonal.cli import _app, staff
from zonal.settings import get_settings

PASSWORD = "correct horse battery staple"


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
