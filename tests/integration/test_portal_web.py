"""The citizen portal over HTTP on a SQLite store: filing, the acknowledgement and its PDF,
following a case, CSRF, rate limits and hostile input."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select

from zonal.bootstrap import complaints_setup, open_store
from zonal.complaints.domain.receipt import SecretHasher
from zonal.settings import get_settings
from zonal.storage.complaints.tables import CaseRow
from zonal.web.app import create_app
from zonal.web.routes.portal_support import GROUPS, PortalGuard, PortalLimits
from zonal.web.security import Limit

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
PHISHING = {
    "description": "J'ai reçu un SMS de ma banque avec un lien, et j'ai donné mes codes.",
    "occurred_date": "2026-01-10",
    "occurred_time": "14:30",
    "postal_code": "1050",
    "loss_eur": "1.250,50",
    "id_rows": "3",
    "id_kind_0": "iban",
    "id_value_0": "BE68 5390 0754 7034",
    "privacy": "yes",
    "action": "submit",
}
BIKE = {**PHISHING, "description": "Mon vélo a été volé devant la gare."}


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The web app in demo mode on a fresh store, with cheap Argon2 costs."""
    monkeypatch.setenv("ZONAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZONAL_DEMO_MODE", "true")
    for name in ("ZONAL_DATABASE_URL", "ZONAL_DATA_KEY", "ZONAL_DATA_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    engine = open_store(get_settings())
    web = create_app(get_settings(), engine)
    setup = complaints_setup(engine, get_settings())
    web.state.complaints = replace(
        setup, policy=replace(setup.policy, hasher=SecretHasher(1, 1024, 1))
    )
    yield web
    get_settings.cache_clear()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def token(client: TestClient, path: str = "/complaint/phishing") -> str:
    client.get(path)
    value = client.cookies.get("zonal_csrf")
    assert value
    return value


def submit(
    client: TestClient, fields: dict[str, str], code: str = "phishing", **extra: Any
) -> Response:
    data = {"csrf_token": token(client), **fields}
    return client.post(f"/complaint/{code}", data=data, **extra)


def receipt_of(page: Response) -> tuple[str, str]:
    reference = re.search(r'id="reference">([^<]+)<', page.text)
    code = re.search(r'id="receipt-code">([^<]+)<', page.text)
    assert reference and code, page.text[-2000:]
    return reference.group(1), code.group(1)


def errors_of(page: Response) -> dict[str, str]:
    found = re.findall(r'id="f-([\w-]+)-error"><span[^>]*>[^<]*</span>\s*([^<]+)</p>', page.text)
    return {name: text.strip() for name, text in found}


def follow(client: TestClient, reference: str, code: str, path: str = "/follow") -> Response:
    return client.post(
        path, data={"csrf_token": token(client), "reference": reference, "code": code}
    )


def pdf_text(content: bytes) -> bytes:
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    return b"".join(zlib.decompress(stream) for stream in streams)


def test_start_page_asks_what_happened_and_says_when_to_call_112_or_101(
    client: TestClient,
) -> None:
    page = client.get("/complaint?lang=en")
    assert "Call 112" in page.text and "Call 101" in page.text
    assert "Were you treated badly because of who you are?" in page.text
    bias = client.get("/complaint?about=bias&lang=en")
    assert 'href="/complaint/racist_or_xenophobic_act"' in bias.text
    assert 'href="/complaint/hate_speech"' in bias.text
    assert client.get("/complaint?about=<script>").status_code == 200


@pytest.mark.parametrize("code", [code for group in GROUPS.values() for code in group])
def test_every_offered_form_exists_with_a_csrf_token_and_the_right_questions(
    client: TestClient, code: str
) -> None:
    page = client.get(f"/complaint/{code}?lang=nl")
    assert page.status_code == 200
    assert f'name="csrf_token" value="{client.cookies.get("zonal_csrf")}"' in page.text
    assert ('name="bias_motive"' in page.text) == (code in GROUPS["bias"])
    assert ('name="id_value_0"' in page.text) == (code in GROUPS["online"] or code == "hate_speech")


def test_unknown_or_offline_offence_types_have_no_form(client: TestClient) -> None:
    assert client.get("/complaint/no_such_offence").status_code == 404
    assert client.get("/complaint/unclassified").status_code == 404


def test_a_phishing_complaint_in_french_gives_a_reference_receipt_pdf_and_case_page(
    client: TestClient,
) -> None:
    client.get("/complaint?lang=fr")
    files = [("files", ("sms.png", PNG, "image/png"))]
    page = submit(client, PHISHING, files=files)
    assert page.status_code == 200, errors_of(page)
    assert page.headers["cache-control"] == "no-store"
    assert "Votre plainte a été envoyée" in page.text and "5339" in page.text
    assert "Card Stop" in page.text and "suspect@safeonweb.be" in page.text
    reference, code = receipt_of(page)

    pdf = follow(client, reference, code, "/follow/acknowledgement.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    text = pdf_text(pdf.content)
    assert reference.encode() in text and code.encode() in text
    assert b"Accus" in text  # French labels
    assert b"BE68" not in text and b"SMS de ma banque" not in text  # no personal content

    case = follow(client, reference, code)
    assert case.status_code == 200 and case.headers["cache-control"] == "no-store"
    assert "sms.png" in case.text and "BE68 5390 0754 7034" in case.text


def test_follow_gives_one_refusal_for_a_wrong_code_and_an_unknown_reference(
    client: TestClient,
) -> None:
    reference, code = receipt_of(submit(client, PHISHING))
    wrong = follow(client, reference, "AAAA-BBBB-CCCC-DDDD-EEEE")
    unknown = follow(client, "ZON-2026-999999", code)
    garbage = follow(client, "<script>alert(1)</script>", code)
    assert wrong.status_code == unknown.status_code == garbage.status_code == 403
    message = "This reference and receipt code do not match a complaint."
    assert all(message in page.text for page in (wrong, unknown, garbage))
    assert "<script>alert(1)" not in garbage.text


def test_follow_is_rate_limited_per_reference_and_client_with_a_clear_wait(app: Any) -> None:
    limits = PortalLimits(follow_per_reference=Limit("ref", 3, 900))
    app.state.portal_guard = PortalGuard(limits=limits)
    with TestClient(app) as client:
        reference, code = receipt_of(submit(client, PHISHING))
        for _ in range(3):
            assert follow(client, reference, "WRONG").status_code == 403
        locked = follow(client, reference, code)
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
        assert "wait 15 minutes" in locked.text
        assert follow(client, "ZON-2026-999999", code).status_code == 403  # others still work
    with TestClient(app, client=("203.0.113.20", 50000)) as victim:
        assert follow(victim, reference, code).status_code == 200  # nobody else is locked out


def test_follow_is_rate_limited_per_client(app: Any) -> None:
    app.state.portal_guard = PortalGuard(limits=PortalLimits(follow_per_client=Limit("c", 2, 60)))
    with TestClient(app) as client:
        for reference in ("ZON-2026-000001", "ZON-2026-000002"):
            assert follow(client, reference, "X").status_code == 403
        assert follow(client, "ZON-2026-000003", "X").status_code == 429


def test_ten_wrong_codes_lock_the_case_in_the_service_too(client: TestClient) -> None:
    reference, code = receipt_of(submit(client, PHISHING))
    for attempt in range(10):
        follow(client, reference, f"{attempt:020d}")
    locked = follow(client, reference, code)
    assert locked.status_code == 429 and "wait" in locked.text


def test_posts_without_the_csrf_token_are_refused(client: TestClient) -> None:
    token(client)
    refused = client.post("/complaint/phishing", data={**PHISHING, "csrf_token": "forged"})
    assert refused.status_code == 403
    assert client.post("/follow", data={"reference": "x", "code": "y"}).status_code == 403


def test_messages_and_information_reach_the_case(client: TestClient) -> None:
    reference, code = receipt_of(submit(client, PHISHING))
    keys = {"csrf_token": token(client), "reference": reference, "code": code}
    sent = client.post("/follow/message", data={**keys, "body": "<b>Encore</b> un SMS"})
    assert sent.status_code == 200 and "&lt;b&gt;Encore&lt;/b&gt; un SMS" in sent.text
    empty = client.post("/follow/message", data={**keys, "body": "  \x00 "})
    assert empty.status_code == 422 and "body" in errors_of(empty)
    info = {**keys, "text": "Le numéro était", "id_kind": "phone", "id_value": "0470 99 88 77"}
    added = client.post("/follow/information", data=info)
    assert added.status_code == 200 and "0470 99 88 77" in added.text
    bad = client.post("/follow/information", data={**info, "id_value": "not a phone"})
    assert bad.status_code == 422 and 'value="not a phone"' in bad.text
    files = {"file": ("scan.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")}
    assert "scan.pdf" in client.post("/follow/attachment", data=keys, files=files).text
    gif = {"file": ("a.gif", b"GIF89a" + bytes(20), "image/gif")}
    refused = client.post("/follow/attachment", data=keys, files=gif)
    assert refused.status_code == 422 and "PNG or JPEG" in refused.text


def test_a_postal_code_spanning_two_zones_asks_for_the_municipality(client: TestClient) -> None:
    asked = submit(client, {**BIKE, "postal_code": "1040"}, "bicycle_theft")
    assert asked.status_code == 422 and 'name="municipality_nis" value="21005"' in asked.text
    chosen = submit(
        client, {**BIKE, "postal_code": "1040", "municipality_nis": "21005"}, "bicycle_theft"
    )
    assert "5343" in chosen.text
    by_name = submit(
        client, {**BIKE, "postal_code": "", "municipality": "ixelles"}, "bicycle_theft"
    )
    assert "5339" in by_name.text


def test_adding_an_identifier_row_keeps_everything_typed(client: TestClient) -> None:
    page = submit(client, {**PHISHING, "action": "add_row", "id_value_1": "ab<c"})
    assert page.status_code == 200
    assert 'name="id_value_3"' in page.text and 'value="ab&lt;c"' in page.text
    assert "J&#39;ai reçu un SMS" in page.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "short"}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"description": "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"}, "description"),
        ({"occurred_date": "2999-01-01"}, "occurred_date"),
        ({"occurred_date": "yesterday"}, "occurred_date"),
        ({"occurred_time": "25:99"}, "occurred_date"),
        ({"ended_date": "2025-01-01"}, "ended_date"),
        ({"postal_code": "10a0"}, "postal_code"),
        ({"postal_code": "9000"}, "postal_code"),  # Ghent: outside the shipped Brussels zones
        ({"postal_code": "", "municipality": "Atlantis"}, "municipality"),
        ({"postal_code": ""}, "postal_code"),
        ({"loss_eur": "lots"}, "loss_eur"),
        ({"loss_eur": "-5"}, "loss_eur"),
        ({"loss_eur": "NaN"}, "loss_eur"),
        ({"loss_eur": "1e400"}, "loss_eur"),
        ({"id_value_0": "BE00 0000 0000 0000"}, "id_0"),
        ({"id_kind_0": "passport"}, "id_0"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"privacy": ""}, "privacy"),
    ],
)
def test_hostile_or_wrong_input_gets_an_error_next_to_its_field(
    client: TestClient, change: dict[str, str], field: str
) -> None:
    page = submit(client, {**PHISHING, **change})
    assert page.status_code == 422
    assert field in errors_of(page), errors_of(page)
    assert 'id="error-summary"' in page.text


