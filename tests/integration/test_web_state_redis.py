"""Sessions, receipts and rate limits in the real local Redis, shared by several workers.

Each test writes under its own key prefix (or, over HTTP, under keys only it can make) in
database 15 and removes them afterwards. Without Redis at 127.0.0.1:6379 these tests skip on a
user's machine and fail under CI=true.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import require
from tests.factories import RECEIPT, build_office, post_form
from zonal.bootstrap import open_store
from zonal.complaints.domain.staff import Role
from zonal.errors import ConfigurationError
from zonal.settings import Settings
from zonal.web.app import create_app
from zonal.web.receipt_store import TTL_SECONDS, MemoryReceipts, RedisReceipts
from zonal.web.security import Limit, RateLimited, RateLimiter, RedisCounter
from zonal.web.staff_session import (
    ABSOLUTE,
    IDLE,
    SESSION_COOKIE,
    RedisSessionStore,
    StaffSession,
)
from zonal.web.state import WebState, build_web_state

REDIS_URL = "redis://127.0.0.1:6379/15"


def _client() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)


@pytest.fixture
def workers() -> Iterator[tuple[redis.Redis, redis.Redis]]:
    """Two clients (two connection pools, as two worker processes have) to the local Redis."""
    first, second = _client(), _client()
    try:
        reachable = bool(first.ping())
    except redis.RedisError:
        reachable = False
    require(reachable, f"no Redis at {REDIS_URL}")
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def prefix(workers: tuple[redis.Redis, redis.Redis]) -> Iterator[str]:
    """A key prefix of this test's own, its keys deleted afterwards."""
    mine = f"zonal:test:{uuid.uuid4().hex}:"
    yield mine
    keys = list(workers[0].scan_iter(match=mine + "*"))
    if keys:
        workers[0].delete(*keys)


def test_a_session_round_trips_and_its_key_lives_as_long_as_the_session(
    workers: tuple[redis.Redis, redis.Redis], prefix: str
) -> None:
    now = datetime.now(UTC)
    session = StaffSession(7, now - timedelta(hours=1), now, {"ZON-1": "triage"}, "Saved.")
    RedisSessionStore(workers[0], prefix).put("k", session)
    assert RedisSessionStore(workers[1], prefix).get("k") == session
    assert IDLE - timedelta(minutes=1) < timedelta(milliseconds=workers[0].pttl(prefix + "k"))
    assert timedelta(milliseconds=workers[0].pttl(prefix + "k")) <= IDLE


def test_a_session_near_its_absolute_limit_keeps_its_key_only_until_then(
    workers: tuple[redis.Redis, redis.Redis], prefix: str
) -> None:
    now = datetime.now(UTC)
    store = RedisSessionStore(workers[0], prefix)
    store.put("late", StaffSession(1, now - ABSOLUTE + timedelta(minutes=5), now))
    assert timedelta(milliseconds=workers[0].pttl(prefix + "late")) <= timedelta(minutes=5)


def test_an_expired_session_is_gone_and_a_deleted_one_too(
    workers: tuple[redis.Redis, redis.Redis], prefix: str
) -> None:
    now = datetime.now(UTC)
    store = RedisSessionStore(workers[0], prefix)
    store.put("idle", StaffSession(1, now - IDLE * 2, now - IDLE - timedelta(seconds=1)))
    store.put("over", StaffSession(1, now - ABSOLUTE - timedelta(seconds=1), now))
    store.put("live", StaffSession(1, now, now))
    store.delete("live")
    assert [store.get(key) for key in ("idle", "over", "live")] == [None, None, None]


def test_a_receipt_is_taken_once_even_by_two_workers_at_the_same_time(
    workers: tuple[redis.Redis, redis.Redis], prefix: str
) -> None:
    first, second = (RedisReceipts(client, prefix=prefix) for client in workers)
    token = first.put(RECEIPT)
    assert TTL_SECONDS - 60 < workers[0].ttl(prefix + hashlib.sha256(token.encode()).hexdigest())
    with ThreadPoolExecutor(max_workers=8) as pool:
        taken = list(pool.map(lambda i: (first, second)[i % 2].take(token), range(16)))
    assert [found for found in taken if found is not None] == [RECEIPT]
    assert second.take(token) is None and first.take("unknown-token") is None


def test_rate_limits_count_across_workers(
    workers: tuple[redis.Redis, redis.Redis], prefix: str
) -> None:
    limit = Limit("login", attempts=3, window_seconds=60)
    first, second = (RateLimiter(RedisCounter(client, prefix)) for client in workers)
    for limiter in (first, second, first):
        limiter.check(limit, "10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        second.check(limit, "10.0.0.1")
    assert 0 < refused.value.retry_after <= 60
    second.check(limit, "10.0.0.2")  # another client keeps its own count


def test_without_a_redis_url_the_state_stays_in_memory() -> None:
    state = build_web_state(Settings(redis_url=None))
    assert isinstance(state.receipts, MemoryReceipts)


def test_an_unreachable_or_malformed_redis_url_fails_saying_which_setting() -> None:
    with pytest.raises(ConfigurationError, match="ZONAL_REDIS_URL"):
        build_web_state(Settings(redis_url="redis://127.0.0.1:1/0"))
    with pytest.raises(ValueError, match="redis://"):
        Settings(redis_url="http://127.0.0.1:6379")


def _browser(app: FastAPI, host: str) -> TestClient:
    return TestClient(app, base_url="https://testserver", follow_redirects=False, client=(host, 1))


def test_two_apps_on_the_same_redis_share_a_staff_session(
    workers: tuple[redis.Redis, redis.Redis], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONAL_REDIS_URL", REDIS_URL)
    office = build_office(tmp_path)  # app A, its settings from the environment
    app_b = create_app(Settings(data_dir=tmp_path), office.store)
    alone = create_app(Settings(data_dir=tmp_path, redis_url=None), office.store)
    app_b.state.complaints = alone.state.complaints = office.setup
    username, host = f"w{uuid.uuid4().hex[:12]}", f"10.9.{uuid.uuid4().int % 250}.7"
    on_a, on_b, elsewhere = (_browser(app, host) for app in (office.app, app_b, alone))
    try:
        office.account(username, Role.INTAKE_OFFICER, "5339")
        office.login(username, on_a)
        on_b.cookies = elsewhere.cookies = on_a.cookies
        queue = on_b.get("/office/queue")
        assert queue.status_code == 200 and f"Logged in as {username.title()}" in queue.text
        # The same cookie means nothing to an app that keeps sessions in its own memory.
        assert elsewhere.get("/office/queue").headers["location"] == "/office/login"
        assert post_form(on_b, "/office/queue", "/office/logout").status_code == 303
        assert on_a.get("/office/queue").headers["location"] == "/office/login"
    finally:
        workers[0].delete(
            f"zonal:rate:office-login-address:{host}",
            f"zonal:rate:office-login-username:{username}",
        )
        office.store.dispose()


def test_when_redis_stops_answering_requests_get_503_not_a_crash(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, redis_url=None, demo_mode=True)
    app = create_app(settings, open_store(settings))
    gone = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)  # nothing listens
    app.state.web_state = WebState(
        RedisSessionStore(gone, "zonal:session:"), RedisReceipts(gone), RedisCounter(gone, "r:")
    )
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    client.cookies[SESSION_COOKIE] = "x" * 43
    page = client.get("/office/queue")
    assert page.status_code == 503 and page.headers["retry-after"] == "30"
    assert "briefly unavailable" in page.text and "Traceback" not in page.text
    api = client.get("/office/queue", headers={"accept": "application/json"})
    assert api.json()["status"] == 503
