"""Pydantic schemas at the service boundary: format rules on what comes in, shapes going out.

Text fields are Unicode-normalised (NFC) and lose control and bidirectional-override
characters (hostile input that would hide or reorder text), then length-checked. Escaping for
HTML is the templates' job; this layer guarantees type, length and character set.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from zonal.complaints.domain.errors import InvalidIdentifier
from zonal.complaints.domain.identifiers import IdentifierKind, normalise, normalise_email
from zonal.complaints.domain.model import BiasMotive
from zonal.complaints.domain.staff import Role
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.rules import INFORMATION, MESSAGE, NARRATIVE, PASSWORD, password_problem
from zonal.settings import LANGUAGES
from zonal.taxonomy import OFFENCE_TYPES

# C0/C1 controls except tab and newline, plus bidi overrides/isolates and zero-width marks.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(value: Any) -> Any:
    """NFC, no control or bidi characters, Windows newlines made plain, ends trimmed."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _UNSAFE.sub("", text).strip()


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _email(value: str) -> str:
    try:
        return normalise_email(value)
    except InvalidIdentifier as exc:
        raise ValueError(str(exc)) from None


Text = Annotated[str, BeforeValidator(clean_text)]
Line = Annotated[str, BeforeValidator(clean_text), AfterValidator(_one_line)]
Email = Annotated[str, BeforeValidator(clean_text), Field(max_length=254), AfterValidator(_email)]
PostalCode = Annotated[str, BeforeValidator(clean_text), Field(pattern=r"^\d{4}$")]
Nis = Annotated[str, BeforeValidator(clean_text), Field(pattern=r"^\d{5}$")]
Language = Annotated[str, Field(pattern=rf"^({'|'.join(LANGUAGES)})$")]
_STRICT = ConfigDict(extra="forbid", str_max_length=20_000)


class IdentifierIn(BaseModel):
    """An identifier as the victim typed it; normalised (and rejected if invalid) here."""

    model_config = _STRICT
    kind: IdentifierKind
    value: Line = Field(min_length=1, max_length=300)

    @model_validator(mode="after")
    def _valid(self) -> IdentifierIn:
        try:
            normalise(self.kind, self.value)
        except InvalidIdentifier as exc:
            raise ValueError(str(exc)) from None
        return self


class ContactIn(BaseModel):
    model_config = _STRICT
    name: Line | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Line | None = Field(default=None, max_length=40)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise(IdentifierKind.PHONE, value).value
        except InvalidIdentifier as exc:
            raise ValueError(str(exc)) from None


class PlaceIn(BaseModel):
    model_config = _STRICT
    postal_code: PostalCode | None = None
    municipality_nis: Nis | None = None

    @model_validator(mode="after")
    def _something(self) -> PlaceIn:
        if self.postal_code is None and self.municipality_nis is None:
            raise ValueError("give a postal code or a municipality")
        return self


class ComplaintCreate(BaseModel):
    """What the citizen portal submits."""

    model_config = _STRICT
    offence_type: str = Field(max_length=60)
    language: Language
    occurred_from: AwareDatetime
    occurred_to: AwareDatetime | None = None
    place: PlaceIn | None = None  # None: online, no physical place
    residence: PlaceIn | None = None  # routes an online offence without a place
    description: Text = Field(min_length=NARRATIVE.min, max_length=NARRATIVE.max)
    loss_eur: Decimal = Field(default=Decimal(0), ge=0, le=Decimal("1e10"), decimal_places=2)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=30)
    bias_motive: BiasMotive | None = None
    contact: ContactIn | None = None
    privacy_notice_accepted: bool
    contact_allowed: bool = False

    @field_validator("offence_type")
    @classmethod
    def _online_type(cls, value: str) -> str:
        found = OFFENCE_TYPES.get(value)
        if found is None or not found.complaint_online:
            raise ValueError(f"{value[:60]!r} cannot be reported online; call 101, or 112")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ComplaintCreate:
        offence = OFFENCE_TYPES[self.offence_type]
        if not self.privacy_notice_accepted:
            raise ValueError("read and accept the privacy notice to submit")
        if offence.discrimination and self.bias_motive is None:
            raise ValueError("say what the act was motivated by (or 'unknown')")
        if self.place is None and not (offence.online and self.residence is not None):
            raise ValueError("give where it happened, or for an online offence where you live")
        _check_period(self.occurred_from, self.occurred_to)
        return self


def _check_period(start: datetime, end: datetime | None) -> None:
    if start > datetime.now(UTC) or (end is not None and end < start):
        raise ValueError("the period is not valid: it must start before it ends, in the past")


class VictimInformation(BaseModel):
    """More information from the victim, through the receipt."""

    model_config = _STRICT
    text: Text = Field(min_length=INFORMATION.min, max_length=INFORMATION.max)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=30)


class MessageIn(BaseModel):
    model_config = _STRICT
    body: Text = Field(min_length=MESSAGE.min, max_length=MESSAGE.max)


class StaffCreate(BaseModel):
    model_config = _STRICT
    username: Line = Field(min_length=3, max_length=40)
    display_name: Line = Field(min_length=1, max_length=200)
    role: Role
    scope: frozenset[Line] = Field(min_length=1, max_length=200)
    password: str = Field(min_length=PASSWORD.min, max_length=PASSWORD.max)

    @field_validator("password")
    @classmethod
    def _strong_password(cls, password: str, info: ValidationInfo) -> str:
        # The same rule as a reset (services.complaints.reset_staff_password); a custom error
        # keeps pydantic's "Value error, " prefix out of the sentence the CLI prints.
        names = info.data.get("username", ""), info.data.get("display_name", "")
        problem = password_problem(password, *names)
        if problem is not None:
            raise PydanticCustomError("weak_password", problem)
        return password


class QueueFilters(BaseModel):
    model_config = _STRICT
    statuses: frozenset[Status] | None = None
    offence_type: str | None = Field(default=None, max_length=60)
    unit: Line | None = Field(default=None, max_length=16)
    assigned_to: Line | None = Field(default=None, max_length=40)
    reference_prefix: Line | None = Field(default=None, max_length=20)
    overdue_only: bool = False
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class TransitionIn(BaseModel):
    model_config = _STRICT
    target: Status
    reason: Text = Field(default="", max_length=2_000)
    outcome: Outcome | None = None
    merged_into: Line | None = Field(default=None, max_length=20)
