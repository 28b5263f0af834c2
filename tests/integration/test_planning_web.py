"""The planning pages through HTTP on the demo zones: curve, roster, shortfalls, exports."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(demo_pages_client: TestClient) -> TestClient:
    return demo_pages_client


def test_planning_page_compares_each_demo_zone_with_a_flat_plan(client: TestClient) -> None:
    page = client.get("/planning")
    assert page.status_code == 200
    for zone in ("5339", "5340", "5341", "5342", "5343", "5344"):
        assert f'href="/planning/{zone}"' in page.text
    assert "Flat 24/7 plan" in page.text and "Synthetic data." in page.text


def test_zone_page_draws_the_week_and_the_roster(client: TestClient) -> None:
    page = client.get("/planning/5342")
    assert page.status_code == 200
    assert page.text.count("<rect") == 168  # one bar per hour of the week
    assert "<polyline" in page.text and "Roster" in page.text and "P001" in page.text


def test_zone_page_speaks_the_visitors_language(client: TestClient) -> None:
    page = client.get("/planning/5342?lang=fr")
    assert page.status_code == 200 and 'lang="fr"' in page.text


def test_roster_exports(client: TestClient) -> None:
    ics = client.get("/planning/5342/roster.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics.text
    csv = client.get("/planning/5342/roster.csv")
    assert csv.status_code == 200 and csv.text.startswith("officer_id,team,shift,start,end,hours")


def test_unknown_zone_is_a_404_naming_the_demo_zones(client: TestClient) -> None:
    page = client.get("/planning/9999")
    assert page.status_code == 404
    assert "5339" in page.text
