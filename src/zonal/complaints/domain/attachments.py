"""Upload checks for attachments (screenshots, PDFs): the type comes from the content's
magic bytes, never from the name or the browser's claim, and the size is limited.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from zonal.errors import InputError

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_CASE = 10
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/pdf": (".pdf",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
}


@dataclass(frozen=True)
class CheckedUpload:
    filename: str  # a safe display name: no path, no control characters, 120 characters
    media_type: str
    size_bytes: int
    sha256: str


def check_upload(filename: str, content: bytes, max_bytes: int = MAX_BYTES) -> CheckedUpload:
    """Accept PNG, JPEG, GIF, WebP and PDF files up to `max_bytes`.

    Raises:
        InputError: an empty or oversized file, or content of another type.
    """
    if not content or len(content) > max_bytes:
        raise InputError(
            f"file {safe_name(filename)!r} has {len(content)} bytes; send 1 byte to"
            f" {max_bytes // (1024 * 1024)} MB"
        )
    media_type = _sniff(content)
    if media_type is None:
        raise InputError(
            f"file {safe_name(filename)!r} is not a PNG, JPEG, GIF, WebP image or a PDF;"
            " send a screenshot or a PDF"
        )
    digest = hashlib.sha256(content).hexdigest()
    return CheckedUpload(safe_name(filename), media_type, len(content), digest)


def safe_name(filename: str) -> str:
    """The last path part, NFC, without control or bidi characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", filename)[-1])
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return name.strip(" .")[:120] or "attachment"


def download_name(filename: str, media_type: str) -> str:
    """`filename` with an extension of its checked `media_type`: "poly.html" holding a PNG is
    offered as "poly.png", so that opening the saved file never runs it as a page."""
    extensions = _EXTENSIONS.get(media_type, (".bin",))
    stem, dot, suffix = filename.rpartition(".")
    if dot and f".{suffix.lower()}" in extensions:
        return filename
    return f"{stem if dot and stem else filename}{extensions[0]}"


def _sniff(content: bytes) -> str | None:
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _SIGNATURES if content.startswith(magic)), None)
