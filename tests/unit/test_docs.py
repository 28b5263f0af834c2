"""Docs checked by tests: every setting and every CLI command is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.main import get_command

from zonal.cli import app
from zonal.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"
CLI_DOCS_ARGS = ["--name", "zonal", "--title", "Zonal command-line reference"]


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"ZONAL_{name.upper()}" not in text]
    assert not missing, f"document these settings in docs/settings.md: {missing}"


def test_cli_reference_is_generated_from_help(tmp_path: Path) -> None:
    fresh = tmp_path / "cli.md"
    typer = Path(sys.executable).with_name("typer")
    subprocess.run(
        [str(typer), "zonal.cli", "utils", "docs", *CLI_DOCS_ARGS, "--output", str(fresh)],
        check=True,
        capture_output=True,
    )
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == fresh.read_text(encoding="utf-8"), "docs/cli.md is stale: run `make docs`"


def test_every_cli_command_is_in_the_cli_reference() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    root = get_command(app)
    names = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        names.append(f"zonal {name}")
        for sub in getattr(command, "commands", {}):
            names.append(f"zonal {name} {sub}")
    missing = [name for name in names if f"`{name}`" not in text]
    assert not missing, f"document these commands in docs/cli.md: {missing}"
