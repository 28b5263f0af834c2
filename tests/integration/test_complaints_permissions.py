"""The services do what the permission table says: change a row of the table and the behaviour
changes with it (no role is tested anywhere else)."""

from __future__ import annotations

import pytest

from tests.factories import SqlWorld, complaint
from zonal.complaints.domain import staff as table
from zonal.complaints.domain.staff import Action, Role
from zonal.complaints.queries import AuditQuery
from zonal.complaints.schemas import StaffCreate
from zonal.errors import NotAllowed
from zonal.services import complaints as services

ETTERBEEK = {"postal_code": "1040", "municipality_nis": "21005"}  # zone 5343


def grant(monkeypatch: pytest.MonkeyPatch, role: Role, action: Action, given: bool) -> None:
    changed = dict(table.PERMISSIONS)
    changed[role] = changed[role] | {action} if given else changed[role] - {action}
    monkeypatch.setattr(table, "PERMISSIONS", changed)


def two_linked_cases(world: SqlWorld) -> tuple[str, str]:
    first = services.submit_complaint(world.uow(), complaint()).reference
    second = services.submit_complaint(world.uow(), complaint(place=ETTERBEEK)).reference
    return first, second


def test_a_role_given_link_across_zones_sees_links_in_other_zones(
    world: SqlWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_linked_cases(world)
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    assert services.linked_complaints(world.uow(), chief, first) == []
    grant(monkeypatch, Role.ZONE_CHIEF, Action.LINK_ACROSS_ZONES, True)
    linked = services.linked_complaints(world.uow(), chief, first)
    assert [(c.reference, c.competent_unit) for c in linked] == [(second, "5343")]


def test_an_analyst_without_link_across_zones_sees_only_their_scope(
    world: SqlWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = two_linked_cases(world)
    analyst = world.staff("analyst", Role.FEDERAL_ANALYST, "FCCU", "5339")
    grant(monkeypatch, Role.FEDERAL_ANALYST, Action.LINK_ACROSS_ZONES, False)
    assert services.linked_complaints(world.uow(), analyst, first) == []


def logged_units(world: SqlWorld, account: table.StaffAccount) -> set[str | None]:
    return {e.unit for e in services.audit_log(world.uow(), account, AuditQuery())}


def test_the_whole_audit_log_follows_view_whole_audit(
    world: SqlWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_linked_cases(world)
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    dpo = world.staff("dpo", Role.DPO, "5339")
    assert "5343" not in logged_units(world, chief)
    assert "5343" in logged_units(world, dpo)
    grant(monkeypatch, Role.ZONE_CHIEF, Action.VIEW_WHOLE_AUDIT, True)
    grant(monkeypatch, Role.DPO, Action.VIEW_WHOLE_AUDIT, False)
    assert "5343" in logged_units(world, chief)
    assert "5343" not in logged_units(world, dpo)


def test_the_first_account_must_be_one_that_manages_staff(
    world: SqlWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant(monkeypatch, Role.ZONE_CHIEF, Action.MANAGE_STAFF, True)
    first = StaffCreate(
        username="boss",
        display_name="Boss",
        role=Role.ZONE_CHIEF,
        scope=frozenset({"5339"}),
        password="correct horse battery staple",
    )
    assert services.create_staff(world.uow(), None, first).role == "zone_chief"
    second = first.model_copy(update={"username": "boss2"})
    with pytest.raises(NotAllowed):
        services.create_staff(world.uow(), None, second)
