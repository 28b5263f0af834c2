"""`zonal plan` through the CLI runner, on small files and on the demo zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from zonal.cli import plan
from zonal.cli._app import ZonalGroup

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    root = typer.Typer(cls=ZonalGroup)
    plan.register(root)
    return root


@pytest.fixture
def demand_csv(tmp_path: Path) -> Path:
    start = datetime(2025, 3, 2, 23, tzinfo=UTC)
    hours = np.arange(168)
    frame = pl.DataFrame(
        {
            "unique_id": "z1",
            "ds": [start + timedelta(hours=int(h)) for h in hours],
            "mean": 2.0 + 1.5 * np.sin((hours % 24 - 9) / 24 * 2 * np.pi),
        }
    )
    path = tmp_path / "demand.csv"
    frame.write_csv(path)
    return path


def test_run_writes_the_plan_and_compares_with_a_flat_plan(
    app: typer.Typer, demand_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan"
    result = runner.invoke(
        app, ["plan", "run", str(demand_csv), "--shift", "8@6,14,22", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "flat 24/7" in result.output and "z1" in result.output
    assert {p.name for p in out.iterdir()} == {
        "requirements.csv",
        "shifts.csv",
        "coverage.csv",
        "comparison.csv",
    }
    comparison = pl.read_csv(out / "comparison.csv").row(0, named=True)
    assert comparison["plan_officer_hours"] <= comparison["flat_officer_hours"]


def test_roster_from_the_written_plan_exports_a_calendar(
    app: typer.Typer, demand_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan"
    runner.invoke(app, ["plan", "run", str(demand_csv), "--shift", "8@6,14,22", "--out", str(out)])
    officers = tmp_path / "officers.csv"
    officers.write_text("officer_id\n" + "\n".join(f"o{i}" for i in range(4)) + "\n")
    ics = tmp_path / "roster.ics"
    args = ["plan", "roster", str(out / "shifts.csv"), "--officers", str(officers)]
    result = runner.invoke(app, [*args, "--weeks", "1", "--time-limit", "5", "--ics", str(ics)])
    assert result.exit_code == 0, result.output
    assert "officer-hours short" in result.output  # four officers cannot staff this zone
    assert ics.read_text().startswith("BEGIN:VCALENDAR")


def test_negative_demand_exits_with_the_input_error_code(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("unique_id,ds,mean\nz,2025-03-03T00:00:00+01:00,-2\n")
    result = runner.invoke(app, ["plan", "run", str(path)])
    assert result.exit_code == 2
    assert "negative" in result.output


def test_a_malformed_shift_is_explained(app: typer.Typer, demand_csv: Path) -> None:
    result = runner.invoke(app, ["plan", "run", str(demand_csv), "--shift", "eight@6"])
    assert result.exit_code == 2
    assert "HOURS@START" in result.output


def test_shifts_that_leave_hours_uncovered_are_refused(app: typer.Typer, demand_csv: Path) -> None:
    result = runner.invoke(app, ["plan", "run", str(demand_csv), "--shift", "8@6"])
    assert result.exit_code == 2
    assert "tile the day" in result.output


def test_run_without_demand_asks_for_it(app: typer.Typer) -> None:
    result = runner.invoke(app, ["plan", "run"])
    assert result.exit_code != 0
    assert "--demo" in result.output


def test_patrol_on_small_files(app: typer.Typer, tmp_path: Path) -> None:
    start = datetime(2025, 3, 3, tzinfo=UTC)
    pl.DataFrame({"unique_id": ["a", "b"], "ds": [start] * 2, "mean": [3.0, 1.0]}).write_csv(
        tmp_path / "sector.csv"
    )
    pl.DataFrame(
        {"sector": ["a", "b"], "zone": "z", "lat": [50.80, 50.90], "lon": [4.35, 4.35]}
    ).write_csv(tmp_path / "sectors.csv")
    pl.DataFrame({"unique_id": ["z"], "ds": [start], "planned": [3]}).write_csv(
        tmp_path / "coverage.csv"
    )
    args = [
        "--sector-demand",
        "sector.csv",
        "--sectors",
        "sectors.csv",
        "--patrols",
        "coverage.csv",
    ]
    out = tmp_path / "patrol.csv"
    result = runner.invoke(
        app,
        [
            "plan",
            "patrol",
            *[str(tmp_path / a) if a.endswith(".csv") else a for a in args],
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out)["patrols"].to_list() == [2, 1]


@pytest.mark.slow
def test_demo_plan_covers_the_six_brussels_zones(app: typer.Typer) -> None:
    result = runner.invoke(app, ["plan", "run", "--demo"])
    assert result.exit_code == 0, result.output
    for zone in ("5339", "5340", "5341", "5342", "5343", "5344"):
        assert zone in result.output


def test_help_shows_examples(app: typer.Typer) -> None:
    result = runner.invoke(app, ["plan", "run", "--help"])
    assert result.exit_code == 0 and "zonal plan run --demo" in result.output
