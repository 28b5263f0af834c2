"""Case references and the secret receipt code that lets a victim follow a case.

The reference ("ZON-2026-000123") is not secret: it is printed on the acknowledgement and said
on the phone. The receipt code is: 20 symbols of Crockford's base32 (100 bits), shown in
five groups of four, and only its Argon2id hash is stored, so a copy of the database does not
open any case. Crockford's alphabet has no I, L, O or U, and reading maps those typos back.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from zonal.errors import ConfigurationError, InputError

PREFIX = "ZON"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_SYMBOLS = 20
GROUP = 4
ENTROPY_BITS = CODE_SYMBOLS * 5
_REFERENCE = re.compile(rf"{PREFIX}-(\d{{4}})-(\d{{6,}})")
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def format_reference(year: int, sequence: int) -> str:
    """The reference of the `sequence`-th case of `year`, e.g. ZON-2026-000123."""
    if not (2000 <= year <= 9999 and sequence >= 1):
        raise InputError(f"no reference for year {year} and number {sequence}")
    return f"{PREFIX}-{year:04d}-{sequence:06d}"


def parse_reference(text: str) -> str | None:
    """The reference in canonical form, or None when `text` is not shaped like one."""
    candidate = re.sub(r"\s", "", text).upper()[:40]
    return candidate if _REFERENCE.fullmatch(candidate) else None


def new_receipt_code() -> str:
    """A fresh random receipt code, grouped for reading: XXXX-XXXX-XXXX-XXXX-XXXX."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(CODE_SYMBOLS))
    return "-".join(symbols[i : i + GROUP] for i in range(0, CODE_SYMBOLS, GROUP))


def canonical_code(text: str) -> str:
    """What a typed code means: case, spaces, hyphens and I/L/O typos do not matter."""
    return re.sub(r"[\s-]", "", text).upper().translate(_TYPOS)[: CODE_SYMBOLS * 2]


@dataclass(frozen=True)
class SecretHasher:
    """Argon2id for receipt codes and passwords; cost parameters per RFC 9106 by default.

    Tests may lower the cost; production keeps the defaults (64 MiB, 3 passes).
    """

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1

    def __post_init__(self) -> None:
        if self.time_cost < 1 or self.memory_kib < 8 * self.parallelism:
            raise ConfigurationError(
                f"Argon2id costs {self.time_cost}/{self.memory_kib} KiB are too low"
            )

    def _hasher(self) -> PasswordHasher:
        return PasswordHasher(self.time_cost, self.memory_kib, self.parallelism)

    def hash(self, secret: str) -> str:
        return self._hasher().hash(secret)

    def verify(self, hashed: str, secret: str) -> bool:
        """Whether `secret` matches `hashed`; False for any malformed hash too."""
        try:
            return self._hasher().verify(hashed, secret)
        except (VerificationError, InvalidHashError):
            return False

    def dummy_verify(self, secret: str) -> None:
        """Spend the time of a real check, so an unknown name or reference takes as long."""
        self.verify(self._dummy, secret)

    @property
    def _dummy(self) -> str:
        return _dummy_hash(self)


_DUMMIES: dict[SecretHasher, str] = {}


def _dummy_hash(hasher: SecretHasher) -> str:
    if hasher not in _DUMMIES:
        _DUMMIES[hasher] = hasher.hash(secrets.token_hex(16))
    return _DUMMIES[hasher]


def hash_receipt(hasher: SecretHasher, code: str) -> str:
    return hasher.hash(canonical_code(code))


def verify_receipt(hasher: SecretHasher, hashed: str, code: str) -> bool:
    return hasher.verify(hashed, canonical_code(code))
