"""zonal.geo stays a pure package that the web app, the CLI and the analytics can all share."""

from __future__ import annotations

import subprocess
import sys

FRAMEWORKS = ("sqlalchemy", "fastapi", "starlette", "typer")


def test_importing_geo_pulls_in_no_database_web_or_cli_framework() -> None:
    code = f"import sys, zonal.geo; print([m for m in {FRAMEWORKS!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
