"""Benchmark: how long `zonal --help` takes to start, against `python -c pass`.

The commands import their heavy libraries (Polars, LightGBM, statsforecast, HiGHS, OR-Tools,
SQLAlchemy, FastAPI) when they run, not when the CLI starts. This script times, in fresh
interpreters and in the same run, `python -c pass`, `import zonal.cli`, `zonal --help`, and
the same two with the modules the CLI used to import at start-up loaded first ("eager", what
every command paid before), and reports each as a ratio to `python -c pass`. Prints a table
and rewrites its own section of docs/benchmarks.md.

    .venv/bin/python bench/cli_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from _docs import DOCS, replace_section

START, END = "<!-- bench:cli-start -->", "<!-- /bench:cli-start -->"
SOURCE = Path(__file__).resolve().parents[1] / "src"
# what the command modules imported at start-up before their imports moved into the commands
EAGER = (
    "polars, uvicorn, pydantic, zonal.bootstrap, zonal.settings, zonal.forecasting, "
    "zonal.forecasting.reconcile, zonal.planning, zonal.planning.demo, zonal.planning.io, "
    "zonal.planning.plans, zonal.planning.roster, zonal.incidents.demo, "
    "zonal.incidents.presets, zonal.services.forecasts, zonal.services.imports, "
    "zonal.services.planning, zonal.services.demo, zonal.services.zones, "
    "zonal.services.complaints, zonal.complaints.schemas, zonal.storage.complaints.crypto"
)
HELP = "from zonal.cli import main; main()"
CASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("python -c pass", "pass", ()),
    ("import zonal.cli", "import zonal.cli", ()),
    ("zonal --help", HELP, ("--help",)),
    ("import zonal.cli, eager (before)", f"import {EAGER}; import zonal.cli", ()),
    ("zonal --help, eager (before)", f"import {EAGER}; {HELP}", ("--help",)),
)


def timed(code: str, args: tuple[str, ...]) -> float:
    """Wall-clock seconds of one fresh interpreter running `code` with `args`."""
    env = {**os.environ, "PYTHONPATH": str(SOURCE), "COLUMNS": "100"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def run(runs: int) -> list[tuple[str, float]]:
    """The median seconds of each case, the cases interleaved so load hits them alike."""
    for _, code, args in CASES:
        timed(code, args)  # warm-up: bytecode caches and the page cache
    seconds: dict[str, list[float]] = {name: [] for name, _, _ in CASES}
    for _ in range(runs):
        for name, code, args in CASES:
            seconds[name].append(timed(code, args))
    return [(name, statistics.median(values)) for name, values in seconds.items()]


def table(results: list[tuple[str, float]]) -> str:
    baseline = results[0][1]
    lines = ["| what | median seconds | × `python -c pass` |", "|---|---:|---:|"]
    for name, seconds in results:
        lines.append(f"| {name} | {seconds:.3f} | {seconds / baseline:,.1f} |")
    return "\n".join(lines)


def write_docs(results: list[tuple[str, float]], runs: int) -> None:
    machine = f"Python {platform.python_version()}, {platform.machine()}"
    section = "\n".join(
        [
            START,
            "## Command-line start-up (`bench/cli_start.py`)",
            "",
            "Fresh interpreters, timed from the outside. The command modules import their heavy "
            "libraries (Polars, LightGBM, statsforecast, HiGHS, OR-Tools, SQLAlchemy, FastAPI) "
            "inside the commands that use them; `tests/unit/test_cli_startup.py` checks that "
            "`import zonal.cli` and every `--help` load none of them. The *eager* rows load "
            "first what the CLI imported at start-up before, i.e. what every command, "
            "`--help` included, used to pay.",
            "",
            table(results),
            "",
            f"Median of {runs} interleaved runs; {machine}, run {datetime.now(UTC):%Y-%m-%d}. "
            "The machine's cores were shared with other work, so read the ratios rather than "
            "the seconds.",
            END,
        ]
    )
    replace_section(START, END, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args()
    results = run(args.runs)
    print(table(results))
    if not args.no_docs:
        write_docs(results, args.runs)
        print(f"updated {DOCS}")


if __name__ == "__main__":
    main()
