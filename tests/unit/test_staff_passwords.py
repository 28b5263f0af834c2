"""The staff password rule: length, no repeated pattern, no username or name inside, not a
common password; the same rule for a new account and for a reset, and the shipped list."""

from __future__ import annotations

import gzip
from importlib.resources import files

import pytest
from pydantic import ValidationError

from tests.factories import PASSWORD, MemoryWorld
from zonal.complaints.domain.staff import Role
from zonal.complaints.rules import COMMON_PASSWORDS_FILE, common_passwords, password_problem
from zonal.complaints.schemas import StaffCreate
from zonal.errors import InputError
from zonal.services import complaints as services
from zonal.services.demo import DEMO_PASSWORD

REFUSED = [
    ("aaaaaaaaaaaa", "repeats one character or pattern"),
    ("abcabcabcabc", "repeats one character or pattern"),
    ("abababababab1", "repeats one character or pattern"),
    ("password1234", "is a common one"),
    ("Sunshine2024", "is a common one"),
    ("1QAZ2wsx3edc", "is a common one"),
    ("q1w2e3r4t5y6", "is a common one"),
    ("my-JDUPONT-secret-42", "contains the username or the name"),
    ("since 1990 jan dupont rules", "contains the username or the name"),
    ("short", "12 to 256 characters"),
]


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_weak_passwords_are_refused_with_what_to_change(password: str, message: str) -> None:
    assert message in (password_problem(password, "jdupont", "Jan Dupont") or "")


@pytest.mark.parametrize(
    "password", ["tram rust onder de linde bij 7 bruggen", PASSWORD, DEMO_PASSWORD, "a123456789012"]
)
def test_long_mixed_passphrases_are_accepted(password: str) -> None:
    assert password_problem(password, "jdupont", "Jan Dupont") is None


def test_the_new_account_form_applies_the_rule_to_the_password_field() -> None:
    with pytest.raises(ValidationError) as refused:
        StaffCreate(
            username="jdupont",
            display_name="Jan Dupont",
            role="zone_chief",
            scope={"5339"},
            password="JDupont-at-home-1",
        )
    (error,) = refused.value.errors()
    assert error["loc"] == ("password",)
    assert error["msg"] == "the password contains the username or the name; choose one without them"


def test_the_common_password_list_ships_inside_the_package() -> None:
    shipped = files("zonal.complaints").joinpath("data", COMMON_PASSWORDS_FILE).read_bytes()
    lines = gzip.decompress(shipped).decode().split()
    assert len(common_passwords()) > 10_000 and len(lines) > 10_000
    assert {"password", "123456", "qwerty"} <= common_passwords()
    licence = files("zonal.complaints").joinpath("data", "LICENSE-common-passwords.txt")
    assert "BSD" in licence.read_text() or "Redistribution" in licence.read_text()


@pytest.mark.parametrize(
    ("password", "message"),
    [("aaaaaaaaaaaa", "repeats"), ("password1234", "common"), ("intake-2024-at-home", "username")],
)
def test_a_reset_applies_the_same_rule_and_keeps_the_old_password(
    password: str, message: str
) -> None:
    world = MemoryWorld()
    world.staff("intake", Role.INTAKE_OFFICER, "5339")
    admin = world.login("admin")
    with pytest.raises(InputError, match=message):
        services.reset_staff_password(world.uow(), admin, "intake", password)
    assert world.login("intake").username == "intake"  # PASSWORD still opens it
