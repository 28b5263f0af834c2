"""The citizen portal in a real browser: a phishing complaint filed in French, its PDF, following
the case with the receipt, and axe-core on every portal page in the four languages."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import screenshot, serious_violations, serving
from zonal.bootstrap import open_store
from zonal.settings import get_settings
from zonal.web.app import create_app
from zonal.web.routes.portal_support import PortalGuard, PortalLimits
from zonal.web.security import Limit

LANGUAGES = ("nl", "fr", "de", "en")
REFERENCE = re.compile(r"^ZON-\d{4}-\d{6}$")
CODE = re.compile(r"^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
# The axe sweep posts many look-ups from one address: room for it, the real limits are
# tested over HTTP in tests/integration/test_portal_web.py.
ROOMY = PortalLimits(
    Limit("portal-submit", 100, 3600),
    Limit("portal-follow-client", 500, 900),
    Limit("portal-follow-reference", 100, 900),
)


@pytest.fixture(scope="module")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app in demo mode (demo data key) on a live port, with an empty store."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZONAL_DATA_DIR", str(tmp_path_factory.mktemp("portal")))
        patch.setenv("ZONAL_DEMO_MODE", "true")
        for name in ("ZONAL_DATABASE_URL", "ZONAL_DATA_KEY", "ZONAL_DATA_KEY_FILE"):
            patch.delenv(name, raising=False)
        get_settings.cache_clear()
        app = create_app(get_settings(), open_store(get_settings()))
        app.state.portal_guard = PortalGuard(limits=ROOMY)
        with serving(app) as url:
            yield url
        get_settings.cache_clear()


def pdf_text(content: bytes) -> bytes:
    """The PDF's page streams, inflated (fpdf2 compresses them)."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    return b"".join(_inflate(stream) for stream in streams)


def _inflate(stream: bytes) -> bytes:
    try:
        return zlib.decompress(stream)
    except zlib.error:
        return stream


def fill_phishing(page: Any, postal_code: str = "1050") -> None:
    page.fill(
        "#f-description", "J'ai reçu un SMS de « ma banque » avec un lien. J'ai donné mes codes."
    )
    page.fill("#f-occurred_date", "2026-01-10")
    page.fill("#f-occurred_time", "14:30")
    page.fill("#f-postal_code", postal_code)
    page.fill("#f-loss_eur", "1250,50")
    page.select_option("#f-id_kind_0", "iban")
    page.fill("#f-id_0", "BE68 5390 0754 7034")
    page.select_option("#f-id_kind_1", "phone")
    page.fill("#f-id_1", "0470 12 34 56")
    page.check("#f-privacy")


def test_a_phishing_complaint_in_french_from_ixelles_and_following_it(
    page: Any, portal_server: str, tmp_path: Path
) -> None:
    page.goto(f"{portal_server}/complaint?lang=fr")
    assert page.locator("h1").inner_text() == "Porter plainte en ligne"
    screenshot(page, "portal-1-start-fr")
    page.locator('a[href="/complaint?about=online"]').click()
    screenshot(page, "portal-2-online-fr")
    page.locator('a[href="/complaint/phishing"]').click()
    fill_phishing(page)
    page.set_input_files(
        "#f-files", files=[{"name": "sms.png", "mimeType": "image/png", "buffer": PNG}]
    )
    screenshot(page, "portal-3-form-fr")
    page.locator('button[value="submit"]').click()

    assert page.locator("h1").inner_text() == "Votre plainte a été envoyée"
    reference = page.locator("#reference").inner_text()
    code = page.locator("#receipt-code").inner_text()
    assert REFERENCE.match(reference) and CODE.match(code)
    assert "5339" in page.locator(".facts").inner_text()
    assert "Card Stop" in page.locator(".advice").inner_text()
    screenshot(page, "portal-4-acknowledgement-fr")

    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("PDF")).click()
    saved = tmp_path / "ack.pdf"
    download.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF") and reference.encode() in pdf_text(content)
    assert code.encode() in pdf_text(content)

    page.goto(f"{portal_server}/follow")
    page.fill("#f-reference", reference)
    page.fill("#f-code", "AAAA-BBBB-CCCC-DDDD-EEEE")
    page.get_by_role("button", name="Afficher ma plainte").click()
    assert page.locator("#error-summary").is_visible()
    screenshot(page, "portal-5-follow-refused-fr")
    page.fill("#f-reference", reference)
    page.fill("#f-code", code.lower().replace("-", " "))
    page.get_by_role("button", name="Afficher ma plainte").click()
    assert reference in page.locator("h1").inner_text()
    assert "sms.png" in page.content()
    page.fill("#f-body", "J'ai retrouvé le numéro qui m'a appelé.")
    page.get_by_role("button", name="Envoyer le message").click()
    assert "J'ai retrouvé le numéro" in page.locator(".messages").inner_text()
    screenshot(page, "portal-6-case-fr")


