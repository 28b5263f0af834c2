"""The issue's scenario end to end in a browser: a citizen files a phishing complaint in French
from Ixelles (1050); an intake officer of zone 5339 logs in with TOTP, triages and assigns it;
the investigator downloads the victim's screenshot and writes to the victim; the citizen
reads the message with the receipt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.browser import OfficeServer, screenshot, serious_violations, staff_login

QUESTION = "Bonjour, pouvez-vous nous envoyer une capture d'écran du SMS ?"
PNG = b"\x89PNG\r\n\x1a\n" + b"the fake bank SMS" * 8


def file_complaint(page: Any, url: str) -> tuple[str, str]:
    page.goto(f"{url}/complaint?lang=fr")
    page.locator('a[href="/complaint?about=online"]').click()
    page.locator('a[href="/complaint/phishing"]').click()
    page.fill(
        "#f-description", "J'ai reçu un SMS de « ma banque » avec un lien. J'ai donné mes codes."
    )
    page.fill("#f-occurred_date", "2026-01-10")
    page.fill("#f-occurred_time", "14:30")
    page.fill("#f-postal_code", "1050")
    page.fill("#f-loss_eur", "1250,50")
    page.select_option("#f-id_kind_0", "iban")
    page.fill("#f-id_0", "BE68 5390 0754 7034")
    page.set_input_files(
        "#f-files", files=[{"name": "sms.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.check("#f-privacy")
    screenshot(page, "journey-1-citizen-form-fr")
    page.locator('button[value="submit"]').click()
    assert page.locator("h1").inner_text() == "Votre plainte a été envoyée"
    screenshot(page, "journey-2-citizen-acknowledgement-fr")
    keys = page.locator("#reference").inner_text(), page.locator("#receipt-code").inner_text()
    page.reload()  # shows the code no more, and files nothing again
    assert page.locator("h1").inner_text() == "Cette page ne s'affiche qu'une seule fois"
    assert keys[1] not in page.content() and serious_violations(page) == []
    screenshot(page, "journey-2b-citizen-acknowledgement-reloaded-fr")
    return keys


def open_case(page: Any, server: OfficeServer, reference: str, why: str) -> None:
    page.goto(f"{server.url}/office/cases/{reference}?lang=en")
    page.fill("#why", why)
    page.get_by_role("button", name="Open the case").click()
    assert reference in page.locator("h1").inner_text()


def test_complaint_from_portal_to_back_office_and_back(
    browser: Any, office_server: OfficeServer
) -> None:
    contexts = [browser.new_context(bypass_csp=True) for _ in range(3)]
    citizen, intake, investigator = (context.new_page() for context in contexts)
    try:
        reference, code = file_complaint(citizen, office_server.url)

        staff_login(intake, office_server, "journey.intake")
        assert intake.locator(f'table.queue a:text("{reference}")').is_visible()
        screenshot(intake, "journey-3-intake-queue")
        open_case(intake, office_server, reference, "Triage of a new complaint")
        assert "1050" in intake.locator(".facts").inner_text()
        assert serious_violations(intake) == []
        intake.select_option("#triage-priority", "2")
        intake.get_by_role("button", name="Confirm triage").click()
        assert "The case is triaged." in intake.locator(".notice").inner_text()
        intake.select_option("#assignee", "journey.inv")
        intake.get_by_role("button", name="Assign the case").click()
        assert "assigned to journey.inv" in intake.locator(".notice").inner_text()
        screenshot(intake, "journey-4-intake-assigned")

        staff_login(investigator, office_server, "journey.inv")
        open_case(investigator, office_server, reference, "Investigation of a case assigned to me")
        with investigator.expect_download() as download:
            investigator.get_by_role("link", name="sms.png").click()
        assert download.value.suggested_filename == "sms.png"
        assert Path(download.value.path()).read_bytes() == PNG
        investigator.select_option("#target", "under_investigation")
        investigator.get_by_role("button", name="Change the status").last.click()
        investigator.fill("#message-body", QUESTION)
        investigator.check("input[name=await_reply]")
        investigator.get_by_role("button", name="Send the message").click()
        assert QUESTION in investigator.locator(".messages").first.inner_text()
        assert serious_violations(investigator) == []
        screenshot(investigator, "journey-5-investigator-message")

        citizen.goto(f"{office_server.url}/follow?lang=fr")
        citizen.fill("#f-reference", reference)
        citizen.fill("#f-code", code)
        citizen.get_by_role("button", name="Afficher ma plainte").click()
        assert QUESTION in citizen.locator(".messages").inner_text()
        assert "journey.inv" not in citizen.content()  # staff names stay internal
        screenshot(citizen, "journey-6-citizen-reads-message-fr")
    finally:
        for context in contexts:
            context.close()
