"""Form and abuse protection shared by the citizen portal and the back office.

CSRF: the double-submit pattern. A random token lives in a SameSite=Strict, HttpOnly cookie
and in a hidden field of every form; a POST is accepted only when both match. No server
secret is needed, and another site can neither read nor set the cookie.

Rate limits: a fixed-window counter per (bucket, client key), in memory for one process or
in Redis when several workers serve the same site. Exceeding a limit raises RateLimited
(HTTP 429, a TooManyAttempts of the one tree in zonal.errors) with the seconds to wait.
"""

from __future__ import annotations

import ipaddress
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Request
from starlette.responses import Response

from zonal.errors import TooManyAttempts, ZonalError

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

CSRF_COOKIE = "zonal_csrf"
CSRF_FIELD = "csrf_token"


class CsrfError(ZonalError):
    """A form post without the matching anti-forgery token (expired page or forged request)."""

    exit_code = 2
    http_status = 403


class RateLimited(TooManyAttempts):
    """Too many requests from one client in a window; the message says when to retry."""

    exit_code = 2


def csrf_token(request: Request) -> str:
    """The request's CSRF token: the cookie's, or a new one that `set_csrf_cookie` will send."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) != 43:
        token = getattr(request.state, "new_csrf_token", None) or secrets.token_urlsafe(32)
        request.state.new_csrf_token = token
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Send the token created while rendering this response, if one was."""
    token = getattr(request.state, "new_csrf_token", None)
    if token:
        secure = request.url.scheme == "https"
        response.set_cookie(
            CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, max_age=7200
        )


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form post whose hidden token does not match the cookie's.

    Raises:
        CsrfError: token missing or different.
    """
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not secrets.compare_digest(cookie, submitted):
        raise CsrfError(
            "This form has expired or did not come from this site. Reload the page and send "
            "it again."
        )


class Counter(Protocol):
    """Counts hits in a window: returns the count after this hit and seconds left."""

    def hit(self, key: str, window_seconds: int) -> tuple[int, int]: ...


class MemoryCounter:
    """Fixed-window counts in this process (one worker, tests)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        now = self._clock()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= window_seconds:
                start, count = now, 0
            self._windows[key] = (start, count + 1)
        return count + 1, max(1, int(start + window_seconds - now))


class RedisCounter:
    """Fixed-window counts in Redis, shared by every worker of a deployment."""

    def __init__(self, client: RedisLike, prefix: str = "zonal:rate:") -> None:
        self._client = client
        self._prefix = prefix

    def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        name = self._prefix + key
        pipe = self._client.pipeline()
        pipe.incr(name)
        pipe.expire(name, window_seconds, nx=True)
        pipe.ttl(name)
        count, _, ttl = pipe.execute()
        return int(count), max(1, int(ttl))


class RedisLike(Protocol):
    def pipeline(self) -> RedisPipeline: ...


class RedisPipeline(Protocol):
    def incr(self, name: str) -> object: ...
    def expire(self, name: str, time: int, nx: bool = ...) -> object: ...
    def ttl(self, name: str) -> object: ...
    def execute(self) -> list[int]: ...


class RedisKeys(Protocol):
    """The few plain-key commands of a Redis client that the session and receipt stores use."""

    def get(self, name: str) -> Any: ...
    def set(
        self, name: str, value: str, *, ex: int | None = ..., pxat: int | None = ...
    ) -> Any: ...
    def delete(self, *names: str) -> Any: ...
    def getdel(self, name: str) -> Any: ...


@dataclass(frozen=True)
class Limit:
    """At most `attempts` per `window_seconds` for one client in one bucket."""

    bucket: str
    attempts: int
    window_seconds: int


class RateLimiter:
    """Applies named limits to client keys (the IP address, a username, a case reference)."""

    def __init__(self, counter: Counter) -> None:
        self._counter = counter

    def check(self, limit: Limit, client: str) -> None:
        """Count one attempt of `client` against `limit`.

        Raises:
            RateLimited: the client is over the limit; wait the seconds it says.
        """
        count, retry_after = self._counter.hit(f"{limit.bucket}:{client}", limit.window_seconds)
        if count > limit.attempts:
            minutes = max(1, round(retry_after / 60))
            raise RateLimited(
                f"Too many attempts. Please wait about {minutes} minute(s) and try again.",
                retry_after,
            )


def client_address(request: Request) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy (setting
    trusted_proxies), the right-most X-Forwarded-For hop that is not a trusted proxy.

    Hops left of that one were written by the client and may be forged; a header from a peer
    that is not a trusted proxy is ignored altogether.
    """
    peer = request.client.host if request.client else "unknown"
    trusted = getattr(request.app.state.settings, "trusted_networks", ())
    if not _within(peer, trusted):
        return peer
    hops = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    for hop in reversed([h.strip() for h in hops if h.strip()]):
        if not _within(hop, trusted):
            return hop if _is_address(hop) else peer
    return peer


def _within(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_scheme(request: Request) -> str:
    """http or https as the client sees it: X-Forwarded-Proto counts from a trusted proxy only."""
    peer = request.client.host if request.client else "unknown"
    if _within(peer, getattr(request.app.state.settings, "trusted_networks", ())):
        forwarded = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
        if forwarded in {"http", "https"}:
            return forwarded
    return request.url.scheme
