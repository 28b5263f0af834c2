"""Hostile and malformed input at the service boundary: every field of ComplaintCreate."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from zonal.complaints.schemas import ComplaintCreate, StaffCreate, VictimInformation, clean_text


def form(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "offence_type": "phishing",
        "language": "nl",
        "occurred_from": "2026-01-05T10:00:00+01:00",
        "place": {"postal_code": "1050"},
        "description": "Een valse sms van mijn bank.",
        "privacy_notice_accepted": True,
    }
    fields.update(overrides)
    return fields


def test_a_plain_form_is_accepted_and_normalised() -> None:
    created = ComplaintCreate.model_validate(
        form(contact={"email": " Jan@Example.BE", "phone": "0470 12 34 56"}, loss_eur="12.50")
    )
    assert created.contact is not None
    assert (created.contact.email, created.contact.phone) == ("jan@example.be", "+32470123456")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"offence_type": "homicide"}, "offence_type"),  # not reportable online
        ({"offence_type": "x" * 10_000}, "offence_type"),
        ({"language": "es"}, "language"),
        ({"occurred_from": "2026-01-05T10:00:00"}, "occurred_from"),  # naive time
        ({"occurred_from": "yesterday"}, "occurred_from"),
        ({"occurred_from": "2999-01-01T00:00:00+00:00"}, "period"),
        ({"occurred_to": "2025-01-01T00:00:00+00:00"}, "period"),
        ({"description": "short"}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"description": 12345678901}, "description"),
        ({"description": ["a list"]}, "description"),
        ({"loss_eur": "-1"}, "loss_eur"),
        ({"loss_eur": "1.001"}, "loss_eur"),
        ({"loss_eur": "NaN"}, "loss_eur"),
        ({"loss_eur": "1e30"}, "loss_eur"),
        ({"place": {"postal_code": "10500"}}, "postal_code"),
        ({"place": {"postal_code": "<b>"}}, "postal_code"),
        ({"place": {}}, "postal code or a municipality"),
        ({"place": None}, "where"),  # bicycle theft or phishing needs a place or residence
        ({"identifiers": [{"kind": "iban", "value": "BE00 0000 0000 0000"}]}, "IBAN"),
        ({"identifiers": [{"kind": "fax", "value": "02 555"}]}, "kind"),
        ({"identifiers": [{"kind": "url", "value": "u.be"}] * 31}, "identifiers"),
        ({"contact": {"email": "not-an-email"}}, "e-mail"),
        ({"contact": {"phone": "<script>alert(1)</script>"}}, "phone"),
        ({"contact": {"name": "x" * 201}}, "name"),
        ({"privacy_notice_accepted": False}, "privacy"),
        ({"unexpected": "field"}, "unexpected"),
        ({"offence_type": "hate_speech"}, "motivated"),  # bias motive question is required
        ({"offence_type": "hate_speech", "bias_motive": "because"}, "bias_motive"),
    ],
)
def test_bad_input_is_refused_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ComplaintCreate.model_validate(form(**overrides))
    assert field in str(refused.value)


def test_a_discrimination_complaint_records_the_bias_motive() -> None:
    created = ComplaintCreate.model_validate(
        form(offence_type="racist_or_xenophobic_act", bias_motive="racism_xenophobia")
    )
    assert created.bias_motive == "racism_xenophobia"


def test_an_online_offence_may_give_only_the_residence() -> None:
    created = ComplaintCreate.model_validate(form(place=None, residence={"postal_code": "1200"}))
    assert created.place is None and created.residence is not None


def test_control_bidi_and_zero_width_characters_are_stripped_markup_is_kept_as_text() -> None:
    hostile = "  <script>alert('x')</script>\u202egnp.exe\u0000\u200b\r\nline two\x1b[31m "
    assert clean_text(hostile) == "<script>alert('x')</script>gnp.exe\nline two[31m"
    info = VictimInformation(text=hostile)
    assert "\u202e" not in info.text and "\x00" not in info.text


def test_unicode_is_normalised_so_equal_text_compares_equal() -> None:
    decomposed = "Leuven cafe\u0301 Ixelles Sint-Gillis"
    assert clean_text(decomposed) == "Leuven café Ixelles Sint-Gillis"


def test_staff_passwords_have_a_minimum_length() -> None:
    with pytest.raises(ValidationError, match="password"):
        StaffCreate(
            username="jan", display_name="Jan", role="zone_chief", scope={"5339"}, password="short"
        )
