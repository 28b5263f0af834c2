"""The acknowledgement after filing, shown once (POST-redirect-GET).

Answering the filing POST with the acknowledgement itself meant that reloading it filed the
complaint again. Now the POST keeps the receipt on the server under a random token, puts the
token in a cookie and redirects (303) to the acknowledgement page, which takes the receipt out
(single use) and clears the cookie. Reloading finds nothing and points to /follow; nothing
files again. The receipt code never appears in a URL.

The receipts wait in the store that `zonal.web.state` builds from the settings: in memory for
one worker, in Redis (ZONAL_REDIS_URL) when several workers or servers share the site.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from zonal.complaints.views import SubmissionReceipt
from zonal.web.deps import on_app_state
from zonal.web.receipt_store import TTL_SECONDS, ReceiptStore
from zonal.web.receipt_store import MemoryReceipts as MemoryReceipts  # where tests look
from zonal.web.state import web_state_of

ACKNOWLEDGEMENT_PATH = "/acknowledgement"
ACK_COOKIE = "zonal_ack"


def receipts_of(request: Request) -> ReceiptStore:
    store: ReceiptStore = on_app_state(
        request, "portal_receipts", lambda: web_state_of(request).receipts
    )
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
