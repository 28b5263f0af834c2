"""Authorisation has one source of truth: the permission table in complaints/domain/staff.py.

Code elsewhere asks `can(role, action)` or `account.may(action)`; a comparison with a role
(`staff.role is Role.DPO`, `role in (...)`, a template's `staff.role.value == "dpo"`) would be a
second answer that the table cannot change, so these tests walk the code for them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from zonal.complaints.domain.staff import Action, Role, StaffAccount, can, roles_that_can
from zonal.web.routes.backoffice import home_of

SRC = Path(__file__).resolve().parents[2] / "src" / "zonal"
TABLE = SRC / "complaints" / "domain" / "staff.py"
TEMPLATES = SRC / "web" / "templates"


def _is_role_member(node: ast.expr) -> bool:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role_member(element) for element in node.elts)
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and (node.value.id == "Role")
    )


def _is_role_value(node: ast.expr) -> bool:
    """`x.role`, `x.role.value`, `role` or `role.value`: an account's role read for a test."""
    if isinstance(node, ast.Attribute) and node.attr == "value":
        node = node.value
    if isinstance(node, ast.Name):
        return node.id == "role"
    return isinstance(node, ast.Attribute) and node.attr == "role"


def _is_column(node: ast.expr) -> bool:
    # `StaffRow.role == role.value` builds a repository's SQL filter; it decides nothing.
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id.endswith("Row")
    )


def role_tests(source: str) -> list[int]:
    """The line numbers where `source` compares a role instead of asking the table."""
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_column(o) for o in operands):
                continue
            if any(_is_role_member(o) or _is_role_value(o) for o in operands):
                found.append(node.lineno)
        elif isinstance(node, ast.MatchValue) and _is_role_member(node.value):
            found.append(node.lineno)
    return found


def test_no_code_outside_the_permission_table_compares_roles() -> None:
    bad = [
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        if path != TABLE
        for line in role_tests(path.read_text(encoding="utf-8"))
    ]
    assert not bad, f"ask can(role, action) / account.may(action) instead: {bad}"


@pytest.mark.parametrize(
    "source",
    [
        "if staff.role is Role.DPO: pass",
        "across = staff.role == Role.FEDERAL_ANALYST",
        "ok = role is not Role.ADMINISTRATOR",
        "ok = staff.role in (Role.DPO, Role.ZONE_CHIEF)",
        "ok = staff.role.value == 'dpo'",
        "ok = role == 'administrator'",
        "match staff.role:\n    case Role.DPO:\n        pass",
    ],
)
def test_the_guard_detects_a_role_comparison(source: str) -> None:
    assert len(role_tests(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "account = StaffAccount(0, 'a', 'A', Role.DPO, frozenset())",  # building an account
        "ok = staff.may(Action.VIEW_AUDIT) and can(role, Action.MANAGE_STAFF)",
        "query = select(StaffRow).where(StaffRow.role == role.value)",
        "label = staff.role.value",
    ],
)
def test_the_guard_allows_accounts_lookups_and_queries(source: str) -> None:
    assert role_tests(source) == []


_TEMPLATE_ROLE_TEST = re.compile(r"role(\.value)?\s*(==|!=|\bis\b|\bin\b|\bnot in\b)")
_TEMPLATE_PERMISSION = re.compile(r"""["'](\w+)["']\s+in\s+(?:staff\.permissions|allowed)\b""")


def test_templates_ask_permissions_not_roles() -> None:
    pages = {
        p.relative_to(TEMPLATES): p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.html")
    }
    assert not [str(name) for name, text in pages.items() if _TEMPLATE_ROLE_TEST.search(text)]
    named = {m.group(1) for text in pages.values() for m in _TEMPLATE_PERMISSION.finditer(text)}
    assert named, "the back-office templates should ask the permission table"
    assert named <= {a.value for a in Action}, named - {a.value for a in Action}


def account(role: Role, active: bool = True) -> StaffAccount:
    return StaffAccount(1, "someone", "Someone", role, frozenset({"5339"}), active)


def test_an_account_may_what_its_role_can_until_it_is_disabled() -> None:
    for role in Role:
        assert account(role).permissions == {a for a in Action if can(role, a)}
        assert account(role, active=False).permissions == frozenset()
    assert roles_that_can(Action.LINK_ACROSS_ZONES) == {Role.FEDERAL_ANALYST}
    assert roles_that_can(Action.VIEW_WHOLE_AUDIT) == {Role.DPO}
    assert roles_that_can(Action.MANAGE_STAFF) == {Role.ADMINISTRATOR}


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.INTAKE_OFFICER, "/office/queue"),
        (Role.ZONE_CHIEF, "/office/queue"),
        (Role.FEDERAL_ANALYST, "/office/queue"),
        (Role.DPO, "/office/audit"),
        (Role.ADMINISTRATOR, "/office/accounts"),
    ],
)
def test_each_role_starts_where_its_permissions_lead(role: Role, home: str) -> None:
    assert home_of(account(role)) == home


def test_the_start_page_follows_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from zonal.complaints.domain import staff as table

    changed = dict(table.PERMISSIONS)
    changed[Role.DPO] = changed[Role.DPO] | {Action.LIST_QUEUE}
    monkeypatch.setattr(table, "PERMISSIONS", changed)
    assert home_of(account(Role.DPO)) == "/office/queue"
