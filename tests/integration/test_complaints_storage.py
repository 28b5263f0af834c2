"""Complaints at rest: no plaintext personal data in the database file, keys from settings,
ciphertexts bound to their case, and the migration creating exactly the tables."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from tests.factories import KEY, SqlWorld, complaint
from zonal.complaints.domain.staff import Role
from zonal.complaints.schemas import MessageIn
from zonal.errors import ConfigurationError
from zonal.services import complaints as services
from zonal.settings import Settings
from zonal.storage import make_engine, upgrade
from zonal.storage.complaints.crypto import FieldCipher, cipher_from_settings, generate_key
from zonal.storage.complaints.tables import CaseRow

SECRETS = ["Marie Dupont", "marie.dupont@example.be", "Un SMS de ma banque", "BE68539007547034",
           "+32470123456", "Demande de capture", "Note interne confidentielle"]  # fmt: skip


def test_the_sqlite_file_holds_no_plaintext_personal_data(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'zonal.db'}")
    upgrade(engine)
    world = SqlWorld(engine)
    inv = world.staff("inv", Role.ZONE_INVESTIGATOR, "5339")
    ref = services.submit_complaint(world.uow(), complaint()).reference
    services.send_message_to_victim(world.uow(), inv, ref, MessageIn(body="Demande de capture"))
    services.add_internal_note(world.uow(), inv, ref, MessageIn(body="Note interne confidentielle"))
    engine.dispose()  # checkpoints the WAL into the main file
    content = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in content, secret
    assert b"ZON-2026-000001" in content  # the reference is not secret: the check can fail


def test_a_ciphertext_moved_to_another_case_does_not_open(world: SqlWorld) -> None:
    first = services.submit_complaint(world.uow(), complaint()).reference
    second = services.submit_complaint(
        world.uow(), complaint(description="Autre chose ici.")
    ).reference
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    with world.engine.begin() as connection:
        stolen = connection.scalar(select(CaseRow.personal_enc).where(CaseRow.reference == first))
        connection.execute(
            update(CaseRow).where(CaseRow.reference == second).values(personal_enc=stolen)
        )
    with pytest.raises(ConfigurationError, match="does not open"):
        services.get_case(world.uow(), chief, second, "integrity check")


def test_a_key_comes_from_the_environment_or_a_file_and_never_by_default(tmp_path: Path) -> None:
    key = generate_key()
    assert len(base64.b64decode(key)) == 32
    from_env = cipher_from_settings(Settings(data_key=key))
    key_file = tmp_path / "data.key"
    key_file.write_text(key + "\n")
    from_file = cipher_from_settings(Settings(data_key_file=key_file))
    assert from_file.decrypt(from_env.encrypt("x", "aad"), "aad") == "x"
    with pytest.raises(ConfigurationError, match="no data key"):
        cipher_from_settings(Settings())
    with pytest.raises(ConfigurationError, match="not base64"):
        cipher_from_settings(Settings(data_key="not a key!"))
    with pytest.raises(ConfigurationError, match="32"):
        cipher_from_settings(Settings(data_key=base64.b64encode(b"short").decode()))
    assert cipher_from_settings(Settings(demo_mode=True)).demo


def test_a_wrong_key_is_refused_rather_than_misread(store: Engine) -> None:
    world = SqlWorld(store)
    services.submit_complaint(world.uow(), complaint())
    chief = world.staff("chief", Role.ZONE_CHIEF, "5339")
    other = FieldCipher(bytes(reversed(KEY)))
    with world.uow() as uow:
        uow.complaints.cipher = other
        with pytest.raises(ConfigurationError):
            uow.complaints.get("ZON-2026-000001", chief.scope)
