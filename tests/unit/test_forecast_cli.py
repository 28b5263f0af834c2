"""`zonal forecast` and `zonal backtest` on a small Houston-format file."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from zonal.cli import forecast
from zonal.cli._app import ZonalGroup

OFFENCES = ["theft", "burglary", "robbery", "auto theft"]


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    root = typer.Typer(cls=ZonalGroup)
    forecast.register(root)
    return root


@pytest.fixture(scope="module")
def houston_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six weeks of hourly-resolution incidents in two districts, Houston's format."""
    rng = np.random.default_rng(4)
    path = tmp_path_factory.mktemp("cli") / "incidents.csv"
    start = datetime(2010, 3, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["occurred_at", "offense", "premise_code", "location_type", "beat",
                         "address", "lon", "lat", "count"])  # fmt: skip
        for hour in range(42 * 24):
            for _ in range(rng.poisson(2.0 if 8 <= hour % 24 <= 22 else 0.6)):
                when = start + timedelta(hours=hour)
                beat = str(rng.choice(["1A10", "1A20", "2B30"]))
                writer.writerow([f"{when:%Y-%m-%d %H:%M}", str(rng.choice(OFFENCES)), "20R",
                                 "residence", beat, "1 main st", -95.4, 29.7, 1])  # fmt: skip
    return path


def test_forecast_writes_the_long_format_with_quantiles(
    app: typer.Typer, houston_like: Path, tmp_path: Path
) -> None:
    out = tmp_path / "f.parquet"
    args = ["forecast", str(houston_like), "--preset", "houston", "--level", "district",
            "--horizon", "2d", "--origin", "2010-04-05", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    frame = pl.read_parquet(out)
    assert frame.columns[:5] == ["unique_id", "area", "cluster", "level", "ds"]
    assert {"mean", "q-0.1", "q-0.5", "q-0.8", "q-0.9", "q-0.95"} <= set(frame.columns)
    assert set(frame["area"].unique()) == {"all", "1", "2"}
    first = frame["ds"].min()
    assert isinstance(first, datetime) and (first.year, first.month, first.day) == (2010, 4, 5)
    assert frame.group_by("unique_id").len()["len"].unique().to_list() == [48]


def test_an_origin_after_the_data_ends_is_where_the_forecast_starts(
    app: typer.Typer, houston_like: Path, tmp_path: Path
) -> None:
    # the data end on 11 April 2010; a planner forecasts the week from Wednesday the 14th
    out = tmp_path / "f.csv"
    args = ["forecast", str(houston_like), "--preset", "houston", "--model", "window-average",
            "--horizon", "2d", "--origin", "2010-04-14", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    total = pl.read_csv(out).filter(pl.col("unique_id") == "all|all")
    assert total["ds"].to_list()[0].startswith("2010-04-14T00:00") and total.height == 48
    too_far = CliRunner().invoke(app, args[:-4] + ["--origin", "2010-05-20"])
    assert too_far.exit_code == 2 and "at most 28 days past the data" in too_far.output


def test_forecast_writes_csv_too(app: typer.Typer, houston_like: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    args = ["forecast", str(houston_like), "--preset", "houston", "--model", "window-average",
            "--horizon", "1d", "--no-clusters", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out)["cluster"].unique().to_list() == ["all"]


def test_backtest_prints_scores_per_level(app: typer.Typer, houston_like: Path) -> None:
    args = ["backtest", str(houston_like), "--preset", "houston", "--origins", "2010-04-05",
            "--models", "seasonal-naive,window-average", "--horizon", "1d"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "window" in result.output and "RMSSE" in result.output and "zone" in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--horizon", "40d"], "28 days"),
        (["--level", "precinct"], "level"),
        (["--origin", "first of May"], "YYYY-MM-DD"),
        (["--model", "prophet"], "unknown"),
        (["--demand", "everyone"], "demand"),
        (["--out", "f.xlsx"], ".csv or .parquet"),
    ],
)
def test_bad_options_exit_2_with_what_to_fix(
    app: typer.Typer, houston_like: Path, extra: list[str], message: str
) -> None:
    args = ["forecast", str(houston_like), "--preset", "houston", "--model", "window-average"]
    result = CliRunner().invoke(app, args + extra)
    assert result.exit_code == 2
    assert message in result.output


def test_officer_demand_on_a_file_without_any_says_so(app: typer.Typer, houston_like: Path) -> None:
    args = ["forecast", str(houston_like), "--preset", "houston", "--demand", "officer"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "no incident left to forecast" in result.output


def test_file_or_dataset_is_required(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["forecast"])
    assert result.exit_code == 2
    assert "--dataset" in result.output


def test_help_shows_examples(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["forecast", "--help"])
    assert result.exit_code == 0
    assert "--origin" in result.output and "Examples" in result.output


def test_a_time_format_the_importer_cannot_guess_is_given_with_time_format(
    app: typer.Typer, houston_like: Path, tmp_path: Path
) -> None:
    compact = tmp_path / "compact.csv"
    frame = pl.read_csv(houston_like, infer_schema=False)
    stamps = pl.col("occurred_at").str.strptime(pl.Datetime, "%Y-%m-%d %H:%M")
    frame.with_columns(stamps.dt.strftime("%Y%m%d %H%M").alias("occurred_at")).write_csv(compact)
    args = ["forecast", str(compact), "--map", "time=occurred_at,zone=beat", "--tz",
            "America/Chicago", "--model", "window-average", "--horizon", "1d"]  # fmt: skip
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "--time-format" in refused.output
    given = CliRunner().invoke(app, [*args, "--time-format", "%Y%m%d %H%M"])
    assert given.exit_code == 0, given.output
