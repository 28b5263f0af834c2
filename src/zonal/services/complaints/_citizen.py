"""Citizen-side services: submit a complaint, then follow it with the reference and receipt.

A victim's change first checks the receipt code (and records the look-up), then reads the
case, changes, saves and logs it in one transaction, redone on a fresh read when a concurrent
save came first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from zonal.complaints.domain.attachments import MAX_PER_CASE, check_upload
from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.errors import ReceiptInvalid
from zonal.complaints.domain.identifiers import Identifier, normalise
from zonal.complaints.domain.model import Attachment, Complaint, Consent, Contact, Place
from zonal.complaints.domain.receipt import (
    hash_receipt,
    new_receipt_code,
    parse_reference,
    verify_receipt,
)
from zonal.complaints.policy import Lockout
from zonal.complaints.schemas import ComplaintCreate, IdentifierIn, PlaceIn, VictimInformation
from zonal.complaints.views import ComplaintPublic, SubmissionReceipt, public_view
from zonal.errors import TooManyAttempts
from zonal.services.complaints._common import log, retrying
from zonal.services.complaints.ports import FileStore, UnitOfWork
from zonal.taxonomy import OFFENCE_TYPES

# One message for a wrong code and an unknown reference: the portal must not reveal which
# references exist.
RECEIPT_REFUSED = (
    "This reference and receipt code do not match a complaint. Check both on your"
    " acknowledgement; the code has 20 letters and digits."
)


def submit_complaint(uow: UnitOfWork, data: ComplaintCreate) -> SubmissionReceipt:
    """File a complaint: route it, give it a reference and a secret receipt code.

    Args:
        uow: the unit of work (not yet entered).
        data: the validated form.
    Returns:
        The acknowledgement's content; `receipt_code` exists only here, never in the store.
    Raises:
        PlaceAmbiguous: the postal code spans zones and no municipality was given.
        NotFoundError: the place lies outside the zone registry.
    """
    with uow:
        now, policy = uow.policy.clock(), uow.policy
        place, residence = _place(data.place), _place(data.residence)
        decision = policy.routing.route(
            policy.registry, data.offence_type, data.loss_eur, place, residence
        )
        code = new_receipt_code()
        case = _new_case(data, uow.complaints.next_reference(now.year), now, place, residence)
        case = replace(
            case,
            competent_unit=decision.unit,
            routing_reason=decision.reason,
            receipt_hash=hash_receipt(policy.hasher, code),
            history=[],
        )
        uow.complaints.add(case)
        log(
            uow,
            "victim",
            AuditAction.COLLECT,
            case,
            "complaint submitted online",
            basis=decision.basis,
        )
        uow.commit()
        return SubmissionReceipt(
            reference=case.reference,
            receipt_code=code,
            competent_unit=decision.unit,
            submitted_at=now,
            language=case.language,
            offence_type=case.offence_type,
        )


def open_with_receipt(
    uow: UnitOfWork, reference: str, code: str, client: str = ""
) -> ComplaintPublic:
    """The victim's view of a case, opened with its reference and receipt code.

    Args:
        reference: as typed ("zon-2026-000123" works).
        code: the receipt code as typed; case, spaces and hyphens do not matter.
        client: who is asking (e.g. the IP address), kept with the attempt.
    Raises:
        ReceiptInvalid: wrong code or unknown reference, with one and the same message.
        TooManyAttempts: too many wrong codes for this reference from this client recently.
    """
    with uow:
        case = _open(uow, reference, code, client)
        log(uow, "victim", AuditAction.READ, case, "victim follows the complaint")
        uow.commit()
        return public_view(case)


def add_victim_information(
    uow: UnitOfWork, reference: str, code: str, info: VictimInformation, client: str = ""
) -> ComplaintPublic:
    """Add what the victim remembered later, and more identifiers, to an open case.

    Returns:
        The updated citizen view. A case awaiting the victim goes back to investigation.
    Raises:
        ReceiptInvalid, TooManyAttempts: as for `open_with_receipt`.
        IllegalTransition: the case is closed.
    """
    identifiers = _identifiers(info.identifiers)

    def change(case: Complaint) -> None:
        case.message_from_victim(info.text, uow.policy.clock())
        case.add_identifiers(identifiers)

    canonical = _verified(uow, reference, code, client)
    why = "victim added information"
    return _change(uow, canonical, change, why, added=len(info.identifiers))


def victim_message(
    uow: UnitOfWork, reference: str, code: str, body: str, client: str = ""
) -> ComplaintPublic:
    """Send a message to the police about the case (`body` already validated, MessageIn).

    Raises:
        ReceiptInvalid, TooManyAttempts: as for `open_with_receipt`.
        IllegalTransition: the case is closed.
    """

    def change(case: Complaint) -> None:
        case.message_from_victim(body, uow.policy.clock())

    canonical = _verified(uow, reference, code, client)
    return _change(uow, canonical, change, "victim sent a message")


def attach_file(
    uow: UnitOfWork,
    files: FileStore,
    reference: str,
    code: str,
    filename: str,
    content: bytes,
    client: str = "",
) -> ComplaintPublic:
    """Add a screenshot or PDF to the victim's case (checked by content, encrypted on disk).

    Args:
        files: the attachment store (zonal.storage.complaints.files.EncryptedFileStore),
            outside the web root.
        filename: as uploaded; only a safe display name is kept.
    Raises:
        InputError: not an accepted type, too large, or the case has the maximum of files.
        ReceiptInvalid, TooManyAttempts, IllegalTransition: as for `add_victim_information`.
    """
    checked = check_upload(filename, content)
    canonical = _verified(uow, reference, code, client)
    key = files.put(content)
    meta = Attachment(checked.filename, checked.media_type, checked.size_bytes,
                      checked.sha256, key, uow.policy.clock())  # fmt: skip
    try:
        return _change(
            uow,
            canonical,
            lambda case: case.add_attachment(meta, MAX_PER_CASE),
            "victim added a file",
            bytes=checked.size_bytes,
        )
    except Exception:
        files.delete(key)  # no orphan file when the case refuses it or the commit fails
        raise


def _verified(uow: UnitOfWork, reference: str, code: str, client: str) -> str:
    """The canonical reference once the receipt code opens it; the look-up is committed."""
    with uow:
        case = _open(uow, reference, code, client)
        uow.commit()
        return case.reference


def _change(
    uow: UnitOfWork, reference: str, apply: Callable[[Complaint], None], why: str, **detail: int
) -> ComplaintPublic:
    """Read the case, `apply` the victim's change, save and log it in one transaction; redone
    on a fresh read when the case changed meanwhile (`retrying`).

    Only for a `reference` whose receipt code `_verified` has just accepted: the code is
    checked once, so that the slow hash is not inside the window in which others may save.
    """

    def attempt(for_update: bool) -> ComplaintPublic:
        with uow:
            case = uow.complaints.get(reference, None, for_update)
            if case is None:  # cases are never deleted; a verified one is there
                raise LookupError(f"case {reference} vanished after its receipt was checked")
            apply(case)
            uow.complaints.save(case)  # ConcurrentUpdate if another save came first
            log(uow, "victim", AuditAction.COLLECT, case, why, **detail)
            uow.commit()
            return public_view(case)

    return retrying(attempt, reference)


def _open(uow: UnitOfWork, reference: str, code: str, client: str) -> Complaint:
    policy, now = uow.policy, uow.policy.clock()
    canonical = parse_reference(reference)
    # The code holds 100 bits: no number of tries guesses it, so failures lock a reference
    # for the client that made them only. A stranger who knows a reference (it is printed on
    # letters and said on the phone) cannot lock the victim out of their own case.
    subject = f"{canonical or reference.strip()[:40]} from {client}"
    check_lockout(uow, "receipt", subject, now, policy.receipt_lockout)
    case = uow.complaints.get(canonical, None) if canonical else None
    if case is None:
        policy.hasher.dummy_verify(code)
    valid = case is not None and verify_receipt(policy.hasher, case.receipt_hash, code)
    uow.attempts.record("receipt", subject, client, now, valid)
    if case is None or not valid:
        uow.commit()  # the failed attempt must count even though we refuse
        raise ReceiptInvalid(RECEIPT_REFUSED)
    return case


def check_lockout(uow: UnitOfWork, kind: str, subject: str, now: datetime, rule: Lockout) -> None:
    """Raise TooManyAttempts when `subject` failed `rule.max_failures` times in the window."""
    failures = uow.attempts.recent_failures(kind, subject, now - rule.window)
    if len(failures) >= rule.max_failures:
        retry = max(1, int((failures[0] + rule.window - now).total_seconds()) + 1)
        raise TooManyAttempts(
            f"too many failed attempts: wait {retry // 60 + 1} minutes before trying again",
            retry_after=retry,
        )


def _new_case(
    data: ComplaintCreate,
    reference: str,
    now: datetime,
    place: Place | None,
    residence: Place | None,
) -> Complaint:
    contact = Contact(**data.contact.model_dump()) if data.contact else None
    return Complaint(
        reference=reference,
        offence_type=data.offence_type,
        language=data.language,
        occurred_from=data.occurred_from,
        occurred_to=data.occurred_to,
        online=OFFENCE_TYPES[data.offence_type].online,
        place=place,
        residence=residence,
        description=data.description,
        loss_eur=data.loss_eur,
        bias_motive=data.bias_motive,
        contact=contact,
        consent=Consent(data.privacy_notice_accepted, data.contact_allowed),
        submitted_at=now,
        competent_unit="",
        routing_reason="",
        receipt_hash="",
        priority=OFFENCE_TYPES[data.offence_type].default_priority,
        identifiers=_identifiers(data.identifiers),
    )


def _identifiers(items: list[IdentifierIn]) -> list[Identifier]:
    found: dict[tuple[str, str], Identifier] = {}
    for item in items:
        identifier = normalise(item.kind, item.value)
        found.setdefault((identifier.kind.value, identifier.value), identifier)
    return list(found.values())


def _place(place: PlaceIn | None) -> Place | None:
    return None if place is None else Place(place.postal_code, place.municipality_nis)
