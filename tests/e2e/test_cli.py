"""The `zonal` command as a user runs it: set-up, import, zones, errors and exit codes."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from zonal.bootstrap import open_store
from zonal.cli import app
from zonal.forecasting.runs import StoredForecastRun
from zonal.incidents.demo import DEMO_DATASET

runner = CliRunner()


def stored_incidents(dataset: str) -> pl.DataFrame:
    """What the command stored, read back through the store of the same settings."""
    with open_store().uow() as uow:
        return uow.incidents.read(datasets=[dataset])


def dataset_counts() -> dict[str, int]:
    with open_store().uow() as uow:
        return uow.incidents.dataset_counts()


def forecast_runs(dataset: str) -> list[StoredForecastRun]:
    with open_store().uow() as uow:
        return uow.forecasts.newest(dataset)


CALLS = """start,zone,type,lat,lon
2025-03-30 01:15,5339,phishing,50.83,4.37
2025-03-30 02:30,5339,phishing,50.83,4.37
2025-03-30 03:10,5340,assault,50.86,4.32
yesterday,5341,assault,50.82,4.31
2025-03-30 04:00,9999,assault,50.82,4.31
"""
MAPPING = "time=start,zone=zone,category=type,lat=lat,lon=lon"


@pytest.fixture
def calls_csv(zonal_home: Path) -> Path:
    path = zonal_home / "calls.csv.gz"
    path.write_bytes(gzip.compress(CALLS.encode()))
    return path


def test_import_with_a_mapping_stores_rows_and_reports_rejects(calls_csv: Path) -> None:
    result = runner.invoke(
        app, ["import", "incidents", str(calls_csv), "--map", MAPPING, "--tz", "Europe/Brussels"]
    )
    assert result.exit_code == 0, result.output
    assert "unparseable_time" in result.output
    assert "unknown_zone" in result.output, "zones are checked against the registry"
    stored = stored_incidents("calls")
    assert stored.height == 3
    # 02:30 does not exist in Brussels on 2025-03-30: shifted forward, said, not dropped
    assert "dst_gap_shifted" in result.output
    rejects = list((calls_csv.parent / "rejects").glob("calls-run*.csv"))
    assert len(rejects) == 1 and "yesterday" in rejects[0].read_text()
    assert "9999" in rejects[0].read_text()


def test_zone_check_can_be_turned_off(calls_csv: Path) -> None:
    result = runner.invoke(
        app,
        [
            "import",
            "incidents",
            str(calls_csv),
            "--map",
            MAPPING,
            "--tz",
            "Europe/Brussels",
            "--no-check-zones",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "9999" in stored_incidents("calls")["zone"].to_list()


def test_importing_the_same_dataset_twice_needs_replace(calls_csv: Path) -> None:
    args = ["import", "incidents", str(calls_csv), "--map", MAPPING, "--tz", "Europe/Brussels"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 2
    assert "--replace" in again.output
    assert runner.invoke(app, [*args, "--replace"]).exit_code == 0
    assert dataset_counts()["calls"] == 3


def test_mapping_to_a_missing_column_says_which_and_lists_the_file_columns(
    calls_csv: Path,
) -> None:
    result = runner.invoke(
        app,
        [
            "import",
            "incidents",
            str(calls_csv),
            "--map",
            "time=when,zone=zone",
            "--tz",
            "Europe/Brussels",
        ],
    )
    assert result.exit_code == 2
    assert "when" in result.output and "start" in result.output
    assert "calls" not in dataset_counts()


def test_import_needs_a_preset_or_a_mapping(calls_csv: Path) -> None:
    result = runner.invoke(app, ["import", "incidents", str(calls_csv)])
    assert result.exit_code == 2
    assert "--preset" in result.output


def test_unknown_preset_lists_the_presets(calls_csv: Path) -> None:
    result = runner.invoke(app, ["import", "incidents", str(calls_csv), "--preset", "paris"])
    assert result.exit_code == 3
    assert "houston" in result.output


def test_missing_file_is_a_clear_error(zonal_home: Path) -> None:
    result = runner.invoke(
        app,
        [
            "import",
            "incidents",
            str(zonal_home / "nope.csv"),
            "--map",
            MAPPING,
            "--tz",
            "Europe/Brussels",
        ],
    )
    assert result.exit_code == 2
    assert "nope.csv" in result.output


def test_zones_lists_the_default_registry(zonal_home: Path) -> None:
    result = runner.invoke(app, ["zones", "--lang", "nl"])
    assert result.exit_code == 0
    for number in ("5339", "5340", "5341", "5342", "5343", "5344"):
        assert number in result.output
    assert "Elsene" in result.output


def test_postcode_spanning_two_zones_says_so(zonal_home: Path) -> None:
    result = runner.invoke(app, ["zones", "postcode", "1040"])
    assert result.exit_code == 0
    assert "5339" in result.output and "5343" in result.output


def test_loading_a_broken_registry_changes_nothing(zonal_home: Path) -> None:
    folder = zonal_home / "registry"
    folder.mkdir()
    (folder / "zones.csv").write_text("zone_number,name_nl\n1,A\n")
    (folder / "municipalities.csv").write_text("nis,name_nl\n")
    result = runner.invoke(app, ["zones", "load", str(folder)])
    assert result.exit_code == 2
    assert "zones.csv" in result.output or "municipalities.csv" in result.output
    assert "5339" in runner.invoke(app, ["zones"]).output


def test_demo_builds_the_synthetic_dataset_once(zonal_home: Path) -> None:
    first = runner.invoke(app, ["demo", "--no-serve", "--days", "7"])
    assert first.exit_code == 0, first.output
    assert "synthetic" in first.output.lower()
    assert f"Store: sqlite:///{zonal_home / 'zonal.db'}" in first.output, "where the demo went"
    assert f"Data folder (attachments, rejects): {zonal_home}" in first.output
    count = dataset_counts()[DEMO_DATASET]
    second = runner.invoke(app, ["demo", "--no-serve", "--days", "7"])
    assert "already holds" in second.output
    assert dataset_counts()[DEMO_DATASET] == count


def test_demo_stores_a_forecast_for_the_forecast_page(zonal_home: Path) -> None:
    result = runner.invoke(app, ["demo", "--no-serve", "--days", "7"])
    assert result.exit_code == 0, result.output
    runs = forecast_runs(DEMO_DATASET)
    assert len(runs) == 1 and f"Forecast run {runs[0].id}" in result.output


def test_a_stored_forecast_is_planned_zone_by_zone(zonal_home: Path) -> None:
    assert runner.invoke(app, ["demo", "--no-serve", "--days", "7"]).exit_code == 0
    out = zonal_home / "plan"
    result = runner.invoke(app, ["plan", "run", "--forecast-run", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Planning on forecast run 1" in result.output
    planned = pl.read_csv(out / "comparison.csv")
    assert sorted(planned["unique_id"].cast(pl.String)) == [str(z) for z in range(5339, 5345)]
    missing = runner.invoke(app, ["plan", "run", "--forecast-run", "9"])
    assert missing.exit_code == 3 and "forecast run 9 does not exist" in missing.output


def test_a_stored_dataset_is_forecast_on_its_own_clock_and_saved(zonal_home: Path) -> None:
    path = zonal_home / "calls.csv"
    rows = [f"2024-01-{1 + h // 24:02d} {h % 24:02d}:10,1{h % 2},THEFT" for h in range(21 * 24)]
    path.write_text("start,district,type\n" + "\n".join(rows) + "\n")
    imported = runner.invoke(
        app,
        ["import", "incidents", str(path), "--map", "time=start,zone=district,category=type"]
        + ["--tz", "America/Chicago", "--dataset", "calls", "--no-check-zones"],
    )
    assert imported.exit_code == 0, imported.output
    out = zonal_home / "f.csv"
    result = runner.invoke(
        app, ["forecast", "--dataset", "calls", "--horizon", "2d", "--save", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    run = forecast_runs("calls")[0]
    assert f"Stored forecast run {run.id}" in result.output and run.time_zone == "America/Chicago"
    written = pl.read_csv(out)
    assert written["ds"][0] == "2024-01-22T00:00:00.000000-0600"  # the import's clock
    assert written.filter(pl.col("unique_id") == "all|all").height == 48


def test_save_needs_a_stored_dataset_and_an_unknown_one_is_named(calls_csv: Path) -> None:
    from_file = runner.invoke(
        app, ["forecast", str(calls_csv), "--map", MAPPING, "--tz", "Europe/Brussels", "--save"]
    )
    assert from_file.exit_code == 2 and "import the file first" in from_file.output
    unknown = runner.invoke(app, ["forecast", "--dataset", "nope"])
    assert unknown.exit_code == 3 and "'nope' is not in the store" in unknown.output


def test_db_status_reports_up_to_date(zonal_home: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["db", "status"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_bad_database_url_is_a_configuration_error(
    zonal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zonal.settings import get_settings

    monkeypatch.setenv("ZONAL_DATABASE_URL", "mysql://somewhere/zonal")
    get_settings.cache_clear()
    result = runner.invoke(app, ["zones"])
    assert result.exit_code == 78
    assert "postgresql" in result.output


def test_help_teaches_with_examples() -> None:
    for command in (["import", "incidents"], ["zones"], ["demo"], ["serve"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, command


def test_generate_national_writes_one_synthetic_file_per_zone(tmp_path: Path) -> None:
    import polars as pl

    result = runner.invoke(
        app,
        [
            "generate",
            "national",
            str(tmp_path),
            "--zones",
            "3",
            "--years",
            "1",
            "--volume-scale",
            "0.05",
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*.parquet"))
    assert len(files) == 3
    frame = pl.scan_parquet(tmp_path / "*.parquet").collect()
    assert frame["zone"].n_unique() == 3
    assert frame["dataset"].str.contains("synthetic").all()


def test_new_key_prints_a_usable_32_byte_key(zonal_home: Path) -> None:
    import base64

    result = runner.invoke(app, ["complaints", "new-key"])
    assert result.exit_code == 0
    assert len(base64.b64decode(result.output.strip())) == 32


def test_purge_without_a_data_key_says_how_to_set_one(
    zonal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zonal.settings import get_settings

    monkeypatch.delenv("ZONAL_DATA_KEY", raising=False)
    monkeypatch.delenv("ZONAL_DEMO_MODE", raising=False)
    get_settings.cache_clear()
    result = runner.invoke(app, ["complaints", "purge"])
    assert result.exit_code == 78
    assert "ZONAL_DATA_KEY" in result.output


def test_purge_with_a_key_reports_what_it_erased(
    zonal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zonal.settings import get_settings
    from zonal.storage.complaints.crypto import generate_key

    monkeypatch.setenv("ZONAL_DATA_KEY", generate_key())
    get_settings.cache_clear()
    dry = runner.invoke(app, ["complaints", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "0 case(s)" in dry.output
    result = runner.invoke(app, ["complaints", "purge"])
    assert result.exit_code == 0 and "0 case(s)" in result.output


def test_staff_create_on_the_demo_store_needs_demo_mode_and_the_error_says_so(
    zonal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zonal.bootstrap import complaints_setup
    from zonal.services.demo import DEMO_PASSWORD, demo_logins, seed_demo_staff
    from zonal.settings import get_settings

    for name in ("ZONAL_DEMO_MODE", "ZONAL_DATA_KEY", "ZONAL_DATA_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    demo = get_settings().model_copy(update={"demo_mode": True})  # as `zonal demo` runs
    seed_demo_staff(complaints_setup(open_store(demo), demo))
    command = ["staff", "create", "jdupont", "--role", "intake_officer", "--zone", "5339",
               "--admin", "demo-admin"]  # fmt: skip
    refused = runner.invoke(app, command)
    assert refused.exit_code == 78
    assert "ZONAL_DEMO_MODE=true zonal staff" in " ".join(refused.output.split())
    monkeypatch.setenv("ZONAL_DEMO_MODE", "true")
    get_settings.cache_clear()
    shown = demo_logins(complaints_setup(open_store(), get_settings()))  # the login page's
    code = next(login.code for login in shown if login.username == "demo-admin")
    password = "correct horse battery staple"
    answers = f"{DEMO_PASSWORD}\n{code}\n{password}\n{password}\n"
    made = runner.invoke(app, command, input=answers)
    assert made.exit_code == 0, made.output
    assert "Created jdupont (intake_officer) for 5339." in made.output


def test_demo_prints_every_page_of_the_readme_with_what_it_is_for(zonal_home: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    urls = re.findall(r"^\| (http://127\.0\.0\.1:8000/\S*) \|", readme, re.M)
    result = runner.invoke(app, ["demo", "--no-serve", "--days", "7"])
    assert result.exit_code == 0, result.output
    printed = {line.split()[0]: line for line in result.output.splitlines() if "http://" in line}
    assert len(urls) == 6 and set(urls) <= set(printed), result.output
    assert all(len(printed[url].split()) > 3 for url in urls)
