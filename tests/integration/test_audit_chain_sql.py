"""The keyed Art. 25 chain on SQLite and PostgreSQL: rows rewritten, deleted or cut with the
store's own tools (recomputing the old unkeyed hashes, as someone without the key can) fail
verification; a whole log passes; rows from before the key verify as legacy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tests.factories import KEY, Office, SqlWorld, complaint
from zonal.complaints.domain.staff import Role
from zonal.services import complaints as services
from zonal.storage.complaints.audit import GENESIS, AuditChain, _to_record, content_hash
from zonal.storage.complaints.audit_heads import AuditHeadFile
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.tables import AuditRow


@pytest.fixture
def logged(world: SqlWorld) -> SqlWorld:
    for _ in range(3):
        services.submit_complaint(world.uow(), complaint())
    world.create("chief", Role.ZONE_CHIEF, "5339")
    return world


@pytest.fixture
def heads(tmp_path: Path) -> AuditHeadFile:
    return AuditHeadFile(tmp_path / "audit-heads.jsonl", AuditChain(FieldCipher(KEY).audit_key))


def recompute_unkeyed(world: SqlWorld, start: int = 1) -> None:
    """Rewrite every row's hashes from id `start` on with the old unkeyed SHA-256 chain."""
    with Session(world.engine) as session:
        rows = list(session.scalars(select(AuditRow).order_by(AuditRow.id)))
        previous = GENESIS
        for row in rows:
            if row.id >= start:
                row.previous_hash, row.row_hash = (
                    previous,
                    content_hash(previous, _to_record(row).event),
                )
            previous = row.row_hash
        session.commit()


def ids(world: SqlWorld) -> list[int]:
    with Session(world.engine) as session:
        return list(session.scalars(select(AuditRow.id).order_by(AuditRow.id)))


def test_a_whole_chain_passes(logged: SqlWorld, heads: AuditHeadFile) -> None:
    report = services.verify_audit_chain(logged.uow(), heads)
    assert report.intact and report.legacy_until is None and report.head.entry == ids(logged)[-1]
    assert services.verify_audit_chain(logged.uow(), heads).heads_checked == 1


def test_a_rewritten_row_with_recomputed_hashes_fails(logged: SqlWorld) -> None:
    target = ids(logged)[2]
    with logged.engine.begin() as connection:
        connection.execute(update(AuditRow).where(AuditRow.id == target).values(actor="mallory"))
    recompute_unkeyed(logged, start=target)
    report = services.verify_audit_chain(logged.uow())
    assert report.broken_at == target and not report.intact


def test_a_deleted_row_with_a_recomputed_chain_fails(logged: SqlWorld) -> None:
    target = ids(logged)[2]
    with logged.engine.begin() as connection:
        connection.execute(delete(AuditRow).where(AuditRow.id == target))
    recompute_unkeyed(logged, start=target)
    assert services.verify_audit_chain(logged.uow()).broken_at == target + 1


def test_a_cut_tail_fails_against_an_exported_head(logged: SqlWorld, heads: AuditHeadFile) -> None:
    exported = services.export_audit_head(logged.uow(), heads)
    with logged.engine.begin() as connection:
        connection.execute(delete(AuditRow).where(AuditRow.id >= ids(logged)[-2]))
    assert services.verify_audit_chain(logged.uow()).intact  # looks whole on its own
    report = services.verify_audit_chain(logged.uow(), heads)
    assert report.broken_at == exported.head.entry and "cut" in (report.problem or "")


def test_rows_from_before_the_key_verify_as_legacy(logged: SqlWorld) -> None:
    recompute_unkeyed(logged)  # as the unkeyed version of Zonal wrote them
    legacy = ids(logged)[-1]
    chief = logged.login("chief")  # appends a keyed row after the legacy ones
    report = services.verify_audit_log(logged.uow(), chief)
    assert report.intact and report.legacy_until == legacy and report.head.entry > legacy


def test_the_log_page_pins_its_head_and_then_shows_a_cut_tail(office: Office) -> None:
    office.account("chief", Role.ZONE_CHIEF, "5339")
    office.submit()
    chief = office.login("chief")
    assert "Check passed" in chief.get("/office/audit").text  # and its head is exported
    assert office.setup.heads is not None and office.setup.heads.read()
    pinned = office.setup.heads.read()[-1].head.entry
    with office.setup.sessions() as session:
        session.execute(delete(AuditRow).where(AuditRow.id == pinned))
        session.commit()
    office.clock.advance(seconds=5)  # else the next view logs the very row that was cut
    assert f"The chain breaks at row {pinned}." in chief.get("/office/audit").text
