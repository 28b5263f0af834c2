"""Attachment contents on disk, encrypted with the data key, outside any web root.

Files are named by a random key, so nothing about the case or the victim shows in the
folder; the associated data binds each file to its key.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from zonal.errors import NotFoundError
from zonal.storage.complaints.crypto import FieldCipher


class EncryptedFileStore:
    """Args: folder: e.g. settings.data_dir / "attachments"; cipher: the data-key cipher."""

    def __init__(self, folder: Path, cipher: FieldCipher) -> None:
        self.folder, self.cipher = folder, cipher

    def put(self, content: bytes) -> str:
        """Store `content`; returns its storage key."""
        key = secrets.token_hex(20)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._path(key).write_bytes(self.cipher.encrypt_bytes(content, f"file:{key}"))
        return key

    def get(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise NotFoundError(f"attachment {key[:12]}… is not in {self.folder}")
        return self.cipher.decrypt_bytes(path.read_bytes(), f"file:{key}")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        if not (len(key) == 40 and all(c in "0123456789abcdef" for c in key)):
            raise NotFoundError(f"{key[:12]!r} is not an attachment key")
        return self.folder / f"{key}.bin"
