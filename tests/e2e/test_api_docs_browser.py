"""The API reference at /docs in a real browser, under the site's own CSP (not bypassed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import screenshot


@pytest.fixture
def strict_page(browser: Any) -> Iterator[Any]:
    """A page that obeys the Content-Security-Policy, so a blocked script fails the test."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_docs_render_the_openapi_31_operations(strict_page: Any, demo_server: str) -> None:
    errors: list[str] = []
    strict_page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    strict_page.goto(f"{demo_server}/docs")
    operations = strict_page.locator(".opblock-summary-path")
    operations.first.wait_for(timeout=15000)
    paths = operations.all_inner_texts()
    assert any(path.startswith("/api/zones") for path in paths), paths
    assert "/api/zones" in strict_page.locator("#swagger-ui").inner_text()
    assert "valid version field" not in strict_page.locator("body").inner_text()
    assert errors == []
    screenshot(strict_page, "api-docs")
