"""Where the store is: `zonal db info` and `zonal demo` say it, and a checkout keeps its own."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.conftest import POSTGRES_URL
from zonal.cli import app
from zonal.settings import get_settings

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
CALLS = "start,zone,type\n2025-03-30 01:15,5339,phishing\n2025-03-30 02:30,5340,assault\n"


def test_db_info_names_the_store_the_folders_the_revision_and_the_datasets(
    zonal_home: Path,
) -> None:
    calls = zonal_home / "calls.csv.gz"
    calls.write_bytes(gzip.compress(CALLS.encode()))
    mapping = "time=start,zone=zone,category=type"
    imported = runner.invoke(
        app, ["import", "incidents", str(calls), "--map", mapping, "--tz", "Europe/Brussels"]
    )
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(app, ["db", "info"])
    assert result.exit_code == 0, result.output
    assert f"sqlite:///{zonal_home / 'zonal.db'}" in result.output
    assert f"attachments in {zonal_home / 'attachments'}" in result.output
    assert f"rejects in {zonal_home / 'rejects'}" in result.output
    assert re.search(r"revision (\d+) \(newest \1\): up to date", result.output), result.output
    assert re.search(r"calls\s+│\s+2\b", result.output), result.output


def test_db_info_on_a_new_folder_asks_for_an_upgrade(zonal_home: Path) -> None:
    result = runner.invoke(app, ["db", "info"])
    assert result.exit_code == 0, result.output
    assert "run `zonal db upgrade`" in result.output
    assert "Datasets" not in result.output


def test_db_info_masks_the_password(zonal_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = make_url(POSTGRES_URL).set(password="s3cret-pw")
    monkeypatch.setenv("ZONAL_DATABASE_URL", url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "info"])
    if result.exit_code != 0 and "connect" in result.output.lower():
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}")
    assert "s3cret-pw" not in result.output
    assert "***" in result.output


def test_make_demo_keeps_the_store_in_the_checkout() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert 'ZONAL_DATA_DIR="$(ZONAL_DATA_DIR)"' in recipe
    assert "ZONAL_DATA_DIR ?= $(CURDIR)/.zonal" in makefile
    assert "/.zonal/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
