"""Personal data encrypted at rest with AES-256-GCM, and blind indexes to link identifiers.

One 32-byte master key, from `ZONAL_DATA_KEY` (base64) or the file `ZONAL_DATA_KEY_FILE`,
yields three subkeys through HKDF: one encrypts, one computes HMAC "blind indexes" of
normalised identifiers, so that complaints sharing an IBAN are found without the IBAN being
stored in clear, and one keys the hash chain of the Art. 25 log. There is no default key:
outside demo mode a missing key stops Zonal. Demo mode derives a fixed, publicly known key
and logs that it does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from zonal.errors import ConfigurationError
from zonal.settings import Settings

log = logging.getLogger("zonal.complaints")
KEY_BYTES = 32
_VERSION = b"\x01"  # first byte of every ciphertext, so a later key or scheme can coexist
_NONCE_BYTES = 12


def generate_key() -> str:
    """A fresh master key, base64 encoded, for ZONAL_DATA_KEY or a key file."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


class FieldCipher:
    """Encrypts and decrypts personal fields; `aad` binds a ciphertext to its row and column.

    The callers name the row: a case row by its reference (mapping.py), a child row by its
    table, case, position and column (children.py), an account by its username.
    """

    def __init__(self, master_key: bytes, *, demo: bool = False) -> None:
        if len(master_key) != KEY_BYTES:
            raise ConfigurationError(
                f"the data key has {len(master_key)} bytes; it must have {KEY_BYTES}"
                " (generate one with zonal.storage.complaints.crypto.generate_key)"
            )
        self._aead = AESGCM(_derive(master_key, b"zonal field encryption v1"))
        self._index_key = _derive(master_key, b"zonal blind index v1")
        # The Art. 25 chain's HMAC key (storage/complaints/audit.py): its own subkey, so that
        # neither the raw master key nor the other subkeys ever key a MAC over the log.
        self.audit_key = _derive(master_key, b"zonal audit chain v1")
        self.demo = demo

    def encrypt(self, plaintext: str, aad: str) -> bytes:
        return self.encrypt_bytes(plaintext.encode("utf-8"), aad)

    def decrypt(self, ciphertext: bytes, aad: str) -> str:
        """The plaintext; ConfigurationError when the key is wrong or the data was altered."""
        return self.decrypt_bytes(ciphertext, aad).decode("utf-8")

    def encrypt_bytes(self, plaintext: bytes, aad: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, aad.encode("utf-8"))

    def decrypt_bytes(self, ciphertext: bytes, aad: str) -> bytes:
        if ciphertext[:1] != _VERSION:
            raise ConfigurationError("encrypted field has an unknown format version")
        nonce, sealed = ciphertext[1 : 1 + _NONCE_BYTES], ciphertext[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, sealed, aad.encode("utf-8"))
        except InvalidTag:
            raise ConfigurationError(
                "an encrypted field does not open with this data key: the key is not the one"
                " the data was written with, or the stored value was altered"
            ) from None

    def encrypt_json(self, value: Any, aad: str) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True), aad)

    def decrypt_json(self, ciphertext: bytes, aad: str) -> Any:
        return json.loads(self.decrypt(ciphertext, aad))

    def blind_index(self, kind: str, value: str) -> str:
        """A keyed hash of a normalised identifier: equal values give equal indexes."""
        message = f"{kind}:{value}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


def cipher_from_settings(settings: Settings) -> FieldCipher:
    """The cipher for the configured key.

    Raises:
        ConfigurationError: no key outside demo mode, both settings given, or a malformed key.
    """
    if settings.data_key is not None and settings.data_key_file is not None:
        raise ConfigurationError("set ZONAL_DATA_KEY or ZONAL_DATA_KEY_FILE, not both")
    if settings.data_key is not None:
        return FieldCipher(_decode(settings.data_key.get_secret_value(), "ZONAL_DATA_KEY"))
    if settings.data_key_file is not None:
        return FieldCipher(_decode(_read_key_file(settings.data_key_file), "ZONAL_DATA_KEY_FILE"))
    if settings.demo_mode:
        log.warning("demo mode: personal data is encrypted with a publicly known demo key")
        return FieldCipher(hashlib.sha256(b"zonal demo key - not secret").digest(), demo=True)
    raise ConfigurationError(
        "no data key: set ZONAL_DATA_KEY (32 bytes, base64) or ZONAL_DATA_KEY_FILE to encrypt"
        " complaints at rest; only ZONAL_DEMO_MODE=true runs without one"
    )


def _read_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the data key file {path}: {exc}") from exc


def _decode(text: str, setting: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            f"{setting} is not base64; generate a key with generate_key()"
        ) from None


def _derive(master_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(
        master_key
    )
