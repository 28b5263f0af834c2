"""Demo mode: the demo staff accounts exist, and the login page shows how to use them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zonal.bootstrap import Store, complaints_setup, open_store
from zonal.services.demo import DEMO_PASSWORD, DEMO_STAFF, seed_demo_staff
from zonal.settings import Settings
from zonal.web.app import create_app

CODE = re.compile(r"<td><code>demo-intake</code></td>.*?<td><code>(\d{6})</code></td>", re.S)


def settings(tmp_path: Path, demo: bool) -> Settings:
    return Settings(data_dir=tmp_path, demo_mode=demo, data_key=None if demo else "A" * 43 + "=")


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(settings(tmp_path, demo=True))
    yield store
    store.dispose()


def test_seeding_creates_the_demo_accounts_once(tmp_path: Path, demo_store: Store) -> None:
    setup = complaints_setup(demo_store, settings(tmp_path, demo=True))
    assert seed_demo_staff(setup) == len(DEMO_STAFF)
    assert seed_demo_staff(setup) == 0


def test_demo_login_page_shows_working_accounts_and_codes(
    tmp_path: Path, demo_store: Store
) -> None:
    demo = settings(tmp_path, demo=True)
    seed_demo_staff(complaints_setup(demo_store, demo))
    with TestClient(create_app(demo, demo_store), base_url="https://testserver") as client:
        page = client.get("/office/login")
        assert "Demo accounts" in page.text and DEMO_PASSWORD in page.text
        assert "Intake officer" in page.text, "roles are shown by their names"
        found = CODE.search(page.text)
        assert found, "the intake officer's current code is shown"
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        form = {
            "username": "demo-intake",
            "password": DEMO_PASSWORD,
            "code": found[1],
            "csrf_token": token[1],
        }
        response = client.post("/office/login", data=form, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/office/queue"


def test_outside_demo_mode_no_account_is_shown(tmp_path: Path) -> None:
    real = settings(tmp_path, demo=False)
    store = open_store(real)
    with TestClient(create_app(real, store)) as client:
        page = client.get("/office/login")
    store.dispose()
    assert page.status_code == 200
    assert "Demo accounts" not in page.text and DEMO_PASSWORD not in page.text
