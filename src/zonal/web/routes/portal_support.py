"""What the citizen portal's routes share: the complaints wiring, abuse limits, the CSRF-checked
form, the offence types on offer and the words for statuses and units.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Protocol

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile

from zonal.bootstrap import ComplaintsSetup
from zonal.complaints.acknowledgement import Acknowledgement
from zonal.complaints.advice import advice_for
from zonal.complaints.domain.receipt import canonical_code
from zonal.complaints.domain.workflow import Status
from zonal.errors import NotFoundError
from zonal.geo import ZoneRegistry
from zonal.taxonomy import OFFENCE_TYPES, OffenceType
from zonal.web.deps import on_app_state
from zonal.web.i18n import Gettext, gettext_for
from zonal.web.security import (
    CSRF_FIELD,
    CsrfError,
    Limit,
    MemoryCounter,
    RateLimited,
    RateLimiter,
    check_csrf,
)
from zonal.web.state import web_state_of

# The offence types the portal offers, by the start page's first question. Other types that
# the taxonomy allows online stay reachable by URL for organisations that link them.
GROUPS: dict[str, tuple[str, ...]] = {
    "online": (
        "phishing",
        "online_purchase_fraud",
        "investment_fraud",
        "bank_helpdesk_fraud",
        "account_hacking",
        "sextortion",
        "identity_theft",
    ),
    "bias": ("racist_or_xenophobic_act", "hate_speech"),
    "place": ("bicycle_theft", "shoplifting", "vandalism", "lost_documents"),
}
MAX_FORM_FIELDS = 200
MAX_FIELD_BYTES = 64 * 1024
MAX_FILES = 5


@dataclass(frozen=True)
class PortalLimits:
    """Requests per client address (and per case reference for look-ups) in a window."""

    submit_per_client: Limit = Limit("portal-submit", 20, 3600)  # shared addresses: libraries
    follow_per_client: Limit = Limit("portal-follow-client", 30, 900)
    follow_per_reference: Limit = Limit("portal-follow-reference", 20, 900)


@dataclass
class PortalGuard:
    """The portal's rate limiter and limits (tests set their own on `app.state.portal_guard`)."""

    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(MemoryCounter()))
    limits: PortalLimits = field(default_factory=PortalLimits)


def _guard(request: Request) -> PortalGuard:
    guard: PortalGuard = on_app_state(
        request, "portal_guard", lambda: PortalGuard(RateLimiter(web_state_of(request).counter))
    )
    return guard


async def _checked_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form, bounded in size, after the CSRF check (translated refusal)."""
    async with request.form(
        max_files=MAX_FILES + 1, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES
    ) as form:
        submitted = form.get(CSRF_FIELD)
        try:
            check_csrf(request, submitted if isinstance(submitted, str) else None)
        except CsrfError:
            _ = gettext_for(request.state.language)
            raise CsrfError(
                _("This form has expired. Go back, reload the page and send it again.")
            ) from None
        yield form


GuardDep = Annotated[PortalGuard, Depends(_guard)]
FormDep = Annotated[FormData, Depends(_checked_form)]


def text_fields(form: FormData) -> dict[str, str]:
    """The form's text values (first of each name); a file sent for a text field is ignored."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def uploads(form: FormData, name: str = "files") -> list[UploadFile]:
    """The files chosen in field `name` (browsers send an empty part when none was chosen)."""
    return [item for item in form.getlist(name) if isinstance(item, UploadFile) and item.filename]


def portal_offence(code: str, language: str) -> OffenceType:
    """The offence type of a form URL; only types citizens may report online."""
    offence = OFFENCE_TYPES.get(code)
    if offence is None or not offence.complaint_online:
        _ = gettext_for(language)
        raise NotFoundError(
            _("This kind of complaint does not exist. Choose one on the complaint page.")
        )
    return offence


def group_of(offence: OffenceType) -> str:
    if offence.discrimination:
        return "bias"
    return "online" if offence.online else "place"


def unit_label(unit: str, registry: ZoneRegistry, language: str) -> str:
    """The competent service as a citizen reads it: zone number and name, or the federal unit."""
    _ = gettext_for(language)
    zone = registry.zones.get(unit)
    if zone is not None:
        return _("Police zone %(number)s %(name)s", number=zone.number, name=zone.name(language))
    if unit == "FCCU":
        return _("Federal Computer Crime Unit (FCCU)")
    return unit


def status_label(status: Status, _: Gettext) -> str:
    labels = {
        Status.RECEIVED: _("Received: waiting to be read"),
        Status.TRIAGED: _("Read by the police"),
        Status.ASSIGNED: _("Given to an investigator"),
        Status.UNDER_INVESTIGATION: _("Under investigation"),
        Status.AWAITING_VICTIM: _("Waiting for your answer"),
        Status.CLOSED: _("Closed"),
    }
    return labels[status]


def check_limit(limiter: RateLimiter, limit: Limit, key: str, _: Gettext) -> None:
    """Count one request of `key` against `limit`; the refusal says how long to wait.

    Raises:
        RateLimited: over the limit (HTTP 429, translated message).
    """
    try:
        limiter.check(limit, key)
    except RateLimited as exc:
        raise RateLimited(wait_message(exc.retry_after, _), exc.retry_after) from None


def wait_message(retry_after: int, _: Gettext) -> str:
    minutes = max(1, -(-retry_after // 60))  # rounded up: never tell people to come back early
    return _("Too many tries. For your safety, wait %(minutes)s minutes and try again.",
             minutes=minutes)  # fmt: skip


class CaseFacts(Protocol):
    reference: str
    offence_type: str
    competent_unit: str
    submitted_at: datetime


def acknowledgement_of(
    case: CaseFacts, code: str, setup: ComplaintsSetup, request: Request, language: str
) -> Acknowledgement:
    """The acknowledgement's content in `language`, the code grouped for reading."""
    symbols = canonical_code(code)
    return Acknowledgement(
        reference=case.reference,
        receipt_code="-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4)),
        submitted_at=case.submitted_at,
        offence=OFFENCE_TYPES[case.offence_type].label(language),
        unit=unit_label(case.competent_unit, setup.policy.registry, language),
        follow_url=str(request.url_for("follow_page")),
        advice=advice_for(case.offence_type, language),
    )
