"""`zonal --help` must not load the heavy libraries: they are imported by the commands that
use them. A behaviour test (which modules a fresh interpreter holds), not a timing test;
bench/cli_start.py measures the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import zonal
from zonal.cli import forecast, plan

HEAVY = (
    "polars",
    "lightgbm",
    "statsforecast",
    "ortools",
    "highspy",
    "sqlalchemy",
    "fastapi",
    "numpy",
)
SOURCE = Path(zonal.__file__).resolve().parents[1]


def loaded_after(code: str) -> list[str]:
    """The HEAVY modules a fresh interpreter holds after running `code` (this checkout's)."""
    probe = (
        f"import json, sys\n{code}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert loaded_after("import zonal.cli") == []


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["import", "incidents"],
        ["forecast"],
        ["backtest"],
        ["plan", "run"],
        ["plan", "roster"],
        ["zones"],
        ["staff", "create"],
        ["demo"],
    ],
)
def test_help_loads_no_heavy_library(command: list[str]) -> None:
    code = (
        "from typer.testing import CliRunner\n"
        "from zonal.cli import app\n"
        f"result = CliRunner().invoke(app, {[*command, '--help']!r})\n"
        "assert result.exit_code == 0, result.output"
    )
    assert loaded_after(code) == []


def test_the_names_the_help_shows_are_the_libraries_own() -> None:
    from zonal.forecasting import METHODS, MODELS
    from zonal.planning.service_times import DEFAULT_P1_SHARE, DEFAULT_SERVICE_MINUTES

    assert forecast.MODELS == tuple(MODELS)
    assert forecast.METHODS == tuple(METHODS)
    assert (plan.DEFAULT_SERVICE_MINUTES, plan.DEFAULT_P1_SHARE) == (
        DEFAULT_SERVICE_MINUTES,
        DEFAULT_P1_SHARE,
    )
