"""The case page offers only what the workflow and the role allow now; a refused action (a
stale page, a forged post) comes back to the case form with the typed text and a message in
the page's language (409), not an untranslated error page."""

from __future__ import annotations

import html
from typing import Any

import pytest

from tests.factories import Office, post_form
from tests.integration.test_backoffice_web import act, open_case
from zonal.complaints.domain.staff import Role

ASK = "Pouvez-vous m'envoyer une capture d'écran du SMS ?"
REFUSED = {
    "en": "This case’s status is “Assigned”, so it cannot change to “Waiting for the victim”.",
    "nl": "De status van deze zaak is ‘Toegewezen’: ze kan niet naar ‘Wacht op het slachtoffer’.",
    "fr": "Le statut de ce dossier est « Affectés » : il ne peut pas passer à « En attente de la"
    " victime ».",
    "de": "Der Status dieses Falls ist „Zugewiesen“: er kann nicht zu „Wartet auf das Opfer“"
    " wechseln.",
}
KEPT = {
    "en": "What you typed is still in the form.",
    "nl": "Wat u typte, staat nog in het formulier.",
    "fr": "Ce que vous avez écrit est toujours dans le formulaire.",
    "de": "Ihre Eingabe steht noch im Formular.",
}


@pytest.fixture
def assigned(office: Office) -> tuple[Office, str, Any]:
    """A case of zone 5339 triaged and assigned by the intake officer, whose client it gives."""
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    office.account("inv", Role.ZONE_INVESTIGATOR, "5339")
    reference = office.submit()
    intake = office.login("intake")
    open_case(intake, reference)
    assert act(intake, reference, "triage").status_code == 303
    assert act(intake, reference, "assign", assignee="inv").status_code == 303
    return office, reference, intake


def test_intake_on_an_assigned_case_is_offered_a_message_but_no_wait_and_no_move(
    assigned: tuple[Office, str, Any],
) -> None:
    _, reference, intake = assigned
    page = intake.get(f"/office/cases/{reference}?lang=en").text
    assert 'id="message-body"' in page
    assert 'name="await_reply"' not in page and "Wait for an answer" not in page
    assert f"/office/cases/{reference}/transition" not in page
    assert f"/office/cases/{reference}/triage" not in page


def test_the_investigator_is_offered_the_wait_once_the_case_is_investigated(
    assigned: tuple[Office, str, Any],
) -> None:
    office, reference, _ = assigned
    inv = office.login("inv")
    page = open_case(inv, reference, "Investigation of a case assigned to me").text
    assert 'name="await_reply"' not in page
    assert '<option value="under_investigation">' in page
    assert act(inv, reference, "transition", target="under_investigation").status_code == 303
    page = inv.get(f"/office/cases/{reference}").text
    assert 'name="await_reply"' in page and '<option value="awaiting_victim">' in page


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_a_forged_wait_re_renders_the_case_with_the_text_kept_and_a_translated_message(
    assigned: tuple[Office, str, Any], language: str
) -> None:
    _, reference, intake = assigned
    action = f"/office/cases/{reference}/message?lang={language}"
    response = post_form(intake, "/office/login", action, body=ASK, await_reply="true")
    assert response.status_code == 409
    page = html.unescape(response.text)
    assert f">{ASK}</textarea>" in page  # back in the message form
    assert REFUSED[language] in page and KEPT[language] in page
    assert page.count(ASK) == 1  # not sent: not among the messages
    assert ASK not in html.unescape(intake.get(f"/office/cases/{reference}").text)


def test_a_forged_move_keeps_its_reason_and_says_what_the_case_can_become(
    assigned: tuple[Office, str, Any],
) -> None:
    office, reference, _ = assigned
    inv = office.login("inv")
    open_case(inv, reference, "Investigation of a case assigned to me")
    why = "Le suspect a répondu"
    action = f"/office/cases/{reference}/transition?lang=fr"
    response = post_form(inv, "/office/login", action, target="awaiting_victim", reason=why)
    assert response.status_code == 409
    page = html.unescape(response.text)
    assert f'name="reason" maxlength="2000" value="{why}"' in page
    assert "Son statut peut passer à : En cours d'enquête, Clôturée." in page
    assert "&amp;#39;" not in response.text  # the labels' apostrophes are escaped once
