"""The back office in a real browser: login with a TOTP code, the queue, a case, the access
log; axe-core finds no serious or critical violation on any page, in the four languages."""

from __future__ import annotations

from typing import Any

from tests.e2e.browser import OfficeServer, screenshot, serious_violations, staff_login
from tests.factories import PASSWORD

LANGUAGES = ("nl", "fr", "de", "en")


def accessible_in_every_language(page: Any, url: str) -> None:
    for language in LANGUAGES:
        page.goto(f"{url}?lang={language}" if "?" not in url else f"{url}&lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        assert serious_violations(page) == [], (url, language)


def test_the_login_page_is_accessible_and_refuses_a_wrong_code(
    page: Any, office_server: OfficeServer
) -> None:
    accessible_in_every_language(page, f"{office_server.url}/office/login")
    page.goto(f"{office_server.url}/office/login?lang=fr")
    page.fill("#username", "intake")
    page.fill("#password", PASSWORD)
    page.fill("#code", "000000")
    page.locator("button[type=submit]").last.click()
    assert page.locator("#login-error").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "backoffice-1-login-refused-fr")


def test_queue_case_and_log_are_accessible_in_every_language(
    page: Any, office_server: OfficeServer
) -> None:
    url = office_server.url
    staff_login(page, office_server, "chief")
    accessible_in_every_language(page, f"{url}/office/queue")
    page.goto(f"{url}/office/queue?lang=en")
    screenshot(page, "backoffice-2-queue-en")
    page.locator("table.queue a").first.click()
    accessible_in_every_language(page, page.url)
    page.fill("#why", "Triage of a new complaint")
    page.get_by_role("button", name="Open the case").click()
    assert "Un SMS de ma banque" in page.locator(".description").inner_text()
    accessible_in_every_language(page, page.url)
    page.goto(f"{page.url}?lang=en")
    screenshot(page, "backoffice-3-case-en")
    accessible_in_every_language(page, f"{url}/office/audit")
    page.goto(f"{url}/office/audit?lang=en")
    assert "Check passed" in page.locator(".chain").inner_text()
    screenshot(page, "backoffice-4-access-log-en")


def test_the_data_protection_officer_starts_on_the_log_and_has_no_queue(
    page: Any, office_server: OfficeServer
) -> None:
    staff_login(page, office_server, "dpo")
    assert page.url.endswith("/office/audit")
    assert page.get_by_role("link", name="Cases").count() == 0
    page.get_by_role("button", name="Log out").click()
    assert page.url.endswith("/office/login")
    page.goto(f"{office_server.url}/office/audit")
    assert page.url.endswith("/office/login")
