"""Receipt codes and references, the permission matrix, and the domain's purity."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from zonal.complaints.domain.receipt import (
    ENTROPY_BITS,
    SecretHasher,
    canonical_code,
    format_reference,
    hash_receipt,
    new_receipt_code,
    parse_reference,
    verify_receipt,
)
from zonal.complaints.domain.staff import (
    PERMISSIONS,
    Action,
    Role,
    StaffAccount,
    can,
    check_scope,
    check_username,
)
from zonal.errors import InputError, NotAllowed

CHEAP = SecretHasher(1, 1024, 1)
DOMAIN = Path(__file__).resolve().parents[2] / "src" / "zonal" / "complaints" / "domain"


def test_references_are_zero_padded_and_read_back_whatever_the_case() -> None:
    assert format_reference(2026, 123) == "ZON-2026-000123"
    assert parse_reference(" zon-2026-000123 ") == "ZON-2026-000123"
    assert parse_reference("ZON-2026-1") is None
    assert parse_reference("'; DROP TABLE complaint_cases; --") is None
    with pytest.raises(InputError):
        format_reference(2026, 0)


def test_receipt_codes_carry_at_least_80_bits_in_readable_groups() -> None:
    codes = {new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    assert ENTROPY_BITS >= 80
    assert all(re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}", c) for c in codes)


def test_only_the_hash_is_kept_and_typos_do_not_matter() -> None:
    code = "ABCD-EFGH-JKMN-0011-WXYZ"
    hashed = hash_receipt(CHEAP, code)
    assert code not in hashed and hashed.startswith("$argon2id$")
    assert verify_receipt(CHEAP, hashed, "abcd efgh jkmn oOil wxyz")
    assert not verify_receipt(CHEAP, hashed, "ABCD-EFGH-JKMN-0011-WXYY")
    assert not verify_receipt(CHEAP, "not a hash", code)
    assert canonical_code("x" * 1000) == "X" * 40  # a huge input is cut before hashing


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (Role.INTAKE_OFFICER, Action.TRIAGE, True),
        (Role.INTAKE_OFFICER, Action.VIEW_AUDIT, False),
        (Role.INTAKE_OFFICER, Action.VIEW_ESCALATIONS, False),
        (Role.INTAKE_OFFICER, Action.CLOSE, False),
        (Role.ZONE_INVESTIGATOR, Action.CLOSE, True),
        (Role.ZONE_INVESTIGATOR, Action.REROUTE, False),
        (Role.ZONE_CHIEF, Action.VIEW_AUDIT, True),
        (Role.FEDERAL_ANALYST, Action.LINK_ACROSS_ZONES, True),
        (Role.ZONE_CHIEF, Action.LINK_ACROSS_ZONES, False),
        (Role.ADMINISTRATOR, Action.READ_CASE, False),
        (Role.ADMINISTRATOR, Action.MANAGE_STAFF, True),
        (Role.DPO, Action.VIEW_AUDIT, True),
        (Role.DPO, Action.TRIAGE, False),
    ],
)
def test_the_permission_matrix(role: Role, action: Action, allowed: bool) -> None:
    assert can(role, action) is allowed


def test_every_role_has_a_row_and_every_action_a_role() -> None:
    assert set(PERMISSIONS) == set(Role)
    assert set().union(*PERMISSIONS.values()) == set(Action)


def test_a_refusal_names_the_user_role_and_action() -> None:
    intake = StaffAccount(1, "intake", "Intake", Role.INTAKE_OFFICER, frozenset({"5339"}))
    with pytest.raises(NotAllowed, match="intake .intake_officer. may not view audit"):
        intake.require(Action.VIEW_AUDIT)
    disabled = StaffAccount(2, "chief", "Chief", Role.ZONE_CHIEF, frozenset({"5339"}), False)
    with pytest.raises(NotAllowed):
        disabled.require(Action.READ_CASE)


@pytest.mark.parametrize("name", ["ab", "1abc", "a b c", "x" * 41, "jan<script>"])
def test_malformed_usernames_are_refused(name: str) -> None:
    with pytest.raises(InputError, match="username"):
        check_username(name)


def test_scope_holds_zone_numbers_or_unit_codes() -> None:
    assert check_scope({"5339", "FCCU"}) == frozenset({"5339", "FCCU"})
    for bad in ({"zone 5339"}, set(), {"fccu"}):
        with pytest.raises(InputError, match="scope"):
            check_scope(bad)


def test_the_domain_imports_no_database_web_or_cli_code() -> None:
    forbidden = (
        *("sqlalchemy", "alembic", "fastapi", "starlette", "typer", "jinja2", "zonal.web"),
        *("zonal.cli", "zonal.storage", "zonal.services", "zonal.storage.complaints"),
    )
    found = []
    for path in sorted(DOMAIN.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.startswith(forbidden)]
    assert len(list(DOMAIN.glob("*.py"))) >= 8
    assert found == []
