"""Smaller abuses of the served app (issue 17, item 9): bodies over the cap refused before they
are read, ids too large for the store answered 422 rather than 500, HSTS over https."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse, Response

from tests.factories import Office
from zonal.web.limits import MAX_BODY_BYTES, BodyLimit


def test_a_declared_oversized_body_is_refused_before_it_is_read(office: Office) -> None:
    client = office.client()
    headers = {"Content-Length": str(200 * 1024 * 1024), "Accept-Language": "fr"}
    refused = client.post("/complaint/phishing", content=b"x" * 10, headers=headers)
    assert refused.status_code == 413
    assert "trop volumineux" in refused.text and str(MAX_BODY_BYTES // 2**20) in refused.text


def _echo_app(seen: list[int]) -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> Response:
        body = await request.body()
        seen.append(len(body))
        return PlainTextResponse(str(len(body)))

    def too_large(_request: Request) -> Response:
        return PlainTextResponse("too large", status_code=413)

    app.add_middleware(BodyLimit, too_large=too_large, max_bytes=1000)
    return app


def _chunks(count: int) -> Iterator[bytes]:
    for _ in range(count):
        yield b"y" * 100


def test_a_chunked_body_is_cut_off_at_the_cap() -> None:
    seen: list[int] = []
    client = TestClient(_echo_app(seen))
    assert client.post("/echo", content=_chunks(5)).text == "500"  # within the cap: read
    refused = client.post("/echo", content=_chunks(50))
    assert refused.status_code == 413 and refused.text == "too large"
    assert seen == [500]  # the over-long body never reached the route in full


def test_ids_beyond_the_stores_integers_are_422_not_500(office: Office) -> None:
    client = office.client()
    for path in ("/api/forecasts/9223372036854775808", "/api/forecasts/2147483648/points.csv"):
        answer = client.get(path)
        assert answer.status_code == 422, (path, answer.status_code)
    assert client.get("/api/forecasts/2147483647").status_code == 404
    assert client.get("/forecast", params={"run": 2**63}).status_code == 422


def test_https_answers_carry_hsts_and_plain_http_does_not(office: Office) -> None:
    assert "max-age=" in office.client().get("/").headers["strict-transport-security"]
    plain = TestClient(office.app, base_url="http://testserver")
    assert "strict-transport-security" not in plain.get("/").headers
