"""The registry's value objects: municipalities, sectors, zones and postal-code answers.

They are frozen: a registry is reference data that every request shares, so nothing may
change it in place. Geometries are GeoJSON geometry dicts in WGS84 (lon, lat), kept out of
hashing because dicts cannot be hashed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zonal.errors import InputError

LANGUAGES: tuple[str, ...] = ("nl", "fr", "de", "en")

# German speakers in Belgium live in the French-speaking region, so French comes before Dutch;
# English readers get the name of the region's majority language first. nl and fr are never
# empty (the loader fills one from the other), so every chain ends with a name.
_FALLBACK: dict[str, tuple[str, ...]] = {
    "nl": ("nl", "fr"),
    "fr": ("fr", "nl"),
    "de": ("de", "fr", "nl"),
    "en": ("en", "nl", "fr"),
}


def check_language(language: str) -> str:
    """Return `language` when it is one Zonal names things in, else raise InputError."""
    if language not in _FALLBACK:
        raise InputError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    return language


def pick_name(names: dict[str, str | None], language: str) -> str:
    """The name in `language`, falling back along the language's chain."""
    for candidate in _FALLBACK[check_language(language)]:
        name = names.get(candidate)
        if name:
            return name
    return names.get("nl") or names.get("fr") or ""


@dataclass(frozen=True)
class Municipality:
    """A municipality (gemeente/commune) by its 5-digit NIS (REFNIS) code, in exactly one zone."""

    nis: str
    name_nl: str
    name_fr: str
    name_de: str | None
    zone: str
    lat: float | None
    lon: float | None
    population: int | None
    area_km2: float | None

    def name(self, language: str) -> str:
        """The name in nl/fr/de; in English, the name in the municipality's own language area.

        English usage follows the place: "Schaerbeek" and "Uccle" in Brussels, "Kortrijk" in
        Flanders, so English takes Dutch in the Flemish Region and French elsewhere.
        """
        names = {"nl": self.name_nl, "fr": self.name_fr, "de": self.name_de, "en": None}
        if check_language(language) == "en":
            return self.name_nl if _in_flemish_region(self.nis) else self.name_fr
        return pick_name(names, language)


def _in_flemish_region(nis: str) -> bool:
    # NIS codes start with the province: 1 Antwerp, 23/24 Flemish Brabant, 3 West and
    # 4 East Flanders, 7 Limburg; 21 is Brussels, 25 and 5/6/8/9 are Walloon.
    return nis[:1] in {"1", "3", "4", "7"} or nis[:2] in {"23", "24"}


@dataclass(frozen=True)
class Sector:
    """A part of a zone that a zone defines for its own planning (a district, a patrol sector)."""

    zone: str
    code: str
    name: str
    geometry: dict[str, Any] | None = field(hash=False)


@dataclass(frozen=True)
class Zone:
    """A police zone: a set of whole municipalities, with names in up to four languages.

    `parent` says who the zone reports to in the registry's hierarchy: "province:10000",
    "region:04000" or "federal".
    """

    number: str
    name_nl: str
    name_fr: str
    name_de: str | None
    name_en: str | None
    parent: str
    municipalities: tuple[str, ...]
    sectors: tuple[Sector, ...]
    geometry: dict[str, Any] | None = field(hash=False)

    def name(self, language: str) -> str:
        """The zone's name in nl/fr/de/en; a missing de or en name falls back to fr or nl."""
        names = {"nl": self.name_nl, "fr": self.name_fr, "de": self.name_de, "en": self.name_en}
        return pick_name(names, language)


@dataclass(frozen=True)
class PostalCodeResolution:
    """Which municipalities and zones a Belgian postal code covers, within one registry.

    `ambiguous` is true when the code spans more than one zone: the caller must then ask for
    the municipality (or the address). `uncovered` lists the code's municipalities that lie
    outside the registry. `message` says all of this in one English sentence for a user.
    """

    postal_code: str
    municipalities: tuple[str, ...]
    zones: tuple[str, ...]
    ambiguous: bool
    message: str
    uncovered: tuple[str, ...] = ()