def test_a_form_with_mistakes_keeps_what_was_typed_and_names_each_problem(
    page: Any, portal_server: str
) -> None:
    page.goto(f"{portal_server}/complaint/bicycle_theft?lang=en")
    page.fill("#f-description", "<script>alert('x')</script> my bike was taken")
    page.fill("#f-occurred_date", "31/02/2026")
    page.fill("#f-postal_code", "1040")
    page.locator('button[value="submit"]').click()
    summary = page.locator("#error-summary").inner_text()
    assert "day it happened" in summary and "privacy" in summary
    assert page.input_value("#f-description") == "<script>alert('x')</script> my bike was taken"
    screenshot(page, "portal-7-form-errors-en")
    page.fill("#f-occurred_date", "2026-02-03")
    page.check("#f-privacy")
    page.locator('button[value="submit"]').click()
    assert page.locator("#f-municipality_nis").is_visible()  # 1040 spans two zones
    page.locator('label:has-text("Etterbeek")').click()
    page.check("#f-privacy")
    page.locator('button[value="submit"]').click()
    assert "5343" in page.locator(".facts").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_portal_page_has_no_serious_accessibility_violations(
    page: Any, portal_server: str, language: str
) -> None:
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        found[name] = serious_violations(page)

    for path in ("/complaint", "/complaint?about=online", "/complaint?about=place",
                 "/complaint?about=bias", "/complaint/racist_or_xenophobic_act",
                 "/complaint/bicycle_theft", "/follow"):  # fmt: skip
        page.goto(f"{portal_server}{path}{'&' if '?' in path else '?'}lang={language}")
        check(path)
    page.goto(f"{portal_server}/complaint/phishing?lang={language}")
    check("form")
    page.locator('button[value="submit"]').click()
    check("form with errors")
    screenshot(page, f"portal-form-errors-{language}")
    fill_phishing(page)
    page.locator('button[value="submit"]').click()
    check("acknowledgement")
    reference = page.locator("#reference").inner_text()
    code = page.locator("#receipt-code").inner_text()
    page.goto(f"{portal_server}/follow")
    page.fill("#f-reference", reference)
    page.fill("#f-code", "wrong")
    page.locator("form.follow-form button").click()
    check("follow refused")
    page.fill("#f-reference", reference)
    page.fill("#f-code", code)
    page.locator("form.follow-form button").click()
    check("case")
    screenshot(page, f"portal-case-{language}")
    assert {name: bad for name, bad in found.items() if bad} == {}


@pytest.mark.parametrize("path", ["/complaint?about=bias", "/complaint/phishing", "/follow"])
def test_pages_fit_a_phone_screen_at_double_text_size(
    page: Any, portal_server: str, path: str
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{portal_server}{path}{'&' if '?' in path else '?'}lang=de")
    page.add_style_tag(content="html { font-size: 200% !important; }")  # browser text size
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    name = path.strip("/").replace("/", "-").replace("?about=", "-")
    screenshot(page, f"portal-mobile-large-text-{name}")
