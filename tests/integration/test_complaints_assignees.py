"""`list_assignees`: the choices for `assign`, within the caller's role and zones."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.factories import SqlWorld, complaint
from zonal.complaints.domain.errors import CaseNotFound
from zonal.complaints.domain.staff import Role
from zonal.errors import NotAllowed
from zonal.services import complaints as services
from zonal.storage.complaints.tables import AuditRow, StaffRow


def refusals(world: SqlWorld) -> list[str]:
    with world.sessions() as session:
        rows = session.scalars(select(AuditRow).where(AuditRow.outcome == "refused"))
        return [row.actor for row in rows]


def test_only_active_colleagues_of_the_unit_who_investigate_are_offered(world: SqlWorld) -> None:
    intake = world.staff("intake", Role.INTAKE_OFFICER, "5339")
    for name, role, zone in [
        ("zoe", Role.ZONE_INVESTIGATOR, "5339"),
        ("chief", Role.ZONE_CHIEF, "5339"),
        ("analyst", Role.FEDERAL_ANALYST, "FCCU"),
        ("dpo", Role.DPO, "5339"),
        ("midi", Role.ZONE_INVESTIGATOR, "5341"),
        ("gone", Role.ZONE_INVESTIGATOR, "5339"),
    ]:
        world.staff(name, role, zone)
    with world.sessions() as session:
        session.execute(update(StaffRow).where(StaffRow.username == "gone").values(active=False))
        session.commit()
    reference = services.submit_complaint(world.uow(), complaint()).reference
    offered = services.list_assignees(world.uow(), intake, reference)
    assert [(a.username, a.display_name, a.role) for a in offered] == [
        ("chief", "Chief", "zone_chief"),
        ("zoe", "Zoe", "zone_investigator"),
    ]
    services.triage(world.uow(), intake, reference)
    for choice in offered:  # every offered name passes the assign service's own check
        assert services.assign(world.uow(), intake, reference, choice.username).assigned_to == (
            choice.username
        )


def test_other_zones_and_roles_without_assign_are_refused_and_logged(world: SqlWorld) -> None:
    reference = services.submit_complaint(world.uow(), complaint()).reference
    midi = world.staff("midi", Role.ZONE_CHIEF, "5341")
    investigator = world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    with pytest.raises(CaseNotFound):
        services.list_assignees(world.uow(), midi, reference)
    with pytest.raises(NotAllowed):
        services.list_assignees(world.uow(), investigator, reference)
    assert refusals(world) == ["midi", "inv"]
