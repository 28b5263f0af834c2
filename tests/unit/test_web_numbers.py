"""Numbers on the pages as each language writes them."""

from __future__ import annotations

import pytest

from zonal.web.numbers import number_format


@pytest.mark.parametrize(
    ("language", "big", "share"),
    [
        ("nl", "1.234.567,5", "12,3%"),
        ("de", "1.234.567,5", "12,3\u00a0%"),
        ("fr", "1\u202f234\u202f567,5", "12,3\u00a0%"),
        ("en", "1,234,567.5", "12.3%"),
        ("xx", "1,234,567.5", "12.3%"),  # an unknown language falls back to English
    ],
)
def test_each_language_groups_and_marks_decimals_its_own_way(
    language: str, big: str, share: str
) -> None:
    numbers = number_format(language)
    assert numbers.number(1234567.5, 1) == big
    assert numbers.percent(0.1234, 1) == share


def test_digits_round_trim_and_missing_values() -> None:
    numbers = number_format("fr")
    assert numbers.number(2.5) == "2" and numbers.number(3.5) == "4"  # half to even
    assert numbers.number(7.0, 2, trim=True) == "7" and numbers.number(1.5, 2, trim=True) == "1,5"
    assert numbers.percent(0.05) == "5\u00a0%"
    assert numbers.number(None) == "–" and numbers.percent(None) == "–"
