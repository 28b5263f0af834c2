"""End-to-end fixtures: Zonal configured as a user would, with its store in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zonal.settings import get_settings


@pytest.fixture
def zonal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ZONAL_DATA_DIR in a temporary folder (SQLite store, rejects), settings re-read."""
    monkeypatch.setenv("ZONAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ZONAL_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
