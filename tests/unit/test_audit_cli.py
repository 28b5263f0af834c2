"""`zonal audit verify` and `zonal audit export-head` on a SQLite store in demo mode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import delete, func, select, update
from typer.testing import CliRunner

from tests.factories import complaint
from zonal.bootstrap import ComplaintsSetup, complaints_setup, open_store
from zonal.cli import _app, audit
from zonal.services import complaints as services
from zonal.settings import get_settings
from zonal.storage.complaints.tables import AuditRow


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("ZONAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZONAL_DEMO_MODE", "true")
    monkeypatch.delenv("ZONAL_DATABASE_URL", raising=False)
    monkeypatch.delenv("ZONAL_AUDIT_HEAD_FILE", raising=False)
    get_settings.cache_clear()
    root = typer.Typer(cls=_app.ZonalGroup)
    root.command("noop")(lambda: None)  # a group with one command keeps `audit` a subcommand
    audit.register(root)
    yield root
    get_settings.cache_clear()


@pytest.fixture
def setup(cli: typer.Typer) -> ComplaintsSetup:
    """The store the commands open, with three complaints in its log."""
    settings = get_settings()
    setup = complaints_setup(open_store(settings), settings)
    for _ in range(3):
        services.submit_complaint(setup.uow(), complaint())
    return setup


def run(cli: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", *args])
    return result.exit_code, result.output


def last_id(setup: ComplaintsSetup) -> int:
    with setup.sessions() as session:
        return int(session.scalar(select(func.max(AuditRow.id))) or 0)


def test_export_head_appends_a_signed_line(
    cli: typer.Typer, setup: ComplaintsSetup, tmp_path: Path
) -> None:
    code, output = run(cli, "export-head")
    assert code == 0, output
    assert f"entry {last_id(setup)}" in output and "line 1" in output
    line = json.loads((tmp_path / "audit-heads.jsonl").read_text(encoding="utf-8"))
    assert sorted(line) == ["at", "entry", "hash", "hmac"] and line["entry"] == last_id(setup)
    elsewhere = tmp_path / "elsewhere" / "heads.jsonl"
    assert run(cli, "export-head", "--to", str(elsewhere))[0] == 0
    assert len(elsewhere.read_text(encoding="utf-8").splitlines()) == 1


def test_verify_passes_on_a_whole_log_and_pins_its_head(
    cli: typer.Typer, setup: ComplaintsSetup, tmp_path: Path
) -> None:
    code, output = run(cli, "verify")
    assert code == 0, output
    assert "The audit log holds: 3 entries" in output and "a cut tail could not" in output
    assert (tmp_path / "audit-heads.jsonl").exists()
    code, output = run(cli, "verify")
    assert code == 0 and "checked against 1 exported head(s)" in output


def test_verify_fails_on_a_cut_tail(cli: typer.Typer, setup: ComplaintsSetup) -> None:
    assert run(cli, "export-head")[0] == 0
    head = last_id(setup)
    with setup.sessions() as session:
        session.execute(delete(AuditRow).where(AuditRow.id == head))
        session.commit()
    code, output = run(cli, "verify")
    assert code == 1
    assert "does not hold" in output and "tail was cut" in output
    assert f"First bad entry: {head}." in output


def test_verify_fails_on_a_changed_row_and_names_it(
    cli: typer.Typer, setup: ComplaintsSetup, tmp_path: Path
) -> None:
    with setup.sessions() as session:
        session.execute(update(AuditRow).where(AuditRow.id == 2).values(actor="mallory"))
        session.commit()
    heads = tmp_path / "other-heads.jsonl"
    code, output = run(cli, "verify", "--heads", str(heads))
    assert code == 1 and "First bad entry: 2." in output
    assert not heads.exists()  # a broken log's head is never pinned
