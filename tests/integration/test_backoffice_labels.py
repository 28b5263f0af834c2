"""The back office speaks the staff member's language and the zone's clock: no raw codes,
no municipality numbers, no UTC times passed off as local ones (issue 10)."""

from __future__ import annotations

import pytest

from tests.factories import Office, post_form
from zonal.complaints.domain.staff import Role

RAW = ["online offence;", "racism_xenophobia", "triaged<", "assigned to inv</td>", ">victim<",
       ">phone<", ">iban<", "21016", "0.00 EUR", "under_investigation<"]  # fmt: skip


def a_hate_speech_case(office: Office) -> tuple[str, str]:
    """An online insult from someone living in Uccle, at 14:30 Brussels time; its zone."""
    zone = office.setup.policy.registry.zone_of_municipality("21016").number
    office.account("intake", Role.INTAKE_OFFICER, zone)
    office.account("inv", Role.ZONE_INVESTIGATOR, zone)
    reference = office.submit(
        offence_type="hate_speech", place=None, bias_motive="racism_xenophobia",
        residence={"postal_code": "1180", "municipality_nis": "21016"}, loss_eur="0",
        occurred_from="2026-03-01T14:30:00+01:00",
    )  # fmt: skip
    return reference, zone


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", ["Uccle", "infraction en ligne", "Non indiqué", "attribué à inv", "Victime"]),
     ("nl", ["Ukkel", "onlinemisdrijf", "Niet opgegeven", "toegewezen aan inv", "Slachtoffer"])],
)  # fmt: skip
def test_the_case_page_names_codes_and_shows_brussels_time(
    office: Office, lang: str, words: list[str]
) -> None:
    reference, _ = a_hate_speech_case(office)
    client = office.login("intake")
    page = f"/office/cases/{reference}"
    post_form(client, "/office/login", f"{page}/open", why="Triage of a new complaint")
    form = {"offence_type": "hate_speech", "priority": "2"}
    post_form(client, "/office/login", f"{page}/triage", **form)
    post_form(client, "/office/login", f"{page}/assign", assignee="inv")
    text = client.get(f"{page}?lang={lang}").text
    for raw in RAW:
        assert raw not in text, raw
    assert "01/03/2026 14:30 CET" in text and "Europe/Brussels" in text
    for word in words:
        assert word in text, word