def test_script_injection_and_nul_bytes_are_stored_and_shown_as_text(client: TestClient) -> None:
    text = "<script>alert('x')</script> SMS\x00 reçu ‮gnp.exe"
    reference, code = receipt_of(submit(client, {**PHISHING, "description": text}))
    case = follow(client, reference, code)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; SMS reçu gnp.exe" in case.text
    assert "<script>alert" not in case.text and "\x00" not in case.text


def test_a_kept_value_is_escaped_when_the_form_comes_back(client: TestClient) -> None:
    page = submit(client, {**PHISHING, "privacy": "", "description": '"><script>x()</script>'})
    assert page.status_code == 422
    assert "&#34;&gt;&lt;script&gt;x()&lt;/script&gt;" in page.text
    assert "<script>x()" not in page.text


def test_bias_motive_is_asked_and_checked_for_discrimination(client: TestClient) -> None:
    racist = {**BIKE, "description": "On m'a insulté dans le tram à cause de mon origine."}
    missing = submit(client, racist, "racist_or_xenophobic_act")
    assert "bias_motive" in errors_of(missing)
    wrong = submit(client, {**racist, "bias_motive": "evil"}, "racist_or_xenophobic_act")
    assert "bias_motive" in errors_of(wrong)
    done = submit(
        client, {**racist, "bias_motive": "racism_xenophobia"}, "racist_or_xenophobic_act"
    )
    assert done.status_code == 200 and "Unia" in done.text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.png", b"<html><script>alert(1)</script></html>"),
        ("anim.gif", b"GIF89a" + bytes(20)),
        ("empty.png", b""),
        ("huge.png", b"\x89PNG\r\n\x1a\n" + bytes(10 * 1024 * 1024)),
    ],
)
def test_only_real_png_jpeg_or_pdf_files_up_to_10_mb_are_accepted(
    client: TestClient, name: str, content: bytes
) -> None:
    page = submit(client, PHISHING, files=[("files", (name, content, "image/png"))])
    assert page.status_code == 422 and "files" in errors_of(page)
    assert "ZON-" not in page.text  # nothing was filed


