"""Fixtures shared by every test layer.

Tests that need the reference data in ../shared/data or the local PostgreSQL skip with a
reason on a user's machine without them; under CI=true they fail instead, never skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("ZONAL_SHARED_DATA", ROOT.parent / "shared" / "data"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip the test with `reason` when `condition` fails; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real reference data sets, ../shared/data beside the project."""
    require(SHARED_DATA.is_dir(), f"reference data folder {SHARED_DATA} is absent")
    return SHARED_DATA


POSTGRES_URL = os.environ.get(
    "ZONAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
