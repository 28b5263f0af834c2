"""The forecast and planning pages in a real browser, on a stored run: accessible in 4 languages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import screenshot, serious_violations, serve_demo
from zonal.incidents.demo import DemoSpec

pytestmark = pytest.mark.slow
LANGUAGES = ("nl", "fr", "de", "en")


@pytest.fixture(scope="module")
def forecast_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Six weeks of demo incidents and their stored week-ahead forecast, served live."""
    yield from serve_demo(tmp_path_factory, DemoSpec(days=42, seed=5), forecast=True)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path", ["/forecast", "/forecast/5339", "/forecast/all", "/planning", "/planning/5339"]
)
def test_forecast_and_planning_pages_have_no_serious_accessibility_violations(
    page: Any, forecast_server: str, path: str, language: str
) -> None:
    page.goto(f"{forecast_server}{path}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    assert serious_violations(page) == []


def test_a_planner_goes_from_the_zones_to_a_sector_and_back(
    page: Any, forecast_server: str
) -> None:
    page.goto(f"{forecast_server}/forecast")
    page.get_by_role("link", name="5339", exact=True).click()
    assert page.locator("svg polygon").count() == 2
    screenshot(page, "forecast-zone-en")
    page.locator("#below ~ ul a").first.click()
    assert "/forecast/5339/" in page.url and "run=1" in page.url
    page.get_by_role("link", name="Back to all zones").click()
    assert page.url.endswith("/forecast?run=1")


def test_the_planning_page_staffs_the_forecast_shown(page: Any, forecast_server: str) -> None:
    page.goto(f"{forecast_server}/planning")
    page.get_by_role("link", name="5339", exact=True).click()
    page.locator("svg rect").first.wait_for(timeout=90_000)  # the page reloads until solved
    assert page.locator("svg rect").count() == 168  # one bar per hour of the forecast week
    screenshot(page, "planning-zone-en")
    page.get_by_role("link", name="See the forecast").click()
    assert page.url.endswith("/forecast?run=1")
