"""The forecast pages through HTTP on the demo: fan chart, cluster split, backtest accuracy."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(demo_pages_client: TestClient) -> TestClient:
    return demo_pages_client


def test_index_lists_every_demo_zone_and_the_last_backtest(client: TestClient) -> None:
    page = client.get("/forecast")
    assert page.status_code == 200
    for zone in ("5339", "5340", "5341", "5342", "5343", "5344"):
        assert f'href="/forecast/{zone}"' in page.text
    assert "Accuracy of the last backtest" in page.text and "RMSSE" in page.text
    assert "Synthetic data." in page.text


def test_zone_page_draws_history_and_the_forecast_fan(client: TestClient) -> None:
    page = client.get("/forecast/5339")
    assert page.status_code == 200
    assert page.text.count("<polygon") == 2  # the 80% and 95% bands
    assert page.text.count("<polyline") == 2  # history and mean
    assert "Expected incidents per security cluster" in page.text
    assert 'href="/forecast/5339/' in page.text  # its sectors


def test_sector_page_works_through_the_path(client: TestClient) -> None:
    index = client.get("/forecast/5339").text
    sector = index.split('href="/forecast/5339/')[1].split('"')[0]
    page = client.get(f"/forecast/5339/{sector}")
    assert page.status_code == 200 and "<polygon" in page.text


def test_unknown_area_is_404_with_the_zones(client: TestClient) -> None:
    page = client.get("/forecast/9999")
    assert page.status_code == 404
    assert "5339" in page.text


def test_page_speaks_the_visitors_language(client: TestClient) -> None:
    page = client.get("/forecast/5342?lang=nl")
    assert page.status_code == 200 and 'lang="nl"' in page.text
