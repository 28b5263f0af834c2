"""The acknowledgement after filing, shown once (POST-redirect-GET).

Answering the filing POST with the acknowledgement itself meant that reloading it filed the
complaint again. Now the POST keeps the receipt on the server under a random token, puts the
token in a cookie and redirects (303) to the acknowledgement page, which takes the receipt out
(single use) and clears the cookie. Reloading finds nothing and points to /follow; nothing
files again. The receipt code never appears in a URL.

`MemoryReceipts` lives in this process's memory, like the rate limits: a deployment with
several workers needs a shared store behind the same `ReceiptStore` protocol.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from typing import Protocol

from fastapi import Request
from starlette.responses import Response

from zonal.complaints.views import SubmissionReceipt
from zonal.web.deps import on_app_state

ACKNOWLEDGEMENT_PATH = "/acknowledgement"
ACK_COOKIE = "zonal_ack"
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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def receipts_of(request: Request) -> ReceiptStore:
    store: ReceiptStore = on_app_state(request, "portal_receipts", MemoryReceipts)
    return store


def keep_receipt(request: Request, response: Response, receipt: SubmissionReceipt) -> None:
    """Keep the receipt for the acknowledgement page and give the browser its token."""
    token = receipts_of(request).put(receipt)
    response.set_cookie(
        ACK_COOKIE,
        token,
        max_age=TTL_SECONDS,
        path=ACKNOWLEDGEMENT_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def take_receipt(request: Request) -> SubmissionReceipt | None:
    """The receipt to show now; the next call finds nothing."""
    token = request.cookies.get(ACK_COOKIE, "")
    return receipts_of(request).take(token[:100]) if token else None


def forget_receipt(request: Request, response: Response) -> None:
    """Clear the token's cookie: the browser has no use for it any more."""
    response.delete_cookie(
        ACK_COOKIE,
        path=ACKNOWLEDGEMENT_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
