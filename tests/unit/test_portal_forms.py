"""The complaint form's parsing: strings as posted -> ComplaintCreate or errors per field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zonal.complaints.domain.model import BiasMotive
from zonal.geo import default_registry
from zonal.taxonomy import OFFENCE_TYPES
from zonal.web.i18n import gettext_for
from zonal.web.routes.portal_forms import ComplaintForm, identifier_rows, parse_complaint

REGISTRY = default_registry()
BASE = {
    "description": "Quelqu'un a volé mon vélo devant la gare.",
    "occurred_date": "2026-01-10",
    "postal_code": "1050",
    "privacy": "yes",
}


def parse(code: str = "bicycle_theft", language: str = "en", **fields: str) -> ComplaintForm:
    return parse_complaint(
        OFFENCE_TYPES[code], {**BASE, **fields}, language, REGISTRY, gettext_for(language)
    )


def test_a_complete_form_becomes_a_complaint_with_brussels_time_in_utc() -> None:
    form = parse(occurred_time="14:30")
    assert form.errors == {} and form.data is not None
    assert form.data.occurred_from.isoformat() == "2026-01-10T14:30:00+01:00"
    assert form.data.place is not None and form.data.place.postal_code == "1050"
    assert form.data.residence is None


def test_an_online_offence_is_routed_by_where_the_victim_lives() -> None:
    form = parse("phishing")
    assert form.data is not None and form.data.place is None
    assert form.data.residence is not None and form.data.residence.postal_code == "1050"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("", "0"), ("250", "250"), ("99,95", "99.95"), ("1.234,56", "1234.56"),
     ("1,234.56", "1234.56"), ("€ 1 000", "1000"), ("12,5", "12.50")],
)  # fmt: skip
def test_amounts_are_read_the_way_people_write_them(typed: str, amount: str) -> None:
    form = parse(loss_eur=typed)
    assert form.data is not None and form.data.loss_eur == Decimal(amount)


@pytest.mark.parametrize("day", ["2026-01-10", "10/01/2026", "10-01-2026", "10.01.2026"])
def test_days_in_the_usual_formats_are_understood(day: str) -> None:
    form = parse(occurred_date=day)
    assert form.data is not None and form.data.occurred_from.day == 10


def test_errors_come_in_page_order_in_the_language_of_the_page() -> None:
    form = parse(language="nl", privacy="", description="kort", occurred_date="nooit")
    assert list(form.errors) == ["description", "occurred_date", "privacy"]
    assert form.errors["occurred_date"].startswith("Geef de dag")
    assert form.data is None


def test_values_are_kept_but_bounded() -> None:
    form = parse(description="z" * 50_000)
    assert "description" in form.errors and len(form.value("description")) == 20_000


def test_identifier_rows_keep_their_order_and_a_bad_one_is_named() -> None:
    fields = {"id_rows": "3", "id_kind_0": "iban", "id_value_0": "BE68 5390 0754 7034",
              "id_kind_2": "email", "id_value_2": "not an address"}  # fmt: skip
    form = parse("phishing", **fields)
    assert list(form.errors) == ["id_2"]
    assert form.rows[0] == ("iban", "BE68 5390 0754 7034")


def test_identifier_rows_are_bounded_and_can_grow_by_one() -> None:
    assert len(identifier_rows({"id_rows": "9999"})) == 30
    assert len(identifier_rows({"id_rows": "-4"})) == 1
    assert len(identifier_rows({"id_rows": "abc"}, add_row=True)) == 4


def test_the_bias_motive_is_required_for_discrimination_only() -> None:
    assert "bias_motive" in parse("racist_or_xenophobic_act").errors
    form = parse("racist_or_xenophobic_act", bias_motive="religion")
    assert form.data is not None and form.data.bias_motive is BiasMotive.RELIGION
    assert parse("bicycle_theft", bias_motive="religion").data.bias_motive is None  # type: ignore[union-attr]


def test_a_municipality_name_that_matches_several_offers_a_choice() -> None:
    form = parse(postal_code="", municipality="Woluwe")
    assert "municipality" in form.errors
    assert {name for _, name in form.choices} >= {"Woluwe-Saint-Lambert", "Woluwe-Saint-Pierre"}


def test_contact_details_are_optional_but_checked() -> None:
    assert parse().data.contact is None  # type: ignore[union-attr]
    form = parse(contact_email="Jan@Example.BE", contact_phone="0470 12 34 56")
    assert form.data is not None and form.data.contact is not None
    assert form.data.contact.email == "jan@example.be"
    assert form.data.contact.phone == "+32470123456"
