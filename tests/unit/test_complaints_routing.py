"""Routing: federal rules first, then the place of the offence, then the victim's residence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zonal.complaints.domain.errors import PlaceAmbiguous
from zonal.complaints.domain.model import Place
from zonal.complaints.domain.routing import RULE_COLUMNS, RoutingTable
from zonal.errors import FileFormatError, InputError, NotFoundError
from zonal.geo import default_registry

REGISTRY = default_registry()
TABLE = RoutingTable.default()
IXELLES = Place("1050")


def route(code: str, loss: str = "0", place: Place | None = None, home: Place | None = None) -> str:
    return TABLE.route(REGISTRY, code, Decimal(loss), place, home).unit


@pytest.mark.parametrize(
    ("code", "loss", "place", "home", "unit"),
    [
        ("phishing", "250", IXELLES, None, "5339"),
        ("bicycle_theft", "0", Place("1180"), None, "5342"),
        ("phishing", "0", None, Place("1200"), "5343"),  # online, no place: residence
        ("phishing", "0", Place("1080"), Place("1200"), "5340"),  # a place beats the residence
        ("ransomware", "0", IXELLES, None, "FCCU"),  # by type
        ("investment_fraud", "49999.99", IXELLES, None, "5339"),
        ("investment_fraud", "50000", IXELLES, None, "FCCU"),  # by loss threshold
        ("phishing", "100000", IXELLES, None, "FCCU"),  # online loss threshold
        ("shoplifting", "250000", IXELLES, None, "5339"),  # that rule is for online types only
        ("vandalism", "0", Place("1040", "21005"), None, "5343"),  # municipality decides
    ],
)
def test_rules_place_and_residence(
    code: str, loss: str, place: Place | None, home: Place | None, unit: str
) -> None:
    assert route(code, loss, place, home) == unit


def test_a_postal_code_spanning_two_zones_needs_the_municipality() -> None:
    with pytest.raises(PlaceAmbiguous, match="5339.*5343"):
        route("vandalism", place=Place("1040"))


def test_a_municipality_that_does_not_match_the_postal_code_is_refused() -> None:
    with pytest.raises(InputError, match="21016 does not have postal code 1040"):
        route("vandalism", place=Place("1040", "21016"))


def test_an_offline_offence_needs_a_place_and_the_residence_does_not_replace_it() -> None:
    with pytest.raises(InputError, match="needs the place"):
        route("bicycle_theft", home=Place("1200"))


def test_a_place_outside_the_registry_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="Gent"):
        route("vandalism", place=Place("9000"))


def test_a_police_organisation_can_ship_its_own_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.csv"
    rules.write_text(f"{','.join(RULE_COLUMNS)}\nsextortion,false,,FCCU,all sextortion\n")
    table = RoutingTable.from_file(rules)
    assert table.route(REGISTRY, "sextortion", Decimal(0), IXELLES, None).reason == "all sextortion"
    assert table.route(REGISTRY, "ransomware", Decimal(0), IXELLES, None).unit == "5339"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("no_such_type,false,,FCCU,x", "no_such_type"),
        ("ransomware,maybe,,FCCU,x", "maybe"),
        ("ransomware,false,lots,FCCU,x", "lots"),
        ("ransomware,false,-5,FCCU,x", "negative"),
        ("ransomware,false,,fccu,x", "fccu"),
    ],
)
def test_a_broken_rule_table_names_the_rule_and_value(line: str, problem: str) -> None:
    with pytest.raises(FileFormatError, match=f"rule 1.*{problem}"):
        RoutingTable.parse(f"{','.join(RULE_COLUMNS)}\n{line}\n", "rules.csv")


def test_a_rule_table_with_the_wrong_header_is_refused() -> None:
    with pytest.raises(FileFormatError, match="header"):
        RoutingTable.parse("type,unit\nransomware,FCCU\n", "rules.csv")
