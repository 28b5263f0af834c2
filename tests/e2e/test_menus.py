"""The citizen's portal and the police tools each have their own menu; the home cards link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zonal.bootstrap import open_store
from zonal.settings import get_settings
from zonal.web.app import create_app

CITIZEN_PAGES = ["/", "/complaint", "/complaint?about=online", "/follow"]
STAFF_PAGES = ["/zones", "/forecast", "/planning"]
TOOLS = {"/zones", "/forecast", "/planning", "/docs"}
LINK = re.compile(r'href="([^"?#]*)')


@pytest.fixture
def client(zonal_home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(get_settings(), open_store(get_settings()))) as client:
        yield client


def menu_links(html: str) -> set[str]:
    """The links of the page's first menu (the header's), not of its content or footer."""
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    first = header[header.index("<nav") : header.index("</nav>")]
    return set(LINK.findall(first))


@pytest.mark.parametrize("path", CITIZEN_PAGES)
def test_citizen_pages_show_the_citizens_menu_without_the_police_tools(
    client: TestClient, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert menu_links(page.text) == {"/complaint", "/follow", "/office"}
    assert 'aria-label="Main menu"' in page.text and "Skip to main content" in page.text


def test_the_portal_start_page_has_no_link_to_the_forecast_or_the_planning(
    client: TestClient,
) -> None:
    links = set(LINK.findall(client.get("/complaint").text))
    assert not links & {"/forecast", "/planning"}


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_show_the_tools_and_the_way_back_to_the_portal(
    client: TestClient, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert menu_links(page.text) == {*TOOLS, "/office", "/"}
    assert f'href="{path}" aria-current="page"' in page.text


def test_every_card_of_the_home_page_links_to_its_page(client: TestClient) -> None:
    cards = client.get("/").text.split('<li class="card">')[1:]
    headings = [re.search(r"<h2>(.*?)</h2>", card, re.S) for card in cards]
    assert all(h and h.group(1).startswith("<a href=") for h in headings), headings
    assert '<h2><a href="/forecast">Forecast and plan</a></h2>' in cards[2]


def test_the_staff_menu_is_translated(client: TestClient) -> None:
    page = client.get("/forecast?lang=fr")
    assert 'aria-label="Menu du personnel"' in page.text and "Portail citoyen" in page.text
