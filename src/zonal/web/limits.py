"""A cap on request bodies, applied before anything reads them.

A declared Content-Length over the cap is refused at once; a chunked body is counted as it
streams and cut off at the cap. Either way the client gets one 413 page (or JSON for the API),
and the application's own answer to the cut-off body, if any, is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zonal.complaints.domain.attachments import MAX_BYTES
from zonal.web.routes.portal_support import MAX_FILES

# The largest honest post: a complaint with its files, one more file than allowed (so that the
# form can say "at most 5 files"), and the form's fields.
MAX_BODY_BYTES = (MAX_FILES + 1) * MAX_BYTES + 1024 * 1024
TooLarge = Callable[[Request], Response]


class BodyLimit:
    """ASGI middleware refusing bodies over `max_bytes` with `too_large(request)` (a 413)."""

    def __init__(self, app: ASGIApp, too_large: TooLarge, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.too_large, self.max_bytes = app, too_large, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared(scope) > self.max_bytes:
            await self.too_large(Request(scope))(scope, receive, send)
            return
        await self._streamed(scope, receive, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send) -> None:
        received, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True  # the app sees a disconnect and stops reading
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if not over:
                started = True
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:  # an error of the app's own; a cut-off body's errors are ours
                raise
        if over and not started:
            await self.too_large(Request(scope))(scope, receive, send)


def _declared(scope: Scope) -> int:
    """The Content-Length the client declared (0 without one, over any cap when unreadable)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 2**63
    return 0
