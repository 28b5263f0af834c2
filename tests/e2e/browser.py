"""A real browser for end-to-end tests: Debian's Chromium driven by Playwright, axe-core checks.

The project's `make test` installs Chromium (as root, from Debian); without it these tests
skip with a reason, except under CI=true where they must run.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI

from tests.conftest import ROOT, require
from zonal.bootstrap import open_store
from zonal.incidents.demo import DemoSpec
from zonal.services.demo import build_demo, ensure_demo_forecast
from zonal.settings import get_settings
from zonal.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


def require_chromium() -> str:
    require(Path(CHROMIUM).exists(), "Chromium is not installed (make test installs it as root)")
    return CHROMIUM


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run `app` with uvicorn on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artefact (test-artifacts/NAME.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serve_demo(
    tmp_path_factory: pytest.TempPathFactory, spec: DemoSpec, *, forecast: bool = False
) -> Iterator[str]:
    """The web app on a live port over a new store holding the demo `spec` (and its stored
    forecast when asked); yields its base URL."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZONAL_DATA_DIR", str(tmp_path_factory.mktemp("zonal")))
        patch.delenv("ZONAL_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        store = open_store(get_settings())
        build_demo(store.uow(), spec)
        if forecast:
            ensure_demo_forecast(store.uow())
        with serving(create_app(get_settings(), store)) as url:
            yield url
        get_settings.cache_clear()
