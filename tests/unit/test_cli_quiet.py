"""What the CLI prints is for people: no HiGHS banner on stdout, no raw `shape: (10, 2)` frames."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
from rich.console import Console

import zonal
from zonal.cli import importing

SOURCE = Path(zonal.__file__).resolve().parents[1]
TINY_SOLVE = """
import numpy as np
from zonal.planning.solvers.highs import HighsSolver
from zonal.planning.solvers.mip import MipProblem
problem = MipProblem.from_triplets(
    np.array([0, 0]), np.array([0, 1]), np.array([1.0, 1.0]),
    cost=np.array([1.0, 2.0]), row_lower=np.array([1.0]), row_upper=np.array([np.inf]),
    col_lower=np.zeros(2), col_upper=np.full(2, 5.0), integer=np.ones(2, dtype=bool),
)
for _ in range(2):
    print("status", HighsSolver().solve(problem, 5.0).status.name)
"""


def test_a_highs_solve_prints_no_banner() -> None:
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    done = subprocess.run(
        [sys.executable, "-c", TINY_SOLVE], capture_output=True, text=True, env=env, check=True
    )
    assert "Running HiGHS" not in done.stdout
    assert "Copyright" not in done.stdout
    assert done.stdout.splitlines() == ["status OPTIMAL", "status OPTIMAL"], "stdout still works"


def test_a_frame_is_printed_as_a_table_with_headers() -> None:
    frame = pl.DataFrame({"kind": ["UFO", "ghost"], "count": [12_000, 2]})
    console = Console(width=80, record=True)
    console.print(importing.frame_table(frame, "Unclassified"))
    text = console.export_text()
    assert "shape:" not in text and "str" not in text and "i64" not in text
    assert "kind" in text and "count" in text
    assert "12,000" in text and "ghost" in text
