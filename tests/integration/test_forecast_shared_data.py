"""Forecasting the real reference data: Houston 2010 and St. Louis 2008-2015."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from zonal.cli import forecast
from zonal.cli._app import ZonalGroup
from zonal.forecasting import GlobalGBM, SeasonalWindowAverage, backtest, hourly_counts
from zonal.incidents.presets import read_with_preset

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(scope="module")
def houston(shared_data: Path) -> pl.DataFrame:
    return read_with_preset(shared_data / "houston_incidents_2010.csv.gz", "houston").incidents


def test_cli_forecasts_houston_districts_from_an_origin(shared_data: Path, tmp_path: Path) -> None:
    root = typer.Typer(cls=ZonalGroup)
    forecast.register(root)
    out = tmp_path / "f.parquet"
    args = ["forecast", str(shared_data / "houston_incidents_2010.csv.gz"), "--preset", "houston",
            "--level", "district", "--horizon", "7d", "--origin", "2010-08-01",
            "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(root, args)
    assert result.exit_code == 0, result.output
    frame = pl.read_parquet(out)
    districts = frame.filter((pl.col("level") == "zone") & (pl.col("area") != "unknown"))
    assert districts["area"].n_unique() >= 20  # the importer's districts (leading beat number)
    total = frame.filter(pl.col("unique_id") == "all|all")
    assert total.height == 168
    assert 2000 < total["mean"].sum() < 3200  # Houston records about 2,500 a week


def test_gbm_beats_the_four_week_average_on_houston_districts(houston: pl.DataFrame) -> None:
    series = hourly_counts(houston, time_zone="America/Chicago", level="zone", by_cluster=False)
    origin = datetime(2010, 8, 1, tzinfo=CHICAGO)
    models = {"gbm": GlobalGBM("7d"), "avg": SeasonalWindowAverage(4)}
    result = backtest(models, series.series, [origin], "7d")
    mean = dict(result.scores.group_by("model").agg(pl.col("rmsse").mean()).iter_rows())
    assert mean["gbm"] < mean["avg"]
    coverage = result.scores.filter(pl.col("model") == "gbm")["coverage_80"].mean()
    assert isinstance(coverage, float) and 0.7 < coverage < 0.9


def test_st_louis_history_is_trimmed_and_reorganised_districts_end(shared_data: Path) -> None:
    incidents = read_with_preset(
        shared_data / "st_louis_crime_2008_2015.csv.gz", "st-louis"
    ).incidents
    series = hourly_counts(incidents, time_zone="America/Chicago", level="zone", by_cluster=False)
    assert series.notes["before_history_start"] > 0  # stray dates back to 1900
    assert series.notes["areas_ended"] == 3  # districts 7-9 before the 2014 reorganisation
    first = series.series["ds"].min()
    assert isinstance(first, datetime) and first.year >= 2007
