"""Identifiers normalise to one value whoever typed them, and malformed ones are refused."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from zonal.complaints.domain.errors import InvalidIdentifier
from zonal.complaints.domain.identifiers import IdentifierKind, normalise

VALID = [
    ("iban", "BE68 5390 0754 7034", "BE68539007547034"),
    ("iban", "be68-5390-0754-7034", "BE68539007547034"),
    ("iban", "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    ("iban", "FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ("iban", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("phone", "0470 12 34 56", "+32470123456"),
    ("phone", "+32 (0)2 555.12.12".replace("(0)", ""), "+3225551212"),
    ("phone", "0032 470/12.34.56", "+32470123456"),
    ("phone", "+33 6 12 34 56 78", "+33612345678"),
    ("email", "Jan.Peeters@Example.BE", "jan.peeters@example.be"),
    ("email", "  info@münchen.de ", "info@xn--mnchen-3ya.de"),
    ("url", "https://www.Arnaque-Banque.com/login?x=1", "arnaque-banque.com"),
    ("url", "bpost-colis.info/track", "bpost-colis.info"),
    ("social", "@Scam.Mer", "@scam.mer"),
    ("social", "https://www.instagram.com/Scam.Mer/", "@scam.mer"),
    ("social", "t.me/fake_support", "@fake_support"),
    ("crypto", "17kmbhxxMsrFhmQNim1jbjD6AeBUQ2SbYp", "17kmbhxxMsrFhmQNim1jbjD6AeBUQ2SbYp"),
    ("crypto", "3EEx3ewDtWwhBng6e9b2diQz7uvXbeifTf", "3EEx3ewDtWwhBng6e9b2diQz7uvXbeifTf"),
    ("crypto", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
     "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
    ("crypto", "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
     "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"),
    ("crypto", "0x52908400098527886E0F7030069857D2E4169EE7",
     "0x52908400098527886e0f7030069857d2e4169ee7"),
]  # fmt: skip

INVALID = [
    ("iban", "BE68 5390 0754 7035"),  # check digits
    ("iban", "BE68 5390 0754 703"),  # length for Belgium
    ("iban", "68BE 5390 0754 7034"),
    ("phone", "0470 12"),
    ("phone", "+32 470 12 34 56 78"),
    ("phone", "call me"),
    ("email", "jan.peeters@"),
    ("email", "jan peeters@example.be"),
    ("email", "jan@localhost"),
    ("url", "javascript:alert(1)"),
    ("url", "http://"),
    ("social", "https://example.com/someone"),
    ("social", "<script>"),
    ("crypto", "17kmbhxxMsrFhmQNim1jbjD6AeBUQ2SbYq"),  # one character changed
    ("crypto", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
    ("crypto", "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),  # mixed case
    ("crypto", "0x52908400098527886E0F7030069857D2E4169EE"),
    ("iban", ""),
    ("email", "a" * 400),
]


@pytest.mark.parametrize(("kind", "raw", "expected"), VALID)
def test_valid_identifiers_normalise(kind: str, raw: str, expected: str) -> None:
    identifier = normalise(kind, raw)
    assert (identifier.value, identifier.raw) == (expected, raw.strip())


@pytest.mark.parametrize(("kind", "raw"), INVALID)
def test_malformed_identifiers_are_refused_quoting_the_value(kind: str, raw: str) -> None:
    with pytest.raises(InvalidIdentifier) as refused:
        normalise(kind, raw)
    assert raw[:20] in str(refused.value)


def test_an_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(InvalidIdentifier, match="iban, phone, email, url, social, crypto"):
        normalise("fax", "02 555 12 12")


def test_every_wallet_of_a_public_abuse_register_validates(shared_data: Path) -> None:
    with (shared_data / "bitcoin_abuse_reports_2022-10.csv").open(encoding="utf-8") as file:
        addresses = {row["address"] for row in csv.DictReader(file)}
    assert len(addresses) > 50  # several reports share an address
    refused = []
    for address in addresses:
        try:
            normalise(IdentifierKind.CRYPTO, address)
        except InvalidIdentifier:
            refused.append(address)
    assert refused == []
    corrupted = [a[:-1] + ("2" if a[-1] != "2" else "3") for a in sorted(addresses)[:50]]
    for address in corrupted:
        with pytest.raises(InvalidIdentifier):
            normalise(IdentifierKind.CRYPTO, address)


EIP55_EXAMPLES = (  # the test vectors of EIP-55 itself
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
)


@pytest.mark.parametrize("address", EIP55_EXAMPLES)
def test_ethereum_checksums_are_verified_and_the_address_kept_in_one_case(address: str) -> None:
    assert normalise(IdentifierKind.CRYPTO, address).value == address.lower()
    assert normalise(IdentifierKind.CRYPTO, address.lower()).value == address.lower()  # unchecked
    first_letter = next(i for i, c in enumerate(address[2:], 2) if c.isalpha())
    typo = address[:first_letter] + address[first_letter].swapcase() + address[first_letter + 1 :]
    with pytest.raises(InvalidIdentifier, match="EIP-55"):
        normalise(IdentifierKind.CRYPTO, typo)
