"""Which zone or federal unit is competent for a complaint.

Federal rules come first, from a table shipped as `data/routing_rules.csv` (or a police
organisation's own, same columns): the first matching rule sends the complaint to its unit.
Otherwise the complaint goes to the zone where the offence took place; an online offence
without a place goes to the zone of the victim's residence. A postal code that spans two
zones needs the municipality.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from pathlib import Path

from zonal.complaints.domain.errors import PlaceAmbiguous
from zonal.complaints.domain.model import Place
from zonal.errors import FileFormatError, InputError
from zonal.geo import ZoneRegistry, resolve_postal_code
from zonal.taxonomy import OFFENCE_TYPES, offence_type

RULE_COLUMNS = ("offence_type", "online_only", "min_loss_eur", "unit", "reason")
FEDERAL_UNITS: dict[str, str] = {"FCCU": "Federal Computer Crime Unit"}
_UNIT = re.compile(r"[A-Z][A-Z0-9_]{1,15}")


@dataclass(frozen=True)
class RoutingRule:
    offence_type: str  # a taxonomy code or "*"
    online_only: bool
    min_loss_eur: Decimal | None
    unit: str
    reason: str

    def matches(self, code: str, loss_eur: Decimal) -> bool:
        if self.offence_type not in ("*", code):
            return False
        if self.online_only and not OFFENCE_TYPES[code].online:
            return False
        return self.min_loss_eur is None or loss_eur >= self.min_loss_eur


@dataclass(frozen=True)
class RoutingDecision:
    """The competent unit (zone number or federal unit) and why, in one sentence."""

    unit: str
    basis: str  # "rule", "place" or "residence"
    reason: str


@dataclass(frozen=True)
class RoutingTable:
    rules: tuple[RoutingRule, ...]

    @classmethod
    def default(cls) -> RoutingTable:
        """The rules shipped with Zonal."""
        resource = files("zonal.complaints").joinpath("data", "routing_rules.csv")
        return cls.parse(resource.read_text(encoding="utf-8"), "routing_rules.csv")

    @classmethod
    def from_file(cls, path: Path) -> RoutingTable:
        """A police organisation's own rules, in the shipped file's format."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FileFormatError(f"cannot read routing rules {path}: {exc}") from exc
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> RoutingTable:
        """Rules from CSV `text` (`#` lines are comments); FileFormatError names a bad line."""
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        reader = csv.DictReader(io.StringIO("\n".join(lines)))
        if tuple(reader.fieldnames or ()) != RULE_COLUMNS:
            raise FileFormatError(f"{source}: the header must be {','.join(RULE_COLUMNS)}")
        return cls(
            tuple(_parse_rule(row, f"{source}, rule {n}") for n, row in enumerate(reader, 1))
        )

    def route(
        self,
        registry: ZoneRegistry,
        code: str,
        loss_eur: Decimal,
        place: Place | None,
        residence: Place | None,
    ) -> RoutingDecision:
        """The competent unit for a complaint of type `code`.

        Raises:
            PlaceAmbiguous: a postal code spans zones and no municipality was given.
            InputError: neither a place nor (for an online offence) a residence was given.
            NotFoundError: the place lies outside the registry's zones.
        """
        for rule in self.rules:
            if rule.matches(offence_type(code).code, loss_eur):
                return RoutingDecision(rule.unit, "rule", rule.reason)
        if place is not None:
            zone = zone_of_place(registry, place)
            return RoutingDecision(zone, "place", f"the offence took place in zone {zone}")
        if OFFENCE_TYPES[code].online and residence is not None:
            zone = zone_of_place(registry, residence)
            return RoutingDecision(zone, "residence", f"online offence; the victim lives in {zone}")
        raise InputError(
            f"a {code} complaint needs the place where it happened"
            + (
                " or, for an online offence, where the victim lives"
                if OFFENCE_TYPES[code].online
                else ""
            )
        )

    def is_unit(self, unit: str) -> bool:
        return unit in FEDERAL_UNITS or any(rule.unit == unit for rule in self.rules)


def zone_of_place(registry: ZoneRegistry, place: Place) -> str:
    """The zone of a place: by municipality, else by a postal code that names one zone."""
    if place.municipality_nis:
        zone = registry.zone_of_municipality(place.municipality_nis).number
        if place.postal_code:
            covered = resolve_postal_code(registry, place.postal_code).municipalities
            if place.municipality_nis not in covered:
                raise InputError(
                    f"municipality {place.municipality_nis} does not have postal code"
                    f" {place.postal_code}; check both"
                )
        return zone
    if not place.postal_code:
        raise InputError("a place needs a postal code or a municipality")
    resolution = resolve_postal_code(registry, place.postal_code)
    if resolution.ambiguous:
        raise PlaceAmbiguous(resolution.message)
    return resolution.zones[0]


def _parse_rule(row: dict[str, str | None], where: str) -> RoutingRule:
    code = (row["offence_type"] or "").strip()
    if code != "*" and code not in OFFENCE_TYPES:
        raise FileFormatError(f"{where}: offence_type {code!r} is not a taxonomy code or *")
    unit = (row["unit"] or "").strip()
    if not _UNIT.fullmatch(unit):
        raise FileFormatError(f"{where}: unit {unit!r} must be an upper-case code like FCCU")
    online = (row["online_only"] or "").strip().lower()
    if online not in ("true", "false"):
        raise FileFormatError(f"{where}: online_only {online!r} must be true or false")
    return RoutingRule(
        code,
        online == "true",
        _loss(row["min_loss_eur"], where),
        unit,
        (row["reason"] or "").strip() or f"routed to {unit}",
    )


def _loss(text: str | None, where: str) -> Decimal | None:
    if not (text or "").strip():
        return None
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise FileFormatError(f"{where}: min_loss_eur {text!r} is not a number") from None
    if value < 0:
        raise FileFormatError(f"{where}: min_loss_eur {text!r} must not be negative")
    return value
