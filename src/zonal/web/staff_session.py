"""Back-office sessions: a random id in a cookie, the session itself on the server.

The cookie holds only 256 random bits; the server keeps who is logged in, when the session
began and was last used, the reasons given for opening cases, and one notice to show. The
store is keyed by the SHA-256 of the id, so a dump of the store cannot be replayed as cookies.

A session ends after `IDLE` without a request, after `ABSOLUTE` in any case, and at logout.
Logging in always makes a new id (no session fixation). `MemorySessionStore` serves one worker
process; `RedisSessionStore` is shared by every worker and server of a deployment.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from fastapi import Request
from starlette.responses import Response

from zonal.web.security import RedisKeys

SESSION_COOKIE = "zonal_staff"
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=10)  # one long shift, then log in again
MAX_REASONS = 50  # reasons remembered per session (one per opened case)


@dataclass(frozen=True)
class StaffSession:
    """What the server remembers about one logged-in staff member."""

    staff_id: int
    started: datetime
    last_seen: datetime
    reasons: dict[str, str] = field(default_factory=dict)  # case reference -> justification
    notice: str = ""  # one message for the next page ("Case triaged.")


class SessionStore(Protocol):
    """Where sessions live; keys are digests of the cookie's id."""

    def get(self, key: str) -> StaffSession | None: ...
    def put(self, key: str, session: StaffSession) -> None: ...
    def delete(self, key: str) -> None: ...


class MemorySessionStore:
    """Sessions in this process's memory: lost at restart (staff log in again)."""

    def __init__(self) -> None:
        self._sessions: dict[str, StaffSession] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> StaffSession | None:
        with self._lock:
            return self._sessions.get(key)

    def put(self, key: str, session: StaffSession) -> None:
        with self._lock:
            self._sessions[key] = session

    def delete(self, key: str) -> None:
        with self._lock:
            self._sessions.pop(key, None)


class RedisSessionStore:
    """Sessions in Redis as JSON, each key expiring when its session would (idle or absolute)."""

    def __init__(self, client: RedisKeys, prefix: str = "zonal:session:") -> None:
        self._client = client
        self._prefix = prefix

    def get(self, key: str) -> StaffSession | None:
        raw = self._client.get(self._prefix + key)
        return None if raw is None else _from_json(raw)

    def put(self, key: str, session: StaffSession) -> None:
        # Sessions.current still checks expiry on its own clock; the TTL only clears leftovers.
        until = min(session.last_seen + IDLE, session.started + ABSOLUTE)
        pxat = max(1, int(until.timestamp() * 1000))
        self._client.set(self._prefix + key, _to_json(session), pxat=pxat)

    def delete(self, key: str) -> None:
        self._client.delete(self._prefix + key)


def _to_json(session: StaffSession) -> str:
    return json.dumps(
        {
            "staff_id": session.staff_id,
            "started": session.started.isoformat(),
            "last_seen": session.last_seen.isoformat(),
            "reasons": session.reasons,
            "notice": session.notice,
        }
    )


def _from_json(raw: str | bytes) -> StaffSession:
    data: dict[str, Any] = json.loads(raw)
    return StaffSession(
        staff_id=int(data["staff_id"]),
        started=datetime.fromisoformat(data["started"]),
        last_seen=datetime.fromisoformat(data["last_seen"]),
        reasons={str(k): str(v) for k, v in data["reasons"].items()},
        notice=str(data["notice"]),
    )


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _expired(session: StaffSession, now: datetime) -> bool:
    return now - session.last_seen > IDLE or now - session.started > ABSOLUTE


class Sessions:
    """Starts, reads, updates and ends staff sessions over a `SessionStore`."""

    def __init__(
        self, store: SessionStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._store = store
        self._clock = clock

    def start(self, request: Request, response: Response, staff_id: int) -> None:
        """Begin a session under a new id, ending any session the browser had before."""
        self.end(request, response)
        session_id, now = secrets.token_urlsafe(32), self._clock()
        self._store.put(_digest(session_id), StaffSession(staff_id, now, now))
        response.set_cookie(
            SESSION_COOKIE,
            session_id,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/office",
        )

    def current(self, request: Request) -> StaffSession | None:
        """The request's live session (its last use refreshed), or None."""
        key = self._key(request)
        session = self._store.get(key) if key else None
        if key is None or session is None:
            return None
        now = self._clock()
        if _expired(session, now):
            self._store.delete(key)
            return None
        fresh = replace(session, last_seen=now)
        self._store.put(key, fresh)
        return fresh

    def update(self, request: Request, session: StaffSession) -> None:
        """Store a changed session (a reason remembered, a notice set or shown)."""
        key = self._key(request)
        if key is not None and self._store.get(key) is not None:
            self._store.put(key, session)

    def end(self, request: Request, response: Response) -> None:
        """Forget the request's session on the server and in the browser."""
        key = self._key(request)
        if key is not None:
            self._store.delete(key)
        response.delete_cookie(
            SESSION_COOKIE,
            path="/office",
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )

    @staticmethod
    def _key(request: Request) -> str | None:
        session_id = request.cookies.get(SESSION_COOKIE)
        if not session_id or len(session_id) != 43:
            return None
        return _digest(session_id)


def remember_reason(session: StaffSession, reference: str, reason: str) -> StaffSession:
    """The session with `reason` kept for `reference` (the oldest dropped past MAX_REASONS)."""
    reasons = {k: v for k, v in session.reasons.items() if k != reference}
    reasons[reference] = reason
    while len(reasons) > MAX_REASONS:
        reasons.pop(next(iter(reasons)))
    return replace(session, reasons=reasons)


def _secure(request: Request) -> bool:
    # Secure everywhere, except plain HTTP on the loopback address of a developer's machine.
    local = request.url.hostname in {"localhost", "127.0.0.1", "::1"}
    return request.url.scheme == "https" or not local
