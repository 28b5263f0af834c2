"""One exception tree: every exception class of src/zonal is drawn in zonal/errors.py's
docstring under its real parent, and one handler gives each its status and Retry-After."""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

import zonal.errors
from zonal.errors import ConcurrentUpdate, TooManyAttempts, ZonalError
from zonal.web.errors import install_error_handlers, refusal
from zonal.web.security import RateLimited

SRC = Path(__file__).resolve().parents[2] / "src" / "zonal"
_NODE = re.compile(r"(?:├── |└── |^\s{4})([A-Z]\w+)( [*†‡])?")
_LEGEND = re.compile(r"([*†‡]) (zonal(?:\.\w+)+)")


def _base_names(node: ast.ClassDef) -> list[str]:
    return [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "?") for b in node.bases]


def defined_exceptions() -> dict[str, tuple[str, str]]:
    """Every exception class in src/zonal: name -> (module, name of its base)."""
    classes: list[tuple[str, str, list[str]]] = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(("zonal", *path.relative_to(SRC).with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes.append((module, node.name, _base_names(node)))
    found: dict[str, tuple[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    growing = True
    while growing:  # an exception's base is a built-in exception or an exception found already
        growing = False
        for module, name, bases in classes:
            base = next((b for b in bases if b in found or _builtin_exception(b)), None)
            if base is None or (module, name) in seen:
                continue
            assert name not in found, f"two exception classes named {name}"
            found[name], growing = (module, base), True
            seen.add((module, name))
    return found


def _builtin_exception(name: str) -> bool:
    kind = getattr(builtins, name, None)
    return isinstance(kind, type) and issubclass(kind, BaseException)


def drawn_tree(doc: str) -> dict[str, tuple[str, str]]:
    """The tree in `doc`: name -> (module by its legend mark, parent's name)."""
    modules: dict[str, str] = dict(_LEGEND.findall(doc))
    drawn: dict[str, tuple[str, str]] = {}
    stack: list[tuple[int, str]] = []
    for line in doc.splitlines():
        match = _NODE.search(line)
        if match is None or "Defined in" in line:
            continue
        column, name, mark = match.start(1), match.group(1), (match.group(2) or "").strip()
        while stack and stack[-1][0] >= column:
            stack.pop()
        assert name not in drawn, f"{name} is drawn twice"
        parent = stack[-1][1] if stack else "Exception"
        drawn[name] = (modules.get(mark, "zonal.errors"), parent)
        stack.append((column, name))
    return drawn


def test_every_exception_class_is_drawn_under_its_parent_with_its_module() -> None:
    assert zonal.errors.__doc__ is not None
    assert drawn_tree(zonal.errors.__doc__) == defined_exceptions()


def test_the_tree_reader_sees_a_class_left_out_or_misplaced() -> None:
    doc = """
    ZonalError          x
     ├── InputError     y
     │    └── Deep *    z
     └── Other          w

    * zonal.somewhere
    """
    assert drawn_tree(doc) == {
        "ZonalError": ("zonal.errors", "Exception"),
        "InputError": ("zonal.errors", "ZonalError"),
        "Deep": ("zonal.somewhere", "InputError"),
        "Other": ("zonal.errors", "ZonalError"),
    }
    found = defined_exceptions()
    assert found["RateLimited"] == ("zonal.web.security", "TooManyAttempts")
    assert found["CaseNotFound"] == ("zonal.complaints.domain.errors", "NotFoundError")


def _app(error: ZonalError, language: str = "en") -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.middleware("http")
    async def english(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.language = language  # what the app's language middleware sets
        return await call_next(request)

    @app.get("/api/refused")
    def refused() -> None:
        raise error

    @app.get("/refused")
    def refused_page() -> None:
        raise error

    return TestClient(app)


@pytest.mark.parametrize(
    "error",
    [
        RateLimited("Too many attempts. Please wait about 2 minute(s).", 90),
        TooManyAttempts("too many failed attempts: wait 3 minutes", 150),
    ],
    ids=["rate-limited", "too-many-attempts"],
)
def test_both_kinds_of_waiting_get_429_and_retry_after_from_the_one_handler(
    error: TooManyAttempts,
) -> None:
    client = _app(error)
    for path, accept in (("/api/refused", "*/*"), ("/refused", "text/html")):
        answer = client.get(path, headers={"accept": accept})
        assert answer.status_code == 429
        assert answer.headers["retry-after"] == str(error.retry_after)
    assert client.get("/api/refused").json() == {"error": str(error), "status": 429}
    assert str(error) in client.get("/refused", headers={"accept": "text/html"}).text


def test_other_errors_carry_no_retry_after() -> None:
    answer = _app(zonal.errors.NotAllowed("not for you")).get("/api/refused")
    assert answer.status_code == 403 and "retry-after" not in answer.headers


def test_a_route_showing_its_own_page_gets_status_and_headers_from_the_handler() -> None:
    statuses: list[int] = []

    def page(status: int) -> Response:
        statuses.append(status)
        return PlainTextResponse("the form again", status_code=status)

    request = Request({"type": "http", "method": "POST", "path": "/office/login", "headers": []})
    response = refusal(request, RateLimited("wait", 42), page)
    assert statuses == [429] and response.headers["retry-after"] == "42"


def test_a_stale_write_gets_409_and_a_translated_plea_to_reload() -> None:
    error = ConcurrentUpdate("case ZON-2026-000001 was changed ... (version 7); read it again")
    english = _app(error).get("/api/refused")
    assert english.status_code == 409 and "retry-after" not in english.headers
    assert english.json()["error"] == (
        "This case was changed by someone else meanwhile, and your change was not saved. "
        "Reload the case and try again."
    )
    page = _app(error, "fr").get("/refused", headers={"accept": "text/html"})
    assert page.status_code == 409 and "Rechargez le dossier" in page.text
    assert "version" not in page.text
