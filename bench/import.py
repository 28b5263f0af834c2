"""Benchmark: importing a 1,000,000-row incident file, against a hand-written loop.

Generates a Houston-format CSV (the columns of houston_incidents_2010.csv.gz, synthetic
values, seeded) in a temporary folder, imports it with `read_with_preset(..., "houston")`,
and times a plain `csv` + `datetime.strptime` loop doing the same core work (parse the
local time, convert it to UTC, read the coordinates and the district) on a 100,000-row
subset, extrapolated to a million rows and labelled so. Prints a table and rewrites its
own section of docs/benchmarks.md.

    .venv/bin/python bench/import.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import platform
import re
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from _docs import DOCS, replace_section
from zonal.incidents.presets import read_with_preset
from zonal.storage import SqlStoreUnitOfWork, make_engine, upgrade
from zonal.storage.tables import IncidentRow

START, END = "<!-- bench:import -->", "<!-- /bench:import -->"
OFFENSES = ["theft", "burglary", "auto theft", "aggravated assault", "robbery", "rape", "murder"]
WEIGHTS = [0.54, 0.21, 0.09, 0.08, 0.07, 0.007, 0.003]
BASELINE_ROWS = 100_000
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DISTRICTS = [(1, "A"), (2, "A"), (3, "B"), (6, "B"), (7, "C"), (10, "H"), (13, "D"), (15, "E")]


def generate(path: Path, rows: int, seed: int = 2010) -> None:
    """A Houston-format CSV of `rows` synthetic incidents over 2010."""
    rng = np.random.default_rng(seed)
    first = int(datetime(2010, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000
    stamps = first + rng.integers(0, 365 * 24, rows) * 3_600_000_000
    beats = [f"{d}{letter}{b}0" for d, letter in DISTRICTS for b in range(1, 6)]
    weights = np.array(WEIGHTS) / sum(WEIGHTS)
    frame = pl.DataFrame(
        {
            "occurred_at": pl.Series(stamps, dtype=pl.Int64).cast(pl.Datetime("us")),
            "offense": np.array(OFFENSES)[rng.choice(len(OFFENSES), rows, p=weights)],
            "premise_code": "20R",
            "location_type": "residence / house",
            "beat": np.array(beats)[rng.integers(0, len(beats), rows)],
            "address": "1 main st",
            "lon": rng.uniform(-95.8, -95.0, rows).round(7),
            "lat": rng.uniform(29.5, 30.1, rows).round(7),
            "count": rng.choice([1, 1, 1, 1, 1, 1, 1, 1, 1, 2], rows),
        }
    )
    frame.with_columns(pl.col("occurred_at").dt.strftime("%Y-%m-%d %H:%M")).write_csv(path)


def hand_written(path: Path, limit: int) -> int:
    """The loop a careful analyst would write without a data frame library."""
    zone = ZoneInfo("America/Chicago")
    district = re.compile(r"^(\d+)[A-Z]")
    times: list[datetime] = []
    places: list[tuple[float, float, str | None]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if index == limit:
                break
            local = datetime.strptime(row["occurred_at"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
            times.append(local.astimezone(UTC))
            match = district.match(row["beat"])
            places.append((float(row["lat"]), float(row["lon"]), match[1] if match else None))
    return len(times)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bulk_write(engine: Engine, frame: pl.DataFrame) -> None:
    """Zonal's store path: the unit of work's bulk incident write, committed."""
    with SqlStoreUnitOfWork(engine) as uow:
        uow.incidents.write(frame)
        uow.commit()


def orm_objects(engine: Engine, frame: pl.DataFrame) -> None:
    """The naive store path: one ORM object per incident."""
    with Session(engine) as session, session.begin():
        session.add_all(IncidentRow(**row) for row in frame.iter_rows(named=True))


def postgres_engine() -> Engine | None:
    """A fresh schema on the local PostgreSQL, or None when it is not reachable."""
    try:
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS zonal_bench CASCADE"))
            connection.execute(text("CREATE SCHEMA zonal_bench"))
    except OperationalError:
        return None
    return make_engine(f"{POSTGRES_URL}?options=-csearch_path%3Dzonal_bench")


def store_times(folder: Path, frame: pl.DataFrame) -> list[tuple[str, int, float, str]]:
    """Bulk writes (SQLite executemany, PostgreSQL COPY) against ORM objects on a subset."""
    sqlite = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade(sqlite)
    results = [
        (
            "store: incidents.write, SQLite",
            frame.height,
            timed(lambda: bulk_write(sqlite, frame)),
            "measured",
        )
    ]
    subset = frame.head(BASELINE_ROWS).with_columns(pl.lit("orm").alias("dataset"))
    orm = timed(lambda: orm_objects(sqlite, subset))
    results.append(("store: ORM objects, SQLite", subset.height, orm, "measured"))
    postgres = postgres_engine()
    if postgres is not None:
        upgrade(postgres)
        results.append(
            (
                "store: incidents.write, PostgreSQL COPY",
                frame.height,
                timed(lambda: bulk_write(postgres, frame)),
                "measured",
            )
        )
        postgres.dispose()
    return results


def run(rows: int) -> list[tuple[str, int, float, str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "houston_1m.csv"
        generate(path, rows)
        read_with_preset(path, "houston")  # warm-up: imports, regex and CRS caches
        zonal = min(timed(lambda: read_with_preset(path, "houston")) for _ in range(3))
        subset = min(rows, BASELINE_ROWS)
        loop = timed(lambda: hand_written(path, subset))
        stored = store_times(Path(folder), read_with_preset(path, "houston").incidents)
    results = [
        ("read: zonal read_incidents (houston preset)", rows, zonal, "measured"),
        ("read: csv + strptime loop", subset, loop, "measured"),
    ]
    if subset < rows:
        extrapolated = loop * rows / subset
        results.append(
            ("read: csv + strptime loop", rows, extrapolated, f"extrapolated from {subset:,}")
        )
    return results + stored


def table(results: list[tuple[str, int, float, str]]) -> str:
    lines = [
        "| method | rows | seconds | rows per second | note |",
        "|---|---:|---:|---:|---|",
    ]
    for method, rows, seconds, note in results:
        lines.append(f"| {method} | {rows:,} | {seconds:.2f} | {rows / seconds:,.0f} | {note} |")
    return "\n".join(lines)


def write_docs(results: list[tuple[str, int, float, str]]) -> None:
    machine = (
        f"Python {platform.python_version()}, Polars {pl.__version__}, "
        f"{platform.machine()}, run {datetime.now(UTC):%Y-%m-%d}"
    )
    section = "\n".join(
        [
            START,
            "## Importing incidents (`bench/import.py`)",
            "",
            "A synthetic Houston-format CSV (9 columns) imported with the `houston` preset: "
            "parse, DST policy, district from beat, area check, taxonomy, canonical frame. "
            "The peer is a hand-written `csv` + `datetime.strptime` loop doing only the time, "
            "coordinate and district parsing, timed on a subset and extrapolated. Then the "
            "canonical frame is written to the store: Zonal's bulk path (SQLite executemany "
            "of plain tuples, PostgreSQL COPY) against one ORM object per row.",
            "",
            table(results),
            "",
            f"Best of three runs for Zonal, one for the loop; {machine}. The machine's cores "
            "were shared with other work, so treat the figures as orders of magnitude.",
            END,
        ]
    )
    replace_section(START, END, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args()
    results = run(args.rows)
    print(table(results))
    if not args.no_docs:
        write_docs(results)
        print(f"updated {DOCS}")


if __name__ == "__main__":
    main()
