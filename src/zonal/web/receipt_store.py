"""Where acknowledgement receipts wait for their one showing (see routes/portal_receipts.py).

A receipt is kept under the SHA-256 of a random token, so a dump of the store cannot be
turned into cookies. `MemoryReceipts` serves one worker process; `RedisReceipts` is shared by
every worker and server, and takes a receipt out with one atomic GETDEL so that two workers
answering the same token at once cannot both show it.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from typing import Protocol

from zonal.complaints.views import SubmissionReceipt
from zonal.web.security import RedisKeys

# Long enough for a slow redirect, short enough that an abandoned receipt does not linger.
TTL_SECONDS = 600


class ReceiptStore(Protocol):
    """Receipts waiting to be shown, each at most once."""

    def put(self, receipt: SubmissionReceipt) -> str: ...
    def take(self, token: str) -> SubmissionReceipt | None: ...


class MemoryReceipts:
    """Receipts in memory under the SHA-256 of their token, forgotten after `ttl_seconds`."""

    def __init__(
        self, ttl_seconds: int = TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl, self._clock = ttl_seconds, clock
        self._waiting: dict[str, tuple[float, SubmissionReceipt]] = {}
        self._lock = threading.Lock()

    def put(self, receipt: SubmissionReceipt) -> str:
        """Keep `receipt`; returns the token that takes it out."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            self._forget_expired(now)
            self._waiting[_digest(token)] = (now + self._ttl, receipt)
        return token

    def take(self, token: str) -> SubmissionReceipt | None:
        """The receipt kept under `token`, removed; None if unknown, taken or expired."""
        with self._lock:
            found = self._waiting.pop(_digest(token), None)
        if found is None or found[0] < self._clock():
            return None
        return found[1]

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, (until, _) in self._waiting.items() if until < now]:
            del self._waiting[key]


class RedisReceipts:
    """Receipts in Redis as JSON, expiring after `ttl_seconds`, each taken out at most once."""

    def __init__(
        self, client: RedisKeys, ttl_seconds: int = TTL_SECONDS, prefix: str = "zonal:receipt:"
    ) -> None:
        self._client, self._ttl, self._prefix = client, ttl_seconds, prefix

    def put(self, receipt: SubmissionReceipt) -> str:
        """Keep `receipt`; returns the token that takes it out."""
        token = secrets.token_urlsafe(32)
        self._client.set(self._prefix + _digest(token), receipt.model_dump_json(), ex=self._ttl)
        return token

    def take(self, token: str) -> SubmissionReceipt | None:
        """The receipt kept under `token`, removed; None if unknown, taken or expired."""
        raw = self._client.getdel(self._prefix + _digest(token))
        return None if raw is None else SubmissionReceipt.model_validate_json(raw)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
