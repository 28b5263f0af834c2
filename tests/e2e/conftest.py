"""End-to-end fixtures: Zonal configured as a user would, with its store in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.browser import (
    LAUNCH_ARGS,
    OfficeServer,
    require_chromium,
    serve_demo,
    serve_office,
)
from zonal.incidents.demo import DemoSpec
from zonal.settings import get_settings


@pytest.fixture
def zonal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ZONAL_DATA_DIR in a temporary folder (SQLite store, rejects), settings re-read."""
    monkeypatch.setenv("ZONAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ZONAL_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run (Debian's, driven by Playwright)."""
    executable = require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test; CSP bypassed so axe-core can run."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app on a live port over a store holding a week of demo data; its base URL."""
    yield from serve_demo(tmp_path_factory, DemoSpec(days=7, seed=3))


@pytest.fixture(scope="module")
def office_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeServer]:
    """The back office on a live port (demo data key), staff accounts, one complaint of 5339."""
    yield from serve_office(tmp_path_factory)
