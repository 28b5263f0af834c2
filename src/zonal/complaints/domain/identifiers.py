"""Identifiers that complaints mention, normalised so that the same one links complaints.

A victim types an IBAN with spaces, a phone number the Belgian way, a URL with a path: the
normalised value (IBAN compact upper case, phone E.164, e-mail lower case, URL host, social
handle "@name", wallet address) is the same whoever typed it and in whichever zone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from Crypto.Hash import keccak

from zonal.complaints.domain.errors import InvalidIdentifier


class IdentifierKind(StrEnum):
    IBAN = "iban"
    PHONE = "phone"
    EMAIL = "email"
    URL = "url"
    SOCIAL = "social"
    CRYPTO = "crypto"


@dataclass(frozen=True)
class Identifier:
    """An identifier as typed (`raw`) and normalised (`value`, what links complaints)."""

    kind: IdentifierKind
    value: str
    raw: str


# Lengths of the countries a Belgian victim's money most often goes to; others: 15..34.
_IBAN_LENGTHS = {
    "BE": 16,
    "NL": 18,
    "LU": 20,
    "FR": 27,
    "DE": 22,
    "GB": 22,
    "IE": 22,
    "ES": 24,
    "IT": 27,
    "PT": 25,
    "AT": 20,
    "CH": 21,
    "PL": 28,
    "RO": 24,
    "BG": 22,
    "LT": 20,
    "LV": 21,
    "EE": 20,
    "FI": 18,
    "SE": 24,
    "DK": 18,
    "NO": 15,
    "CZ": 24,
    "SK": 24,
    "HU": 28,
    "SI": 19,
    "HR": 21,
    "GR": 27,
    "CY": 28,
    "MT": 31,
    "TR": 26,
}
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_EMAIL_LOCAL = re.compile(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}")
_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")
_HANDLE = re.compile(r"[a-z0-9._-]{1,50}")
_SOCIAL_HOSTS = {
    "facebook.com",
    "instagram.com",
    "x.com",
    "twitter.com",
    "tiktok.com",
    "t.me",
    "snapchat.com",
    "linkedin.com",
    "threads.net",
    "youtube.com",
}
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def normalise(kind: IdentifierKind | str, raw: str) -> Identifier:
    """The identifier `raw` of `kind`, checked and normalised.

    Raises:
        InvalidIdentifier: the text is not a valid identifier of that kind (the message says
            what a valid one looks like).
    """
    try:
        checked = IdentifierKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in IdentifierKind)
        raise InvalidIdentifier(f"unknown identifier kind {kind!r}: use one of {kinds}") from None
    text = raw.strip()
    if not text or len(text) > 300:
        raise InvalidIdentifier(f"{checked.value} {raw[:40]!r} is empty or too long (300 max)")
    return Identifier(checked, _NORMALISERS[checked](text), text)


def normalise_iban(text: str) -> str:
    iban = re.sub(r"[\s.-]", "", text).upper()
    expected = _IBAN_LENGTHS.get(iban[:2])
    if not _IBAN.fullmatch(iban) or (expected is not None and len(iban) != expected):
        raise InvalidIdentifier(
            f"IBAN {text!r} is malformed: two letters, two check digits, then the account"
            f"{f' ({expected} characters in all for {iban[:2]})' if expected else ''}"
        )
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise InvalidIdentifier(f"IBAN {text!r} fails its check digits: a character is wrong")
    return iban


def normalise_phone(text: str, country_code: str = "32") -> str:
    """E.164 ("+32470123456"); a number starting with a single 0 is Belgian by default."""
    compact = re.sub(r"[\s().\-/]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif compact.startswith("0"):
        compact = f"+{country_code}{compact[1:]}"
    if not re.fullmatch(r"\+[1-9]\d{6,14}", compact):
        raise InvalidIdentifier(
            f"phone number {text!r} is not valid: write it like 0470 12 34 56 or +32 470 12 34 56"
        )
    if compact.startswith("+32") and len(compact) not in (11, 12):
        raise InvalidIdentifier(f"Belgian number {text!r} must have 8 or 9 digits after +32")
    return compact


def normalise_email(text: str) -> str:
    """Lower case, the domain in IDNA (punycode) form."""
    local, at, domain = text.strip().lower().rpartition("@")
    host = _idna(domain)
    if not at or not _EMAIL_LOCAL.fullmatch(local) or host is None or ".." in local:
        raise InvalidIdentifier(f"e-mail address {text!r} is not valid: write name@example.be")
    return f"{local}@{host}"


def normalise_url(text: str) -> str:
    """The host of a web address, lower case, without "www."."""
    parts = urlsplit(text if "://" in text else f"http://{text}")
    host = _idna(parts.hostname or "") if parts.scheme in ("http", "https") else None
    if host is None:
        raise InvalidIdentifier(f"web address {text!r} is not valid: write example.be/page")
    return host.removeprefix("www.")


def normalise_handle(text: str) -> str:
    """ "@name": from "@Name", "name" or a profile URL of a known social network."""
    handle = text
    if "/" in text:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        host = (parts.hostname or "").removeprefix("www.")
        segments = [s for s in parts.path.split("/") if s]
        if host not in _SOCIAL_HOSTS or not segments:
            raise InvalidIdentifier(f"{text!r} is not a profile address of a known social network")
        handle = segments[0]
    handle = handle.strip().removeprefix("@").lower()
    if not _HANDLE.fullmatch(handle):
        raise InvalidIdentifier(
            f"social media handle {text!r} is not valid: letters, digits, . _ - (50 at most)"
        )
    return f"@{handle}"


def normalise_wallet(text: str) -> str:
    """A Bitcoin (base58check or bech32/bech32m) or Ethereum (0x + 40 hex) address."""
    if re.fullmatch(r"0x[0-9a-fA-F]{40}", text):
        if not _eip55_valid(text[2:]):
            raise InvalidIdentifier(
                f"Ethereum address {text!r} has mixed case that does not match its checksum "
                "(EIP-55): a character was probably mistyped; copy it again"
            )
        return text.lower()
    if text.lower().startswith("bc1") and _bech32_valid(text):
        return text.lower()
    if text[:1] in "13" and _base58check_valid(text):
        return text
    raise InvalidIdentifier(
        f"wallet address {text!r} is not a valid Bitcoin (1…, 3…, bc1…) or Ethereum (0x…)"
        " address: check that it was copied in full"
    )


def _eip55_valid(hex_digits: str) -> bool:
    """EIP-55: in a mixed-case address each letter is upper case exactly when the matching
    nibble of keccak-256(lower-case address) is 8 or more. One case throughout has no checksum."""
    if hex_digits in (hex_digits.lower(), hex_digits.upper()):
        return True
    digest = keccak.new(digest_bits=256, data=hex_digits.lower().encode("ascii")).hexdigest()
    return all(
        char.isupper() == (int(nibble, 16) >= 8)
        for char, nibble in zip(hex_digits, digest, strict=False)
        if char.isalpha()
    )


def _idna(host: str) -> str | None:
    try:
        encoded = host.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return encoded if _HOST.fullmatch(encoded) else None


def _base58check_valid(text: str) -> bool:
    if not 25 <= len(text) <= 35 or any(c not in _BASE58 for c in text):
        return False
    number = 0
    for char in text:
        number = number * 58 + _BASE58.index(char)
    leading = len(text) - len(text.lstrip("1"))
    payload = b"\0" * leading + number.to_bytes((number.bit_length() + 7) // 8, "big")
    if len(payload) != 25 or payload[0] not in (0x00, 0x05):
        return False
    check = hashlib.sha256(hashlib.sha256(payload[:-4]).digest()).digest()[:4]
    return check == payload[-4:]


def _bech32_valid(text: str) -> bool:
    """BIP-173/BIP-350 checksum of a mainnet segwit address (one case only)."""
    if text not in (text.lower(), text.upper()) or not 14 <= len(text) <= 74:
        return False
    data_part = text.lower()[3:]
    if any(c not in _BECH32 for c in data_part) or len(data_part) < 7:
        return False
    values = [_BECH32.index(c) for c in data_part]
    constant = _bech32_polymod([3, 3, 0, 2, 3] + values)  # hrp "bc" expanded
    return (values[0] == 0 and constant == 1) or (values[0] > 0 and constant == 0x2BC830A3)


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(generators):
            check ^= generator if (top >> i) & 1 else 0
    return check


_NORMALISERS: dict[IdentifierKind, Callable[[str], str]] = {
    IdentifierKind.IBAN: normalise_iban,
    IdentifierKind.PHONE: normalise_phone,
    IdentifierKind.EMAIL: normalise_email,
    IdentifierKind.URL: normalise_url,
    IdentifierKind.SOCIAL: normalise_handle,
    IdentifierKind.CRYPTO: normalise_wallet,
}
