"""Staff sessions expire when idle or too old and end at logout; the PDF export is Latin-1."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse, Response

from tests.factories import T0, Clock, english_labels, exported_case
from zonal.complaints.pdf import case_pdf, latin1
from zonal.web.staff_session import (
    ABSOLUTE,
    IDLE,
    MAX_REASONS,
    SESSION_COOKIE,
    MemorySessionStore,
    Sessions,
    StaffSession,
    remember_reason,
)


def session_app(sessions: Sessions) -> FastAPI:
    app = FastAPI()

    @app.post("/office/login")
    def login(request: Request) -> Response:
        response = PlainTextResponse("in")
        sessions.start(request, response, 7)
        return response

    @app.get("/office/me")
    def me(request: Request) -> Response:
        session = sessions.current(request)
        return PlainTextResponse(str(session.staff_id) if session else "anonymous")

    @app.post("/office/logout")
    def logout(request: Request) -> Response:
        response = PlainTextResponse("out")
        sessions.end(request, response)
        return response

    return app


def test_a_session_lives_while_used_and_dies_when_idle() -> None:
    clock = Clock()
    client = TestClient(session_app(Sessions(MemorySessionStore(), clock)), "https://testserver")
    client.post("/office/login")
    for _ in range(3):
        clock.now += IDLE - timedelta(minutes=1)
        assert client.get("/office/me").text == "7"
    clock.now += IDLE + timedelta(seconds=1)
    assert client.get("/office/me").text == "anonymous"


def test_a_session_ends_after_the_absolute_limit_even_when_used() -> None:
    clock = Clock()
    client = TestClient(session_app(Sessions(MemorySessionStore(), clock)), "https://testserver")
    client.post("/office/login")
    while clock.now - T0 <= ABSOLUTE:
        clock.now += timedelta(minutes=20)
        client.get("/office/me")
    assert client.get("/office/me").text == "anonymous"


def test_the_store_keeps_no_cookie_value_and_logout_forgets_the_session() -> None:
    store = MemorySessionStore()
    client = TestClient(session_app(Sessions(store)), "https://testserver")
    client.post("/office/login")
    session_id = client.cookies[SESSION_COOKIE]
    assert store.get(session_id) is None  # stored under a digest, not the id itself
    client.post("/office/logout")
    client.cookies.set(SESSION_COOKIE, session_id, domain="testserver", path="/office")
    assert client.get("/office/me").text == "anonymous"


def test_reasons_are_kept_per_case_up_to_a_limit() -> None:
    session = StaffSession(1, T0, T0)
    for number in range(MAX_REASONS + 5):
        session = remember_reason(session, f"ZON-2026-{number:06d}", "triage")
    assert len(session.reasons) == MAX_REASONS
    assert "ZON-2026-000000" not in session.reasons
    assert (
        remember_reason(session, "ZON-2026-000054", "again").reasons["ZON-2026-000054"] == "again"
    )


def test_text_outside_latin1_is_transliterated_for_the_pdf() -> None:
    assert latin1("Marie Dupont-Lefèvre") == "Marie Dupont-Lefèvre"
    assert (
        latin1("l\u2019escroc a pris 50 \u20ac \u2014 \u0153uvre")
        == "l'escroc a pris 50 EUR - oeuvre"
    )
    assert latin1("Łódź Смс") == "Lódz ???"


def test_the_pdf_holds_the_case() -> None:
    history = [{"from_status": None, "to_status": "received", "at": "2026-03-02T09:00:00Z",
                "actor": "victim", "unit": "5339", "reason": ""}]  # fmt: skip
    export = exported_case(
        description="Un SMS \u2019 \u20ac Смс",
        identifiers=[{"kind": "iban", "value": "BE68 5390 0754 7034"}],
        history=history,
    )
    pdf = case_pdf(export, english_labels())
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
