"""The Art. 25 log's keyed chain on the in-memory store: what an attacker who can rewrite the
store, but lacks the data key, can no longer hide, and how legacy unkeyed rows verify."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.factories import KEY, MemoryWorld, complaint
from zonal.complaints.domain.audit import AuditRecord, ChainHead, ChainReport
from zonal.complaints.domain.staff import Role
from zonal.services import complaints as services
from zonal.storage.complaints.audit import GENESIS, AuditChain, content_hash
from zonal.storage.complaints.audit_heads import AuditHeadFile
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.memory import InMemoryUnitOfWork


@pytest.fixture
def world() -> MemoryWorld:
    """A log of a few entries: three complaints, accounts created, logins."""
    world = MemoryWorld()
    for _ in range(3):
        services.submit_complaint(world.uow(), complaint())
    world.create("chief", Role.ZONE_CHIEF, "5339")
    return world


@pytest.fixture
def heads(tmp_path: Path) -> AuditHeadFile:
    return AuditHeadFile(tmp_path / "audit-heads.jsonl", AuditChain(FieldCipher(KEY).audit_key))


def unkeyed(records: list[AuditRecord], start: int = 0) -> list[AuditRecord]:
    """What an attacker without the key can do: recompute the old, unkeyed hashes from
    `start` on, so that every row links to the one before it again."""
    previous = records[start - 1].row_hash if start else GENESIS
    rebuilt = records[:start]
    for record in records[start:]:
        row_hash = content_hash(previous, record.event)
        rebuilt.append(replace(record, previous_hash=previous, row_hash=row_hash))
        previous = row_hash
    return rebuilt


def verify(world: MemoryWorld, heads: AuditHeadFile | None = None) -> ChainReport:
    return services.verify_audit_chain(world.uow(), heads)


def test_an_intact_chain_passes_and_its_head_is_exported_once(
    world: MemoryWorld, heads: AuditHeadFile
) -> None:
    first = verify(world, heads)
    assert first.intact and first.broken_at is None and first.legacy_until is None
    assert first.head.entry == first.entries == len(world.tables.audit)
    again = verify(world, heads)
    assert again.intact and again.heads_checked == 1
    assert [line.head for line in heads.read()] == [first.head]  # not exported twice


def test_a_rewritten_row_with_recomputed_unkeyed_hashes_fails(world: MemoryWorld) -> None:
    records = world.tables.audit
    records[2] = replace(records[2], event=replace(records[2].event, justification="nothing"))
    world.tables.audit = unkeyed(records, start=2)
    report = verify(world)
    assert not report.intact and report.broken_at == 3
    assert "does not match its hash" in (report.problem or "")


def test_a_deleted_row_with_a_recomputed_chain_fails(world: MemoryWorld) -> None:
    records = world.tables.audit
    world.tables.audit = unkeyed(records[:2] + records[3:], start=2)
    report = verify(world)
    assert not report.intact and report.broken_at == 4


def test_a_deleted_row_left_as_it_was_breaks_the_link(world: MemoryWorld) -> None:
    del world.tables.audit[2]
    report = verify(world)
    assert report.broken_at == 4 and "does not follow entry 2" in (report.problem or "")


def test_a_cut_tail_passes_the_chain_but_fails_against_an_exported_head(
    world: MemoryWorld, heads: AuditHeadFile
) -> None:
    services.export_audit_head(world.uow(), heads)
    last = len(world.tables.audit)
    del world.tables.audit[-2:]
    assert verify(world).intact  # without the exported head, a shorter chain looks whole
    report = verify(world, heads)
    assert not report.intact and report.broken_at == last
    assert f"the log ends at entry {last - 2}" in (report.problem or "")
    assert "cut" in (report.problem or "")


def test_a_deleted_row_below_an_exported_head_is_named(
    world: MemoryWorld, heads: AuditHeadFile
) -> None:
    services.export_audit_head(world.uow(), heads)
    records = world.tables.audit
    head = records[2].id
    heads.export(ChainHead(head, records[2].row_hash), world.clock.now)
    world.tables.audit = records[:2] + records[3:]
    report = verify(world, heads)
    assert report.broken_at == head and "is missing" in (report.problem or "")


def test_legacy_entries_are_reported_and_new_ones_chain_on_keyed(world: MemoryWorld) -> None:
    world.tables.audit = unkeyed(world.tables.audit)  # a log written before the key
    legacy = len(world.tables.audit)
    services.submit_complaint(world.uow(), complaint())
    report = verify(world)
    assert report.intact and report.legacy_until == legacy
    assert report.entries == legacy + 1
    new = world.tables.audit[-1]
    assert new.previous_hash == world.tables.audit[legacy - 1].row_hash
    assert new.row_hash != content_hash(new.previous_hash, new.event)  # keyed, not legacy


def test_a_recomputed_legacy_prefix_breaks_at_the_first_keyed_entry(world: MemoryWorld) -> None:
    world.tables.audit = unkeyed(world.tables.audit)
    legacy = len(world.tables.audit)
    services.submit_complaint(world.uow(), complaint())
    records = world.tables.audit
    records[1] = replace(records[1], event=replace(records[1].event, actor="mallory"))
    world.tables.audit = unkeyed(records[:legacy], start=1) + records[legacy:]
    assert verify(world).broken_at == legacy + 1


def test_an_unkeyed_row_after_a_keyed_one_is_a_break(world: MemoryWorld) -> None:
    world.tables.audit = unkeyed(world.tables.audit, start=3)
    assert verify(world).broken_at == 4


def test_a_log_recomputed_wholly_unkeyed_fails_against_an_exported_head(
    world: MemoryWorld, heads: AuditHeadFile
) -> None:
    services.export_audit_head(world.uow(), heads)
    records = world.tables.audit
    records[0] = replace(records[0], event=replace(records[0].event, actor="mallory"))
    world.tables.audit = unkeyed(records)
    alone = verify(world)  # indistinguishable from a log older than the key...
    assert alone.intact and alone.legacy_until == len(records)
    report = verify(world, heads)  # ...but not from the head exported before
    assert report.broken_at == len(records) and "rewritten" in (report.problem or "")


def test_a_forged_or_altered_head_line_fails(world: MemoryWorld, heads: AuditHeadFile) -> None:
    services.export_audit_head(world.uow(), heads)
    line = json.loads(heads.path.read_text(encoding="utf-8"))
    line["entry"] = 2
    with heads.path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n" + "not json\n")
    report = verify(world, heads)
    assert report.broken_at == 2 and "line 2 of the head file" in (report.problem or "")
    assert [h.authentic for h in heads.read()] == [True, False, False]


def test_another_data_key_fails_at_the_first_entry(world: MemoryWorld) -> None:
    elsewhere = InMemoryUnitOfWork(world.policy, world.tables, audit_key=bytes(32))
    report = services.verify_audit_chain(elsewhere)
    assert report.broken_at == 1 and "another data key" in (report.problem or "")
