"""Attachments: checked by content, encrypted on disk, readable by staff in scope, purged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import KEY, SqlWorld, complaint
from zonal.complaints.domain.attachments import check_upload, safe_name
from zonal.complaints.domain.errors import CaseNotFound, IllegalTransition
from zonal.complaints.domain.staff import Role
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.schemas import TransitionIn
from zonal.errors import InputError
from zonal.services import complaints as services
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.files import EncryptedFileStore

PNG = b"\x89PNG\r\n\x1a\n" + b"screenshot of the fake bank SMS" * 10


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("a.png", b"", "bytes"),
        ("a.png", PNG + b"x" * (10 * 1024 * 1024), "bytes"),
        ("a.png", b"<html><script>alert(1)</script>", "not a PNG"),
        ("a.pdf", b"MZ\x90\x00 an executable", "not a PNG"),
    ],
)
def test_uploads_are_checked_by_content_and_size(name: str, content: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        check_upload(name, content)


def test_file_names_lose_paths_and_control_characters() -> None:
    assert safe_name("C:\\Users\\jan\\..\\sms\u202e.png") == "sms.png"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("...") == "attachment"


def test_a_victims_screenshot_is_encrypted_at_rest_and_staff_read_it(
    world: SqlWorld, tmp_path: Path
) -> None:
    files = EncryptedFileStore(tmp_path / "attachments", FieldCipher(KEY))
    receipt = services.submit_complaint(world.uow(), complaint())
    ref, code = receipt.reference, receipt.receipt_code
    seen = services.attach_file(world.uow(), files, ref, code, "C:\\sms.png", PNG)
    assert seen.attachments == ["sms.png"]
    stored = list((tmp_path / "attachments").iterdir())
    assert len(stored) == 1 and b"fake bank" not in stored[0].read_bytes()
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    key = services.get_case(world.uow(), chief, ref, "read the file").attachments
    assert key == ["sms.png"]
    with world.uow() as uow:
        storage_key = uow.complaints.get(ref, None).attachments[0].storage_key  # type: ignore[union-attr]
    name, media_type, content = services.attachment_content(
        world.uow(), files, chief, ref, storage_key, "evidence for the file"
    )
    assert (name, media_type, content) == ("sms.png", "image/png", PNG)
    other = world.staff("midi", Role.ZONE_CHIEF, "5341")
    with pytest.raises(CaseNotFound):
        services.attachment_content(world.uow(), files, other, ref, storage_key, "curious here")
    services.triage(world.uow(), chief, ref)
    close = TransitionIn(target=Status.CLOSED, outcome=Outcome.MERGED_INTO, merged_into=None)
    with pytest.raises(IllegalTransition, match="merged"):
        services.transition(world.uow(), chief, ref, close)
    services.transition(
        world.uow(),
        chief,
        ref,
        TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION),
    )
    world.clock.advance(days=3 * 365)
    assert services.purge_expired(world.uow(), files=files).erased == [ref]
    assert list((tmp_path / "attachments").iterdir()) == []
