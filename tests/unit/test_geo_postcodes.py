"""From a postal code or a typed municipality name to municipalities and zones."""

from __future__ import annotations

import pytest

from zonal.errors import InputError, NotFoundError
from zonal.geo import default_registry, municipalities_by_name, resolve_postal_code
from zonal.geo.registry import ZoneRegistry


def test_1050_is_brussels_and_ixelles_in_one_zone() -> None:
    answer = default_registry().zones_for_postal_code("1050")
    assert answer.municipalities == ("21004", "21009")
    assert answer.zones == ("5339",)
    assert not answer.ambiguous
    assert "all in zone 5339" in answer.message


def test_1040_spans_two_zones_and_says_so() -> None:
    answer = default_registry().zones_for_postal_code("1040")
    assert answer.municipalities == ("21004", "21005")
    assert answer.zones == ("5339", "5343")
    assert answer.ambiguous
    assert "spans 2 zones" in answer.message
    assert "Etterbeek (zone 5343 Montgomery)" in answer.message


def test_surrounding_spaces_are_ignored() -> None:
    assert default_registry().zones_for_postal_code(" 1180 ").zones == ("5342",)


def test_a_code_outside_the_registry_names_the_municipality() -> None:
    with pytest.raises(NotFoundError, match=r"9000 is Gand / Gent \(44021\).*does not cover"):
        default_registry().zones_for_postal_code("9000")


def test_a_code_partly_outside_the_registry_keeps_the_covered_part() -> None:
    full = default_registry()
    only_brussels = ZoneRegistry(
        [z for z in full.zones.values() if z.number != "5343"],
        [m for m in full.municipalities.values() if m.zone != "5343"],
    )
    answer = resolve_postal_code(only_brussels, "1040")
    assert (answer.municipalities, answer.uncovered) == (("21004",), ("Etterbeek (21005)",))
    assert "outside this registry" in answer.message


@pytest.mark.parametrize("code", ["105", "10500", "1o50", "", "B-1050"])
def test_a_malformed_code_is_bad_input(code: str) -> None:
    with pytest.raises(InputError, match="is not 4 digits"):
        default_registry().zones_for_postal_code(code)


def test_an_unused_code_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="0000 is not a Belgian postal code"):
        default_registry().zones_for_postal_code("0000")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Sint-Jans-Molenbeek", ("21012",)),
        ("sint jans molenbeek", ("21012",)),
        ("SAINT-GILLES", ("21013",)),
        ("Elsene", ("21009",)),
        ("Brussels", ("21004",)),  # English, close to Brussel
        ("Ukkel", ("21016",)),
        ("Liège", ("62063",)),
        ("liege", ("62063",)),
        ("xyzzy", ()),
    ],
)
def test_municipality_names_ignore_case_accents_and_punctuation(
    typed: str, expected: tuple[str, ...]
) -> None:
    assert municipalities_by_name(typed) == expected


def test_a_beginning_finds_every_municipality_starting_with_it() -> None:
    assert set(municipalities_by_name("woluwe")) == {"21018", "21019"}


def test_registry_names_are_searched_too() -> None:
    registry = default_registry()
    assert municipalities_by_name("Etterbeek", registry) == ("21005",)


def test_an_empty_name_is_bad_input() -> None:
    with pytest.raises(InputError, match="is empty"):
        municipalities_by_name(" - ")
