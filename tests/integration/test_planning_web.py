"""The planning pages through HTTP on a stored demo forecast: curve, roster, shortfalls, exports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from zonal.bootstrap import Store
from zonal.incidents.demo import DEMO_DATASET, DemoSpec
from zonal.services.demo import build_demo
from zonal.services.forecasts import DatasetForecastRequest, forecast_dataset
from zonal.settings import get_settings
from zonal.storage import make_engine, upgrade
from zonal.web.app import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(demo_pages_client: TestClient) -> TestClient:
    return demo_pages_client


def settled(client: TestClient, url: str) -> Response:
    """`url` once its plan is solved: a page being computed says so at once, and its script
    asks again until the header says the plan is there."""
    page = client.get(url)
    while page.headers["x-zonal-plan-state"] == "computing":
        assert page.status_code == 200 and 'role="status"' in page.text
        assert '<script src="/static/plan-state.js" defer>' in page.text
        client.app.state.jobs.wait(timeout=120)  # type: ignore[attr-defined]
        page = client.get(url)
    return page


def test_planning_page_plans_the_stored_forecast_zone_by_zone(client: TestClient) -> None:
    page = client.get("/planning")
    assert page.status_code == 200
    for zone in ("5339", "5340", "5341", "5342", "5343", "5344"):
        assert f'href="/planning/{zone}?run=1&amp;staff_to=mean"' in page.text
    assert "Flat 24/7 plan" in page.text and "Synthetic data." in page.text
    assert "Plan for forecast run 1 of dataset demo-brussels-synthetic" in page.text
    assert 'href="/forecast?run=1"' in page.text


def test_zone_page_draws_the_week_and_the_roster(client: TestClient) -> None:
    page = settled(client, "/planning/5342")
    assert page.status_code == 200
    assert page.text.count("<rect") == 168  # one bar per hour of the week
    assert "<polyline" in page.text and "Roster" in page.text and "P001" in page.text


def test_zone_page_speaks_the_visitors_language(client: TestClient) -> None:
    page = settled(client, "/planning/5342?lang=fr")
    assert page.status_code == 200 and 'lang="fr"' in page.text


def test_roster_exports(client: TestClient) -> None:
    assert (
        'href="/planning/5342/roster.ics?run=1&amp;staff_to=mean"'
        in settled(client, "/planning/5342").text
    )
    ics = client.get("/planning/5342/roster.ics?run=1")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics.text
    csv = client.get("/planning/5342/roster.csv")
    assert csv.status_code == 200 and csv.text.startswith("officer_id,team,shift,start,end,hours")


def test_unknown_zone_or_run_is_a_404_naming_what_exists(client: TestClient) -> None:
    page = client.get("/planning/9999")
    assert page.status_code == 404
    assert "5339" in page.text
    assert client.get("/planning?run=77").status_code == 404


def test_without_a_stored_forecast_the_page_says_how_to_make_one(tmp_path: Path) -> None:
    store = Store(make_engine(f"sqlite:///{tmp_path / 'zonal.db'}"))
    upgrade(store.engine)
    with TestClient(create_app(get_settings(), store)) as empty:
        page = empty.get("/planning")
        assert page.status_code == 200 and "No forecast is stored yet" in page.text
        assert empty.get("/planning/5339").status_code == 404
    store.dispose()


def test_staffing_to_a_busy_hour_plans_more_than_to_the_mean(client: TestClient) -> None:
    hours = {}
    for level in ("mean", "q-0.9"):
        page = client.get(f"/planning?run=1&staff_to={level}&lang=en")
        assert page.status_code == 200 and f'value="{level}" selected' in page.text
        designed = re.findall(r'</a></th>\s*<td class="num">([\d,]+)</td>', page.text)
        assert len(designed) == 6  # one row per zone: its designed officer-hours first
        hours[level] = sum(int(c.replace(",", "")) for c in designed)
    assert hours["q-0.9"] > hours["mean"]
    assert client.get("/planning?run=1&staff_to=q-0.99").status_code == 422


def test_a_cold_plan_answers_at_once_then_a_background_job_solves_it(tmp_path: Path) -> None:
    store = Store(make_engine(f"sqlite:///{tmp_path / 'zonal.db'}"))
    upgrade(store.engine)
    build_demo(store.uow(), DemoSpec(days=35, seed=5))
    day = DatasetForecastRequest(dataset=DEMO_DATASET, horizon="1d", model="window-average")
    run = forecast_dataset(store.uow(), day).run
    with TestClient(create_app(get_settings(), store)) as cold:
        first = cold.get(f"/planning/5339?run={run.id}&lang=nl")
        assert first.status_code == 200, "the request does not wait for the solver"
        assert "worden berekend" in first.text and "Opnieuw controleren" in first.text
        csv = cold.get(f"/planning/5339/roster.csv?run={run.id}")
        assert csv.status_code == 503 and csv.headers["retry-after"] == "3"
        page = settled(cold, f"/planning/5339?run={run.id}")
        assert "P001" in page.text and "plan-state.js" not in page.text
        assert page.headers["x-zonal-plan-state"] == "ready"
        assert cold.get(f"/planning/5339/roster.csv?run={run.id}").status_code == 200
    store.dispose()


def test_the_chart_counts_teams_and_starts_on_the_first_day_of_the_forecast(
    client: TestClient,
) -> None:
    origin = re.search(r"from (\d{4})-(\d\d)-(\d\d) ", client.get("/forecast?run=1").text)
    assert origin is not None
    first = date(*(int(part) for part in origin.groups()))
    page = settled(client, "/planning/5342").text
    desc = "Vertical axis: teams on duty, from 0 to "
    days = f"Horizontal axis: the days from {first:%a} {first:%d/%m} to "
    assert desc in page and days in page, page[page.find("<desc") : page.find("</desc>")]


def test_the_long_lists_of_a_zone_page_fold_so_the_summary_comes_first(client: TestClient) -> None:
    page = settled(client, "/planning/5342?lang=en").text
    assert page.count("<details>") == 2
    assert page.index("Designed shifts:") < page.index("<details>")
    assert re.search(r"<summary>Show the \d+ shift starts of the week</summary>", page)
    assert re.search(r"<summary>Show the first week of each of the \d+ officers</summary>", page)
