"""The zone registry: which municipalities make up which police zone, and where they lie."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TypeVar

from zonal.errors import InputError, NotFoundError, RegistryFormatError
from zonal.geo._geojson import Bounds, bounds_of, points_bounds
from zonal.geo._text import close_matches, fold
from zonal.geo.model import LANGUAGES, Municipality, PostalCodeResolution, Zone

T = TypeVar("T")


class ZoneRegistry:
    """A read-only set of police zones and the municipalities they consist of.

    Build one with `load_registry` (files), `default_registry` (the shipped Brussels zones) or
    `load_flemish_open_data`; the constructor checks that zones and municipalities agree.
    `warnings` records what a loader left out or could not match, for the user to read.
    """

    zones: Mapping[str, Zone]
    municipalities: Mapping[str, Municipality]
    warnings: tuple[str, ...]

    def __init__(
        self,
        zones: Iterable[Zone],
        municipalities: Iterable[Municipality],
        warnings: Sequence[str] = (),
    ) -> None:
        self.zones = MappingProxyType(_index(zones, lambda z: z.number, "zone"))
        self.municipalities = MappingProxyType(
            _index(municipalities, lambda m: m.nis, "municipality")
        )
        self.warnings = tuple(warnings)
        _check_membership(self.zones, self.municipalities)

    def zone(self, number: str) -> Zone:
        """The zone with this number; NotFoundError suggests the closest numbers and names."""
        found = self.zones.get(str(number).strip())
        if found is None:
            raise NotFoundError(f"no zone numbered {number!r} in this registry{self._hint(number)}")
        return found

    def zone_of_municipality(self, nis: str) -> Zone:
        """The zone a municipality (5-digit NIS code) belongs to."""
        code = str(nis).strip()
        if not (len(code) == 5 and code.isdigit()):
            raise InputError(
                f"NIS code {nis!r} is not 5 digits; municipality codes look like 21004"
            )
        municipality = self.municipalities.get(code)
        if municipality is None:
            raise NotFoundError(
                f"municipality {code} is not in this registry; it covers"
                f" {len(self.municipalities)} municipalities of {len(self.zones)} zones"
            )
        return self.zones[municipality.zone]

    def zones_for_postal_code(self, postal_code: str) -> PostalCodeResolution:
        """The municipalities and zones a Belgian postal code covers (see `postcodes`)."""
        from zonal.geo.postcodes import resolve_postal_code  # postcodes reads this registry

        return resolve_postal_code(self, postal_code)

    def municipalities_of(self, number: str) -> tuple[Municipality, ...]:
        """The municipalities of a zone, in the zone's order."""
        return tuple(self.municipalities[nis] for nis in self.zone(number).municipalities)

    def has_geometry(self) -> bool:
        """Whether any zone has a boundary polygon."""
        return any(zone.geometry is not None for zone in self.zones.values())

    def bounds(self) -> Bounds | None:
        """(min lon, min lat, max lon, max lat) of the zone polygons, else of the centroids."""
        geometries = [z.geometry for z in self.zones.values() if z.geometry is not None]
        geometries += [
            s.geometry for z in self.zones.values() for s in z.sectors if s.geometry is not None
        ]
        if geometries:
            return bounds_of(geometries)
        located = [m for m in self.municipalities.values() if m.lon is not None]
        return points_bounds((m.lon or 0.0 for m in located), (m.lat or 0.0 for m in located))

    def __eq__(self, other: object) -> bool:
        # Warnings describe how a registry was loaded, not what it contains.
        if not isinstance(other, ZoneRegistry):
            return NotImplemented
        return dict(self.zones) == dict(other.zones) and dict(self.municipalities) == dict(
            other.municipalities
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking equality, like dict

    def __repr__(self) -> str:
        return f"ZoneRegistry({len(self.zones)} zones, {len(self.municipalities)} municipalities)"

    def _hint(self, text: str) -> str:
        names = {z.name(lang): z.number for z in self.zones.values() for lang in LANGUAGES}
        wanted = fold(text)
        numbers = close_matches(text, self.zones)  # a typo in the number
        numbers += [names[name] for name in close_matches(text, names)]  # a name, misspelt
        numbers += [n for name, n in names.items() if len(wanted) > 2 and wanted in fold(name)]
        suggestions = list(dict.fromkeys(numbers))[:3]
        if suggestions:
            hints = " or ".join(f"{n} ({self.zones[n].name('en')})" for n in suggestions)
            return f"; did you mean {hints}?"
        if len(self.zones) <= 12:
            return f"; known zones: {', '.join(sorted(self.zones))}"
        return "; check the number against the registry's zones.csv"


def _index(items: Iterable[T], key: Callable[[T], str], kind: str) -> dict[str, T]:
    index: dict[str, T] = {}
    for item in items:
        if key(item) in index:
            raise RegistryFormatError(f"{kind} {key(item)} is given twice; keep one")
        index[key(item)] = item
    return index


def _check_membership(
    zones: Mapping[str, Zone], municipalities: Mapping[str, Municipality]
) -> None:
    for municipality in municipalities.values():
        if municipality.zone not in zones:
            raise RegistryFormatError(
                f"municipality {municipality.nis} is in zone {municipality.zone!r},"
                " which the registry does not list; add the zone or fix the number"
            )
    members: dict[str, set[str]] = {number: set() for number in zones}
    for municipality in municipalities.values():
        members[municipality.zone].add(municipality.nis)
    for zone in zones.values():
        listed = members[zone.number]
        if set(zone.municipalities) != listed:
            raise RegistryFormatError(
                f"zone {zone.number} lists municipalities {sorted(zone.municipalities)} but"
                f" {sorted(listed)} name it as their zone; make them agree"
            )
        strays = [s.code for s in zone.sectors if s.zone != zone.number]
        if strays:
            raise RegistryFormatError(f"zone {zone.number} holds sectors {strays} of another zone")
