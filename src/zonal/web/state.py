"""The web app's shared state: staff sessions, acknowledgement receipts and rate-limit counts.

One place chooses where they live. Without ZONAL_REDIS_URL they stay in this process's memory
(one worker: `zonal serve`, tests). With it, all three go to Redis, so that several workers
(`uvicorn --workers N`) or several servers behind a load balancer see the same sessions,
receipts and counts. Routes reach them through `app.state`, which tests may fill beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from fastapi import Request

from zonal.errors import ConfigurationError
from zonal.settings import Settings
from zonal.web.deps import on_app_state
from zonal.web.receipt_store import MemoryReceipts, ReceiptStore, RedisReceipts
from zonal.web.security import Counter, MemoryCounter, RedisCounter
from zonal.web.staff_session import MemorySessionStore, RedisSessionStore, SessionStore


@dataclass(frozen=True)
class WebState:
    """The three stores the web app keeps between requests."""

    sessions: SessionStore
    receipts: ReceiptStore
    counter: Counter


def build_web_state(settings: Settings, prefix: str = "zonal:") -> WebState:
    """Redis-backed stores when `settings.redis_url` is set, else in-memory ones.

    Raises:
        ConfigurationError: Redis is configured but does not answer.
    """
    if not settings.redis_url:
        return WebState(MemorySessionStore(), MemoryReceipts(), MemoryCounter())
    client = connect_redis(settings.redis_url)
    return WebState(
        RedisSessionStore(client, prefix + "session:"),
        RedisReceipts(client, prefix=prefix + "receipt:"),
        RedisCounter(client, prefix + "rate:"),
    )


def connect_redis(url: str) -> redis.Redis:
    """A client for `url`, checked once so a wrong address fails clearly, not on a login."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        where = client.connection_pool.connection_kwargs
        raise ConfigurationError(
            f"cannot reach Redis at {where.get('host', where.get('path'))}:"
            f"{where.get('port', '')} (ZONAL_REDIS_URL): {exc}; start Redis there or "
            "correct the URL"
        ) from exc
    return client


def web_state_of(request: Request) -> WebState:
    """The app's stores, built from its settings on first use."""
    state: WebState = on_app_state(
        request, "web_state", lambda: build_web_state(request.app.state.settings)
    )
    return state
