"""The shell's pages in a real browser: accessible (axe-core) in all four languages, usable."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import screenshot, serious_violations

LANGUAGES = ("nl", "fr", "de", "en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/zones", "/zones/5341", "/zones/0000"])
def test_pages_have_no_serious_accessibility_violations(
    page: Any, demo_server: str, path: str, language: str
) -> None:
    page.goto(f"{demo_server}{path}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    assert serious_violations(page) == []


def test_language_switch_and_dataset_form_work_by_clicking(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/zones")
    page.get_by_role("link", name="Nederlands").click()
    assert page.locator("h1").inner_text() == "Politiezones en hun incidenten"
    page.get_by_role("button", name="Tonen").click()
    assert "dataset=demo-brussels-synthetic" in page.url
    assert page.locator("table.counts tbody tr").count() == 6
    screenshot(page, "shell-zones-nl")


def test_map_renders_with_every_zone_labelled(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/zones?lang=en")
    zones = page.locator("figure.map svg g[data-zone]")
    assert zones.count() == 6
    box = page.locator("figure.map svg").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    screenshot(page, "shell-zones-en")
