"""Each length rule is defined once (complaints/rules.py): the form and the schema refuse the
same texts at the boundaries, and the pages and messages show the same numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from zonal.complaints import rules
from zonal.complaints.domain.attachments import download_name
from zonal.complaints.schemas import ComplaintCreate, MessageIn, VictimInformation
from zonal.errors import InputError
from zonal.geo import default_registry
from zonal.services.complaints._common import require_justification
from zonal.taxonomy import OFFENCE_TYPES
from zonal.web.i18n import gettext_for
from zonal.web.routes.portal_forms import parse_complaint

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "zonal" / "web" / "templates"
SCHEMA_FIELDS: dict[str, Any] = {
    "offence_type": "bicycle_theft",
    "language": "fr",
    "occurred_from": "2026-01-10T14:30:00+01:00",
    "place": {"postal_code": "1050"},
    "privacy_notice_accepted": True,
}
FORM_FIELDS = {"occurred_date": "2026-01-10", "postal_code": "1050", "privacy": "yes"}


def schema_accepts(description: str) -> bool:
    try:
        ComplaintCreate.model_validate({**SCHEMA_FIELDS, "description": description})
    except ValidationError:
        return False
    return True


def form_accepts(description: str, language: str = "en") -> dict[str, str]:
    fields = {**FORM_FIELDS, "description": description}
    offence = OFFENCE_TYPES["bicycle_theft"]
    form = parse_complaint(offence, fields, language, default_registry(), gettext_for(language))
    assert (form.data is None) == bool(form.errors)
    return form.errors


@pytest.mark.parametrize(
    ("length", "accepted"), [(9, False), (10, True), (10_000, True), (10_001, False)]
)
def test_the_form_and_the_schema_refuse_the_same_narratives(length: int, accepted: bool) -> None:
    text = "é" * length
    assert schema_accepts(text) is accepted
    errors = form_accepts(text)
    assert ("description" not in errors) is accepted
    # Spaces around the text do not count, on either side.
    assert schema_accepts(f"  {text}\n") is accepted
    assert ("description" not in form_accepts(f"  {text}\n")) is accepted


def test_the_narrative_message_names_the_limits_in_the_page_language() -> None:
    assert form_accepts("short")["description"] == (
        "Tell us what happened in at least 10 characters (at most 10,000)."
    )
    assert "10.000" in form_accepts("short", "nl")["description"]


@pytest.mark.parametrize(
    ("length", "accepted"), [(0, False), (1, True), (5_000, True), (5_001, False)]
)
def test_messages_and_notes_hold_1_to_5000_characters(length: int, accepted: bool) -> None:
    try:
        MessageIn(body="m" * length)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


@pytest.mark.parametrize(("length", "accepted"), [(10_000, True), (10_001, False)])
def test_later_information_holds_at_most_10000_characters(length: int, accepted: bool) -> None:
    try:
        VictimInformation(text="i" * length)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


@pytest.mark.parametrize(
    ("reason", "accepted"),
    [("a" * 4, False), ("a" * 5, True), ("a" * 500, True), ("a" * 501, False),
     ("  a  b  ", False), ("  ab  cd  ", True)],
)  # fmt: skip
def test_the_service_and_the_office_form_refuse_the_same_reasons(
    reason: str, accepted: bool
) -> None:
    # The office form's check (rules.justification) and the service's give the same answer.
    assert (rules.justification(reason) is not None) is accepted
    if accepted:
        assert require_justification(reason) == " ".join(reason.split())
    else:
        with pytest.raises(InputError, match="5 to 500 characters"):
            require_justification(reason)


def test_the_back_office_fields_read_their_limits_from_the_rules() -> None:
    pages = "".join(p.read_text(encoding="utf-8") for p in (TEMPLATES / "backoffice").glob("*"))
    assert 'maxlength="{{ rules.MESSAGE.max }}"' in pages
    assert 'minlength="{{ rules.JUSTIFICATION.min }}"' in pages
    for number in ("5000", "500", "10000"):
        assert f'length="{number}"' not in pages


@pytest.mark.parametrize(
    ("name", "kind", "served"),
    [
        ("poly.html", "image/png", "poly.png"),
        ("sms.PNG", "image/png", "sms.PNG"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("statement", "application/pdf", "statement.pdf"),
        (".htaccess", "image/gif", ".htaccess.gif"),
    ],
)
def test_downloads_carry_the_extension_of_their_checked_kind(
    name: str, kind: str, served: str
) -> None:
    assert download_name(name, kind) == served
