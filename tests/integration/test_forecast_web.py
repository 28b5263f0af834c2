"""The forecast pages through HTTP: a stored run's zones, fan chart, cluster split, accuracy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from zonal.bootstrap import Store
from zonal.incidents.demo import DemoSpec
from zonal.services.demo import build_demo, ensure_demo_forecast
from zonal.settings import get_settings
from zonal.storage import make_engine, upgrade
from zonal.web.app import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(demo_pages_client: TestClient) -> TestClient:
    return demo_pages_client


def client_over(folder: Path, demo_days: int | None) -> Iterator[TestClient]:
    store = Store(make_engine(f"sqlite:///{folder / 'zonal.db'}"))
    upgrade(store.engine)
    if demo_days is not None:
        build_demo(store.uow(), DemoSpec(days=demo_days))
        ensure_demo_forecast(store.uow())
    with TestClient(create_app(get_settings(), store)) as client:
        yield client
    store.dispose()


@pytest.fixture
def empty_client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_over(tmp_path, None)


@pytest.fixture
def short_client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_over(tmp_path, 14)


def test_index_shows_the_stored_run_its_zones_and_its_last_backtest(client: TestClient) -> None:
    page = client.get("/forecast")
    assert page.status_code == 200
    for zone in ("5339", "5340", "5341", "5342", "5343", "5344"):
        assert f'href="/forecast/{zone}?run=1"' in page.text
    assert "Accuracy of the last backtest" in page.text and "RMSSE" in page.text
    assert (
        "Zonal model (gradient boosting)" in page.text and "Mean of the last 4 weeks" in page.text
    )
    assert "demo-brussels-synthetic" in page.text and "Synthetic data." in page.text
    assert 'href="/forecast?run=1" aria-current="true"' in page.text  # the run list
    assert "What the model leans on" in page.text and "The same hour in recent weeks" in page.text


def test_zone_page_draws_history_and_the_forecast_fan(client: TestClient) -> None:
    page = client.get("/forecast/5339?run=1")
    assert page.status_code == 200
    assert page.text.count("<polygon") == 2  # the 80% and 95% bands
    assert page.text.count("<polyline") == 2  # history and mean
    assert "Expected incidents per security cluster" in page.text
    assert 'href="/forecast/5339/' in page.text  # its sectors
    assert "Brussels" in page.text  # the zone is named from the registry


def test_sector_page_works_through_the_path(client: TestClient) -> None:
    index = client.get("/forecast/5339").text
    sector = index.split('href="/forecast/5339/')[1].split("?")[0]
    page = client.get(f"/forecast/5339/{sector}")
    assert page.status_code == 200 and "<polygon" in page.text


def test_unknown_area_or_run_is_404_saying_what_exists(client: TestClient) -> None:
    page = client.get("/forecast/9999")
    assert page.status_code == 404 and "5339" in page.text
    missing = client.get("/forecast?run=42")
    assert missing.status_code == 404 and "forecast run 42" in missing.text
    assert client.get("/forecast?run=abc").status_code == 422


def test_page_speaks_the_visitors_language(client: TestClient) -> None:
    page = client.get("/forecast/5342?lang=nl&run=1")
    assert page.status_code == 200 and 'lang="nl"' in page.text
    assert 'href="?run=1&amp;lang=fr"' in page.text  # switching language keeps the run
    french = client.get("/forecast?lang=fr").text
    assert "Zonal model (gradient boosting)" not in french
    # thousands of expected incidents, grouped the French way (1 234), shares as 85 %
    assert re.search(r">\d{1,3}\u202f\d{3}</td>", french) and "\u00a0%</td>" in french


def test_without_a_stored_forecast_the_page_says_how_to_make_one(empty_client: TestClient) -> None:
    page = empty_client.get("/forecast")
    assert page.status_code == 200
    assert "No forecast is stored yet" in page.text and "zonal forecast --dataset" in page.text
    area = empty_client.get("/forecast/5339")
    assert area.status_code == 404 and "zonal forecast --dataset NAME --save" in area.text


def test_a_forecast_from_too_short_a_history_says_what_stood_in(short_client: TestClient) -> None:
    page = short_client.get("/forecast")
    assert "The history was too short for Zonal model (gradient boosting)" in page.text
    assert "too short to keep a week back for a backtest" in page.text
    zone = short_client.get("/forecast/5339?lang=fr")
    assert "était trop court pour Modèle Zonal" in zone.text


def test_the_api_lists_runs_and_serves_their_points_as_csv(client: TestClient) -> None:
    runs = client.get("/api/forecasts").json()
    assert [r["id"] for r in runs] == [1] and runs[0]["dataset"] == "demo-brussels-synthetic"
    assert client.get("/api/forecasts/1").json()["accuracy"]["by_level"]
    page = client.get("/forecast/5339/21004")
    assert 'href="/api/forecasts/1/points.csv?area=5339/21004"' in page.text
    csv = client.get("/api/forecasts/1/points.csv?area=5339")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="forecast-run1-5339.csv"' in csv.headers["content-disposition"]
    rows = pl.read_csv(csv.content, infer_schema=False)
    assert rows.columns[:5] == ["unique_id", "area", "cluster", "ds", "mean"]
    assert set(rows["area"]) == {"5339"} and rows.filter(pl.col("cluster") == "all").height == 168
    assert rows["ds"][0].endswith("+0100")  # Brussels winter time, the run's own clock


def test_the_api_names_unknown_runs_and_areas(client: TestClient) -> None:
    assert client.get("/api/forecasts/9").json() == {
        "error": "forecast run 9 does not exist; see /forecast for runs",
        "status": 404,
    }
    assert client.get("/api/forecasts/1/points.csv?area=9999").status_code == 404
    assert client.get("/api/forecasts/0").status_code == 422


def test_the_fan_chart_has_a_count_axis_with_its_unit_and_a_tick_per_day(
    client: TestClient,
) -> None:
    page = client.get("/forecast/5339?run=1&lang=en").text  # the module's client chose fr
    assert '<desc id="fan-desc">Vertical axis: incidents per hour, from 0 to ' in page
    assert "incidents per hour</text>" in page and "max " not in page
    assert page.count('text-anchor="end"') >= 3  # the count labels
    assert "Axe vertical : incidents par heure" in client.get("/forecast/5339?run=1&lang=fr").text
