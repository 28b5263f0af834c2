"""What staff read instead of the stored codes: statuses, kinds, motives, places, reasons and
times in the page's language and the zones' time zone, for the back-office pages and the
prosecutor's PDF alike.

The history and the routing store their system-written reasons in English ("triaged",
"assigned to x"), because the log is evidence and must not change with a reader's language;
they are translated here, when shown. A reason a person typed is shown as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from zonal.errors import ZonalError
from zonal.geo import ZoneRegistry
from zonal.geo.postcodes import resolve_postal_code
from zonal.taxonomy import OFFENCE_TYPES

Gettext = Callable[..., str]
_ASSIGNED = re.compile(r"assigned to (?P<name>\S+)")
_REROUTED = re.compile(r"re-routed from (?P<unit>[^:]+): (?P<reason>.*)", re.DOTALL)
_PLACE = re.compile(r"the offence took place in zone (?P<zone>\S+)")
_RESIDENCE = re.compile(r"online offence; the victim lives in (?P<zone>\S+)")


@dataclass(frozen=True)
class Labels:
    """Translated names for one reader: `_` their language's gettext, `zone` the time zone."""

    _: Gettext
    language: str
    registry: ZoneRegistry
    zone: ZoneInfo

    def status(self, value: str | None) -> str:
        return _pick(_statuses(self._), value)

    def outcome(self, value: str | None) -> str:
        return _pick(_outcomes(self._), value)

    def offence(self, code: str) -> str:
        """The offence type's name in this language (the code if the taxonomy lacks it)."""
        found = OFFENCE_TYPES.get(code)
        return found.labels.get(self.language, code) if found else code

    def kind(self, value: str) -> str:
        return _pick(_kinds(self._), value)

    def motive(self, value: str | None) -> str:
        return _pick(_motives(self._), value)

    def actor(self, value: str) -> str:
        """A staff username as it is; the victim and the system by name."""
        return {"victim": self._("Victim"), "system": self._("System")}.get(value, value)

    def when(self, moment: datetime) -> str:
        """Day and local time with the zone's abbreviation: 24/12/2026 14:00 CET."""
        return moment.astimezone(self.zone).strftime("%d/%m/%Y %H:%M %Z")

    def time_zone_note(self) -> str:
        return self._("Times are local time (%(zone)s).", zone=self.zone.key)

    def loss(self, amount: Decimal | None) -> str:
        """The declared loss, or "not given" for none (nobody lost 0.00 EUR)."""
        return f"{amount:.2f} EUR" if amount else self._("Not given")

    def place(self, place: Mapping[str, str | None] | None) -> str:
        """Postal code and municipality name (1180 Uccle), not the NIS code."""
        if not place:
            return ""
        code, nis = place.get("postal_code"), place.get("municipality_nis")
        names = [self._municipality(nis)] if nis else self._municipalities_of(code)
        return " ".join(part for part in (code, " / ".join(names)) if part)

    def _municipality(self, nis: str) -> str:
        found = self.registry.municipalities.get(nis)
        return found.name(self.language) if found else nis

    def _municipalities_of(self, postal_code: str | None) -> list[str]:
        # Only a postal code was given: name what it covers (1050: Ixelles), if it is ours.
        try:
            covered = resolve_postal_code(self.registry, postal_code) if postal_code else None
        except ZonalError:
            return []
        return [self._municipality(nis) for nis in covered.municipalities] if covered else []

    def reason(self, text: str) -> str:
        """A history or routing reason the system wrote, translated; a person's text as typed."""
        fixed = _fixed_reasons(self._)
        if text in fixed:
            return fixed[text]
        for pattern, message in _patterns(self._):
            found = pattern.fullmatch(text)
            if found:
                return message(**{k: self.reason(v) for k, v in found.groupdict().items()})
        return text


def _pick(names: Mapping[str, str], value: str | None) -> str:
    return "–" if value is None else names.get(value, value)


def _patterns(_: Gettext) -> list[tuple[re.Pattern[str], Callable[..., str]]]:
    def rerouted(unit: str, reason: str) -> str:
        return _("sent on from %(unit)s: %(reason)s", unit=unit, reason=reason)

    def residence(zone: str) -> str:
        return _("online offence; the victim lives in zone %(zone)s", zone=zone)

    return [
        (_ASSIGNED, lambda name: _("assigned to %(name)s", name=name)),
        (_REROUTED, rerouted),
        (_PLACE, lambda zone: _("the offence took place in zone %(zone)s", zone=zone)),
        (_RESIDENCE, residence),
    ]


def _fixed_reasons(_: Gettext) -> dict[str, str]:
    # The shipped routing rules' reasons (complaints/data/routing_rules.csv) and triage's.
    return {
        "triaged": _("triaged"),
        "Ransomware is handled by the federal cybercrime unit": _(
            "Ransomware is handled by the federal cybercrime unit"
        ),
        "Investment fraud of EUR 50000 or more is handled by the federal cybercrime unit": _(
            "Investment fraud of EUR 50000 or more is handled by the federal cybercrime unit"
        ),
        "Online losses of EUR 100000 or more are handled by the federal cybercrime unit": _(
            "Online losses of EUR 100000 or more are handled by the federal cybercrime unit"
        ),
    }


def _statuses(_: Gettext) -> dict[str, str]:
    return {
        "received": _("Received"),
        "triaged": _("Triaged"),
        "assigned": _("Assigned"),
        "under_investigation": _("Under investigation"),
        "awaiting_victim": _("Waiting for the victim"),
        "closed": _("Closed"),
    }


def _outcomes(_: Gettext) -> dict[str, str]:
    return {
        "no_further_action": _("No further action"),
        "referred_to_prosecutor": _("Sent to the prosecutor"),
        "merged_into": _("Merged into another case"),
    }


def _kinds(_: Gettext) -> dict[str, str]:
    return {
        "iban": _("Bank account (IBAN)"),
        "phone": _("Phone number"),
        "email": _("E-mail address"),
        "url": _("Website"),
        "social": _("Social media account"),
        "crypto": _("Crypto wallet"),
    }


def _motives(_: Gettext) -> dict[str, str]:
    return {
        "racism_xenophobia": _("Origin, skin colour or nationality"),
        "religion": _("Religion or belief"),
        "sexual_orientation": _("Sexual orientation"),
        "gender_identity": _("Gender or gender identity"),
        "disability": _("Disability or illness"),
        "other": _("Another reason"),
        "unknown": _("Not known"),
    }
