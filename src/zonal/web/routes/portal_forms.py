"""The complaint form: from posted strings to a ComplaintCreate, or to errors per field.

Every error is a sentence in the citizen's language, keyed by the field it belongs to, so the
page can show it next to that field; the values typed are handed back to the page so nothing
is lost. Format rules stay on the schemas; this module only says in plain words which field
broke which rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from zonal.complaints.acknowledgement import BRUSSELS
from zonal.complaints.domain.identifiers import IdentifierKind
from zonal.complaints.domain.model import BiasMotive
from zonal.complaints.rules import NARRATIVE
from zonal.complaints.schemas import ComplaintCreate, ContactIn, IdentifierIn, clean_text
from zonal.errors import InputError
from zonal.geo import ZoneRegistry
from zonal.geo.postcodes import municipalities_by_name
from zonal.taxonomy import OffenceType
from zonal.web.i18n import Gettext
from zonal.web.numbers import number_format

DEFAULT_ROWS = 3
MAX_ROWS = 30
MAX_ECHO = 20_000  # longer values are cut before being echoed back into the page
FIELD_ORDER = (
    "description", "occurred_date", "ended_date", "postal_code", "municipality",
    "municipality_nis", "bias_motive", "loss_eur", "id", "files", "contact_name",
    "contact_email", "contact_phone", "privacy", "form",
)  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class ComplaintForm:
    """A filled-in (or empty) form: values as typed, identifier rows, errors by field."""

    values: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    choices: list[tuple[str, str]] = field(default_factory=list)  # municipalities to pick
    data: ComplaintCreate | None = None

    def value(self, name: str) -> str:
        return self.values.get(name, "")


def empty_form() -> ComplaintForm:
    return ComplaintForm(rows=[("", "")] * DEFAULT_ROWS)


def identifier_rows(fields: dict[str, str], add_row: bool = False) -> list[tuple[str, str]]:
    """The identifier rows as posted (kind, value), plus an empty one when asked."""
    count = _int(fields.get("id_rows"), DEFAULT_ROWS, 1, MAX_ROWS)
    rows = [
        (fields.get(f"id_kind_{i}", "")[:20], fields.get(f"id_value_{i}", "")[:300])
        for i in range(count)
    ]
    if add_row and count < MAX_ROWS:
        rows.append(("", ""))
    return rows


def parse_complaint(
    offence: OffenceType,
    fields: dict[str, str],
    language: str,
    registry: ZoneRegistry,
    _: Gettext,
) -> ComplaintForm:
    """Check the posted form; `data` is set only when every field is right."""
    form = ComplaintForm(
        values={k: v[:MAX_ECHO] for k, v in fields.items()}, rows=identifier_rows(fields)
    )
    parts: dict[str, Any] = {
        "offence_type": offence.code,
        "language": language,
        "description": _description(form, language, _),
        "loss_eur": _loss(form, _),
        "identifiers": _identifiers(form, _) if offence.online else [],
        "bias_motive": _bias(form, _) if offence.discrimination else None,
        "contact": _contact(form, _),
        "contact_allowed": form.value("contact_allowed") == "yes",
        "privacy_notice_accepted": _privacy(form, _),
        **_period(form, _),
    }
    # An online offence has no place: the victim's residence decides the competent zone.
    parts["residence" if offence.online else "place"] = _place(form, registry, language, _)
    if not form.errors:
        form.data = _build(ComplaintCreate, parts, form, _)
    form.errors = dict(sorted(form.errors.items(), key=lambda item: _position(item[0])))
    return form


def _position(name: str) -> int:
    """Where a field sits on the page, so the error summary reads from top to bottom."""
    base = name.rsplit("_", 1)[0] if name.startswith("id_") else name
    return FIELD_ORDER.index(base) if base in FIELD_ORDER else len(FIELD_ORDER)


def _build(model: type[Any], parts: dict[str, Any], form: ComplaintForm, _: Gettext) -> Any:
    try:
        return model(**parts)
    except ValidationError:
        form.errors["form"] = _("Some answers are not valid. Check the form and send it again.")
        return None


def _description(form: ComplaintForm, language: str, _: Gettext) -> str:
    text = clean_text(form.value("description"))
    if not NARRATIVE.fits(text):
        number = number_format(language).number
        form.errors["description"] = _(
            "Tell us what happened in at least %(min)s characters (at most %(max)s).",
            min=number(NARRATIVE.min),
            max=number(NARRATIVE.max),
        )
    return str(text)


def _period(form: ComplaintForm, _: Gettext) -> dict[str, datetime | None]:
    start_day = _date(form.value("occurred_date"))
    start_time = _time(form.value("occurred_time"))
    end_day = _date(form.value("ended_date")) if form.value("ended_date").strip() else None
    now = datetime.now(BRUSSELS)
    if start_day is None or start_time is None:
        form.errors["occurred_date"] = _("Give the day it happened, for example 31/01/2026.")
        return {"occurred_from": now, "occurred_to": None}
    start = datetime.combine(start_day, start_time, BRUSSELS)
    if start > now:
        form.errors["occurred_date"] = _("This day and time are in the future. Check them.")
    end = datetime.combine(end_day, time(23, 59), BRUSSELS) if end_day else None
    if form.value("ended_date").strip() and (end is None or end < start):
        form.errors["ended_date"] = _("The last day must be a date on or after the first day.")
        end = None
    return {"occurred_from": start, "occurred_to": min(end, now) if end else None}


def _date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(clean_text(text), pattern).date()
        except ValueError:
            continue
    return None


def _time(text: str) -> time | None:
    cleaned = clean_text(text)
    if not cleaned:
        return time(0, 0)
    try:
        return time.fromisoformat(cleaned) if len(cleaned) <= 8 else None
    except ValueError:
        return None


def _loss(form: ComplaintForm, _: Gettext) -> Decimal:
    text = "".join(clean_text(form.value("loss_eur")).replace("€", "").split())
    # Belgians write 1.234,56 and 99,95; others 1,234.56: the last separator is the decimal one.
    decimal = max(text.rfind(","), text.rfind("."))
    if decimal >= 0:
        text = text[:decimal].replace(",", "").replace(".", "") + "." + text[decimal + 1 :]
    try:
        amount = Decimal(text or "0")
        if not (amount.is_finite() and 0 <= amount <= Decimal("1e10")):
            raise InvalidOperation
        return amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        form.errors["loss_eur"] = _("Give an amount in euros, for example 250 or 99.95.")
        return Decimal(0)


def _identifiers(form: ComplaintForm, _: Gettext) -> list[IdentifierIn]:
    found: list[IdentifierIn] = []
    for index, (kind, value) in enumerate(form.rows):
        if not clean_text(value):
            continue
        if kind not in set(IdentifierKind):
            form.errors[f"id_{index}"] = _("Choose what kind of detail this is.")
            continue
        try:
            found.append(IdentifierIn(kind=IdentifierKind(kind), value=value))
        except ValidationError:
            form.errors[f"id_{index}"] = _(
                "This does not look right for the kind you chose. Check it, or empty the row."
            )
    return found


def _bias(form: ComplaintForm, _: Gettext) -> BiasMotive | None:
    try:
        return BiasMotive(form.value("bias_motive"))
    except ValueError:
        form.errors["bias_motive"] = _(
            "Choose one answer. If you are not sure, choose 'I do not know'."
        )
        return None


def _contact(form: ComplaintForm, _: Gettext) -> ContactIn | None:
    given = {
        name: clean_text(form.value(f"contact_{name}")) or None
        for name in ("name", "email", "phone")
    }
    if not any(given.values()):
        return None
    try:
        return ContactIn(**given)
    except ValidationError as exc:
        messages = {
            "name": _("Your name can have at most 200 characters."),
            "email": _("This e-mail address is not valid, for example name@example.be."),
            "phone": _("This phone number is not valid, for example 0470 12 34 56."),
        }
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "email"
            form.errors[f"contact_{name}"] = messages.get(name, messages["email"])
        return None


def _privacy(form: ComplaintForm, _: Gettext) -> bool:
    if form.value("privacy") != "yes":
        form.errors["privacy"] = _(
            "To send your complaint, tick that you have read the privacy text."
        )
        return False
    return True


def _place(
    form: ComplaintForm, registry: ZoneRegistry, language: str, _: Gettext
) -> dict[str, str] | None:
    code = clean_text(form.value("postal_code"))
    nis = clean_text(form.value("municipality_nis")) or _by_name(form, registry, language, _)
    if code and not (len(code) == 4 and code.isdigit()):
        form.errors["postal_code"] = _("A postal code has 4 digits, for example 1050.")
        return None
    if not code and not nis:
        if "municipality" not in form.errors:
            form.errors["postal_code"] = _("Give a postal code or the name of the municipality.")
        return None
    if nis and nis not in registry.municipalities:
        form.errors["municipality"] = _("Choose a municipality from the list.")
        return None
    return {k: v for k, v in (("postal_code", code), ("municipality_nis", nis)) if v}


def _by_name(form: ComplaintForm, registry: ZoneRegistry, language: str, _: Gettext) -> str:
    name = clean_text(form.value("municipality"))
    if not name:
        return ""
    try:
        found = [
            nis for nis in municipalities_by_name(name, registry) if nis in registry.municipalities
        ]
    except InputError:
        found = []
    if len(found) == 1:
        return found[0]
    form.choices = [(nis, registry.municipalities[nis].name(language)) for nis in found]
    form.errors["municipality"] = (
        _("Several municipalities have this name. Choose one.")
        if found
        else _("We do not know this municipality here. Check the name, or give the postal code.")
    )
    return ""


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(text or default), low), high)
    except ValueError:
        return default


def place_choices(
    form: ComplaintForm,
    nis_codes: tuple[str, ...],
    registry: ZoneRegistry,
    language: str,
    _: Gettext,
) -> None:
    """Ask which municipality, for a postal code that spans police zones."""
    form.choices = [(nis, registry.municipalities[nis].name(language)) for nis in nis_codes]
    form.errors["municipality_nis"] = _(
        "This postal code covers more than one police zone. Choose the municipality."
    )
