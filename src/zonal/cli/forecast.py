"""`zonal forecast` and `zonal backtest`: hourly demand forecasts from a file or the store.

The models (LightGBM, statsforecast), Polars and the store are imported inside the commands,
so that `zonal --help` does not load them (see cli/__init__.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast, get_args
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from zonal.cli._app import console
from zonal.errors import InputError

if TYPE_CHECKING:
    import polars as pl

    from zonal.forecasting import BacktestResult, ForecastRun
    from zonal.forecasting.reconcile import Method
    from zonal.services.forecasts import BacktestRequest, DatasetForecastRequest
    from zonal.services.imports import ImportRequest

# zonal.forecasting.MODELS and reconcile.METHODS, named here for the help texts without
# importing the models; tests/unit/test_cli_startup.py checks that they agree.
MODELS: tuple[str, ...] = ("gbm", "seasonal-naive", "window-average", "auto-ets", "mstl")
METHODS: tuple[str, ...] = ("bottom_up", "wls_struct", "wls_var")

FileArg = Annotated[Path | None, typer.Argument(help="CSV (optionally .gz) or Parquet file.")]
Preset = Annotated[
    str | None, typer.Option(help="Named source: houston, st-louis, dispatch-center, portland-nij.")
]
MapOpt = Annotated[
    str | None, typer.Option("--map", help="Column mapping, e.g. time=occurred_at,zone=beat.")
]
TzOpt = Annotated[str | None, typer.Option("--tz", help="IANA time zone of the data's clock.")]
TimeFormatOpt = Annotated[
    str | None,
    typer.Option(help="strptime format of the times when not ISO or a common written form."),
]
DatasetOpt = Annotated[
    str | None, typer.Option(help="Forecast a dataset of the store instead of a file.")
]
LevelOpt = Annotated[
    str, typer.Option(help="Bottom area level: zone (district), sector (beat) or total.")
]
HorizonOpt = Annotated[str, typer.Option(help="How far ahead: 1h to 28d, e.g. 7d or 48h.")]
DemandOpt = Annotated[
    str,
    typer.Option(help="citizen (default: all but officer-initiated), officer, or all."),
]
ClustersOpt = Annotated[bool, typer.Option(help="Split each area by security cluster.")]


def forecast_command(
    file: FileArg = None,
    preset: Preset = None,
    map_: MapOpt = None,
    tz: TzOpt = None,
    time_format: TimeFormatOpt = None,
    dataset: DatasetOpt = None,
    level: LevelOpt = "zone",
    horizon: HorizonOpt = "7d",
    origin: Annotated[
        str | None,
        typer.Option(help="Forecast as if on this date (YYYY-MM-DD), from earlier data."),
    ] = None,
    model: Annotated[str, typer.Option(help=f"One of {', '.join(MODELS)}.")] = "gbm",
    clusters: ClustersOpt = True,
    demand: DemandOpt = "citizen",
    reconcile: Annotated[
        str, typer.Option(help=f"Make levels agree: {', '.join(METHODS)} or none.")
    ] = "wls_var",
    out: Annotated[Path | None, typer.Option(help="Write the forecast: .csv or .parquet.")] = None,
    save: Annotated[
        bool, typer.Option(help="Store the forecast of --dataset for the web pages and planning.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed: same seed, same forecast.")] = 0,
) -> None:
    """Forecast hourly incidents per area and cluster: mean and quantiles, long format.

    Output columns: unique_id (area|cluster), area, cluster, level, ds (local time), mean,
    q-0.025 ... q-0.975. Officer-initiated work is left out unless --demand asks for it.

    Examples:

      zonal forecast houston_incidents_2010.csv.gz --preset houston --level district
      --horizon 7d --origin 2010-08-01 --out f.parquet

      zonal forecast calls.csv --map time=start,zone=zone --tz Europe/Brussels --out f.csv

      zonal forecast --dataset demo-brussels-synthetic --horizon 28d --save

    A stored dataset is read in the time zone its import recorded (--tz overrides it).
    --save stores the forecast and a backtest of the week before it, for the /forecast page.
    """
    from zonal.forecasting import parse_level
    from zonal.services.forecasts import DatasetForecastRequest

    request = DatasetForecastRequest(
        dataset=dataset or (file.name if file else ""),
        level=parse_level(level),
        horizon=horizon,
        origin=_parse_date(origin),
        by_cluster=clusters,
        demand=demand,
        model=model,
        reconciliation=None if reconcile == "none" else _method(reconcile),
        seed=seed,
    )
    if save:
        forecast, first = _save(request, dataset, file)
    else:
        source = _source(file, dataset, preset, map_, tz, time_format)
        run = _forecast(request, source, tz)
        forecast, first = run.forecast, run.origin
    _summary(forecast, first)
    if out is not None:
        _write(forecast, out)
        console.print(f"Wrote {forecast.height:,} rows to {out}")


def backtest_command(
    file: FileArg = None,
    preset: Preset = None,
    map_: MapOpt = None,
    tz: TzOpt = None,
    time_format: TimeFormatOpt = None,
    dataset: DatasetOpt = None,
    origins: Annotated[
        str, typer.Option(help="Comma-separated origin dates, e.g. 2010-08-01,2010-08-08.")
    ] = "",
    models: Annotated[
        str, typer.Option(help=f"Comma-separated models among {', '.join(MODELS)}.")
    ] = "gbm,seasonal-naive,window-average",
    level: LevelOpt = "zone",
    horizon: HorizonOpt = "7d",
    clusters: ClustersOpt = False,
    demand: DemandOpt = "citizen",
    out: Annotated[
        Path | None, typer.Option(help="Write per-series scores: .csv/.parquet.")
    ] = None,
) -> None:
    """Score models on your own history: refit at each origin on earlier data only.

    Reports RMSSE (RMSE over the in-sample weekly seasonal naive), MASE of the median,
    mean Poisson deviance, pinball loss, 80%/95% interval coverage per level, and seconds.

    Example:

      zonal backtest houston_incidents_2010.csv.gz --preset houston --level district
      --origins 2010-08-01,2010-08-08,2010-08-15,2010-08-22 --horizon 7d
    """
    from zonal.forecasting import parse_level
    from zonal.services.forecasts import BacktestRequest

    source = _source(file, dataset, preset, map_, tz, time_format)
    dates = [_parse_date(text) for text in origins.split(",") if text.strip()]
    request = BacktestRequest(
        origins=tuple(d for d in dates if d is not None),
        models=tuple(name.strip() for name in models.split(",")),
        level=parse_level(level),
        horizon=horizon,
        by_cluster=clusters,
        demand=demand,
    )
    result = _backtest(request, source, tz)
    _score_table(result.by_level())
    if out is not None:
        _write(result.scores, out)


def _source(
    file: Path | None,
    dataset: str | None,
    preset: str | None,
    mapping: str | None,
    tz: str | None,
    time_format: str | None,
) -> ImportRequest | str:
    """What to read: a file as the options say, or the name of a dataset of the store."""
    if (file is None) == (dataset is None):
        raise InputError("give either a FILE or --dataset NAME (a dataset of the store)")
    if dataset is not None:
        return dataset
    assert file is not None
    from zonal.services.imports import ImportRequest

    return ImportRequest(
        path=file, preset=preset, mapping=mapping, time_zone=tz, time_format=time_format
    )


def _forecast(
    request: DatasetForecastRequest, source: ImportRequest | str, tz: str | None
) -> ForecastRun:
    """A forecast of a dataset (read in --tz, else its own clock) or of a file, not stored."""
    from zonal.bootstrap import open_store
    from zonal.services.forecasts import forecast_file, forecast_stored_dataset

    if isinstance(source, str):
        with console.status("Fitting and forecasting ..."):
            return forecast_stored_dataset(open_store().uow(), request, tz)
    with console.status(f"Reading {source.path.name}, fitting and forecasting ..."):
        made = forecast_file(source, request)
    _rejected(made.rejected)
    return made.run


def _backtest(
    request: BacktestRequest, source: ImportRequest | str, tz: str | None
) -> BacktestResult:
    from zonal.bootstrap import open_store
    from zonal.services.forecasts import backtest_dataset, backtest_file

    doing = f"Backtesting {len(request.models)} models at {len(request.origins)} origins ..."
    if isinstance(source, str):
        with console.status(doing):
            return backtest_dataset(open_store().uow(), source, request, tz)
    with console.status(doing):
        made = backtest_file(source, request)
    _rejected(made.rejected)
    return made.result


def _rejected(rows: int) -> None:
    if rows:
        console.print(f"[yellow]{rows:,} rows rejected on import[/]")


def _parse_date(text: str | None) -> date | datetime | None:
    if text is None:
        return None
    try:
        if "T" in text or " " in text:
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"date {text!r} is not YYYY-MM-DD (or YYYY-MM-DDTHH:MM)") from exc


def _save(
    request: DatasetForecastRequest, dataset: str | None, file: Path | None
) -> tuple[pl.DataFrame, datetime]:
    """Forecast a stored dataset and keep the run; the forecast and its first hour (local)."""
    if dataset is None or file is not None:
        raise InputError(
            "--save stores forecasts of a dataset of the store: import the file first "
            "(`zonal import incidents FILE ...`), then `zonal forecast --dataset NAME --save`"
        )
    from zonal.bootstrap import open_store
    from zonal.services.planning import forecast_and_plan

    with console.status(f"Fitting, forecasting, backtesting and planning {dataset} ..."):
        saved = forecast_and_plan(open_store().planner(), request)
    run = saved.run.id
    console.print(f"Stored forecast run {run}: see /forecast?run={run} and /planning?run={run}")
    return saved.forecast, saved.run.origin.astimezone(ZoneInfo(saved.run.time_zone))


def _method(name: str) -> Method:
    from zonal.forecasting.reconcile import Method

    for method in get_args(Method):
        if method == name:
            return cast("Method", method)
    raise InputError(f"reconcile {name!r} is unknown; choose {', '.join(METHODS)} or none")


def _write(frame: pl.DataFrame, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".parquet":
        frame.write_parquet(out)
    elif suffix == ".csv":
        frame.write_csv(out)
    else:
        raise InputError(f"output {out} must end in .csv or .parquet")


def _summary(forecast: pl.DataFrame, origin: datetime) -> None:
    import polars as pl

    daily = (
        forecast.filter(pl.col("cluster") == "all")
        .group_by("area")
        .agg(pl.col("mean").sum().alias("total"), pl.len().alias("hours"))
        .sort("total", descending=True)
    )
    table = Table(title=f"Forecast from {origin:%Y-%m-%d %H:%M %Z}: expected incidents")
    table.add_column("area")
    table.add_column("hours", justify="right")
    table.add_column("expected", justify="right")
    for area, total, hours in daily.head(12).iter_rows():
        table.add_row(str(area), str(hours), f"{total:,.1f}")
    console.print(table)


SHORT_NAMES = {
    "rmsse": "RMSSE",
    "rmse": "RMSE",
    "mase": "MASE",
    "poisson_deviance": "dev",
    "pinball": "pinball",
    "coverage_80": "cov80",
    "coverage_95": "cov95",
    "seconds": "s",
}


def _score_table(scores: pl.DataFrame) -> None:
    table = Table(title="Backtest: mean per level (RMSSE is the headline; lower is better)")
    table.add_column("model", overflow="fold")
    table.add_column("level", overflow="fold")
    shown = [c for c in SHORT_NAMES if c in scores.columns and c != "rmse"]
    for column in shown:
        table.add_column(SHORT_NAMES[column], justify="right")
    for row in scores.iter_rows(named=True):
        cells = [f"{row[c]:.3f}" if isinstance(row[c], float) else "" for c in shown]
        table.add_row(str(row["model"]), str(row["level"]), *cells)
    console.print(table)


def register(root: typer.Typer) -> None:
    root.command("forecast")(forecast_command)
    root.command("backtest")(backtest_command)