def test_no_file_chosen_is_not_an_error(client: TestClient) -> None:
    # What a browser sends for an empty file input: a part without a file name.
    page = submit(client, PHISHING, files=[("files", ("", b"", "application/octet-stream"))])
    assert page.status_code == 200, errors_of(page)


def test_wrong_types_and_encodings_never_crash(client: TestClient) -> None:
    as_file = submit(client, PHISHING, files=[("description", ("d.txt", b"text", "text/plain"))])
    assert as_file.status_code == 422  # a file where text belongs counts as no text
    raw = b"csrf_token=" + token(client).encode() + b"&description=%FF%FE%00abc&privacy=yes"
    encoded = client.post(
        "/complaint/phishing",
        content=raw,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert encoded.status_code == 422
    many = {f"field{i}": "x" for i in range(500)}
    assert submit(client, {**PHISHING, **many}).status_code == 400
    assert submit(client, {**PHISHING, "description": "y" * 70_000}).status_code in (400, 422)


def test_filing_is_rate_limited_per_client_but_mistakes_do_not_count(app: Any) -> None:
    app.state.portal_guard = PortalGuard(limits=PortalLimits(submit_per_client=Limit("s", 1, 3600)))
    with TestClient(app) as client:
        for _ in range(3):
            assert submit(client, {**PHISHING, "privacy": ""}).status_code == 422
        assert submit(client, PHISHING).status_code == 200
        refused = submit(client, PHISHING)
        assert refused.status_code == 429 and "wait 60 minutes" in refused.text


def test_reloading_the_acknowledgement_never_files_the_complaint_again(app: Any) -> None:
    with TestClient(app, follow_redirects=False) as client:
        posted = submit(client, PHISHING)
        assert posted.status_code == 303 and posted.headers["location"] == "/acknowledgement"
        for flag in ("HttpOnly", "SameSite=strict", "Path=/acknowledgement"):
            assert flag in posted.headers["set-cookie"]
        shown = client.get("/acknowledgement")
        assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
        reference, code = receipt_of(shown)
        for _ in range(2):
            reloaded = client.get("/acknowledgement")
            assert reloaded.status_code == 410 and 'href="/follow"' in reloaded.text
            assert reference not in reloaded.text and code not in reloaded.text
            assert "It was not sent a second time." in reloaded.text
        pdf = follow(client, reference, code, "/follow/acknowledgement.pdf")
        assert pdf.status_code == 200 and reference.encode() in pdf_text(pdf.content)
    with app.state.complaints.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 1


def test_only_the_browser_that_filed_sees_the_receipt(app: Any) -> None:
    with TestClient(app, follow_redirects=False) as filer, TestClient(app) as other:
        assert submit(filer, PHISHING).status_code == 303
        assert other.get("/acknowledgement").status_code == 410
        other.cookies.set("zonal_ack", "guessed-token", path="/acknowledgement")
        forged = other.get("/acknowledgement")
        assert forged.status_code == 410 and "ZON-" not in forged.text
        assert receipt_of(filer.get("/acknowledgement"))[0].startswith("ZON-")
