"""CSRF double-submit and rate limits, in memory and in Redis."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient

from tests.conftest import require
from zonal.web.security import (
    CSRF_COOKIE,
    CsrfError,
    Limit,
    MemoryCounter,
    RateLimited,
    RateLimiter,
    RedisCounter,
    check_csrf,
    csrf_token,
    set_csrf_cookie,
)


def form_app() -> FastAPI:
    app = FastAPI()

    @app.get("/form")
    def form(request: Request) -> HTMLResponse:
        response = HTMLResponse(f'<input name="csrf_token" value="{csrf_token(request)}">')
        set_csrf_cookie(request, response)
        return response

    @app.post("/form")
    def post(request: Request, csrf_token: str = Form("")) -> PlainTextResponse:
        try:
            check_csrf(request, csrf_token)
        except CsrfError as exc:
            return PlainTextResponse(str(exc), status_code=exc.http_status)
        return PlainTextResponse("ok")

    return app


def test_a_form_posted_with_its_token_is_accepted() -> None:
    client = TestClient(form_app())
    page = client.get("/form")
    token = page.text.split('value="')[1].split('"')[0]
    assert page.cookies[CSRF_COOKIE] == token
    assert client.post("/form", data={"csrf_token": token}).text == "ok"


@pytest.mark.parametrize("token", ["", "forged", "x" * 43])
def test_a_post_without_the_matching_token_is_refused(token: str) -> None:
    client = TestClient(form_app())
    client.get("/form")
    response = client.post("/form", data={"csrf_token": token})
    assert response.status_code == 403
    assert "Reload the page" in response.text


def test_a_post_without_the_cookie_is_refused() -> None:
    client = TestClient(form_app())
    token = client.get("/form").text.split('value="')[1].split('"')[0]
    client.cookies.clear()
    assert client.post("/form", data={"csrf_token": token}).status_code == 403


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_limit_refuses_past_the_limit_then_recovers() -> None:
    clock = FakeClock()
    limiter = RateLimiter(MemoryCounter(clock))
    limit = Limit("login", attempts=3, window_seconds=60)
    for _ in range(3):
        limiter.check(limit, "10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        limiter.check(limit, "10.0.0.1")
    assert refused.value.http_status == 429 and refused.value.retry_after <= 60
    limiter.check(limit, "10.0.0.2")  # another client is not affected
    clock.now += 61
    limiter.check(limit, "10.0.0.1")


def test_redis_counter_is_shared_and_expires() -> None:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        client.ping()
        reachable = True
    except redis.exceptions.ConnectionError:
        reachable = False
    require(reachable, "Redis at 127.0.0.1:6379 is not reachable")
    prefix = f"zonal-test:{uuid.uuid4().hex}:"
    first, second = (
        RateLimiter(RedisCounter(client, prefix)),
        RateLimiter(RedisCounter(client, prefix)),
    )
    limit = Limit("receipt", attempts=2, window_seconds=30)
    first.check(limit, "ref-1")
    second.check(limit, "ref-1")
    with pytest.raises(RateLimited):
        first.check(limit, "ref-1")
    ttl = client.ttl(f"{prefix}receipt:ref-1")
    assert 0 < ttl <= 30
    client.delete(f"{prefix}receipt:ref-1")


def test_the_app_answers_429_with_retry_after() -> None:
    from zonal.web.errors import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)
    limiter = RateLimiter(MemoryCounter())

    @app.get("/api/look-up")
    def look_up() -> dict[str, str]:
        limiter.check(Limit("look-up", attempts=1, window_seconds=600), "client")
        return {"ok": "yes"}

    client = TestClient(app)
    assert client.get("/api/look-up").status_code == 200
    refused = client.get("/api/look-up")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 600
    assert "Too many attempts" in refused.json()["error"]
