"""Use cases: the store's zone registry, as every page, command and use case reads it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zonal.geo import (
    Municipality,
    PostalCodeResolution,
    Zone,
    ZoneRegistry,
    default_registry,
    load_registry_folder,
)
from zonal.geo.postcodes import resolve_postal_code
from zonal.services.ports import StoreUnitOfWork


@dataclass(frozen=True)
class ZoneDetail:
    """One zone and its municipalities, in the zone's order."""

    zone: Zone
    municipalities: tuple[Municipality, ...]


def registry_of(uow: StoreUnitOfWork) -> ZoneRegistry:
    """The store's zone registry, or the shipped default when it holds none."""
    with uow:
        return current_registry(uow)


def current_registry(uow: StoreUnitOfWork) -> ZoneRegistry:
    """registry_of for a use case that holds `uow` open already."""
    return uow.registry.get() or default_registry()


def seed_default_registry(uow: StoreUnitOfWork) -> None:
    """Give a store without zones the shipped default registry (the six Brussels zones), so a
    new installation is usable at once; `zonal zones load` replaces it."""
    with uow:
        if uow.registry.get() is None:
            uow.registry.save(default_registry())
            uow.commit()


def replace_registry(uow: StoreUnitOfWork, folder: Path) -> ZoneRegistry:
    """Replace the store's registry with the one in `folder`, checked before anything changes.

    Raises:
        InputError: the folder's files are missing or inconsistent (the message says which).
    """
    registry = load_registry_folder(folder)
    with uow:
        uow.registry.save(registry)
        uow.commit()
    return registry


def zone_detail(uow: StoreUnitOfWork, number: str) -> ZoneDetail:
    """Zone `number` of the store's registry with its municipalities.

    Raises:
        NotFoundError: no such zone (the message suggests the closest).
    """
    registry = registry_of(uow)
    zone = registry.zone(number)
    return ZoneDetail(zone, registry.municipalities_of(zone.number))


def zone_details(uow: StoreUnitOfWork) -> list[ZoneDetail]:
    """Every zone of the store's registry with its municipalities."""
    registry = registry_of(uow)
    return [ZoneDetail(z, registry.municipalities_of(z.number)) for z in registry.zones.values()]


def resolve_postcode(uow: StoreUnitOfWork, postal_code: str) -> PostalCodeResolution:
    """The municipalities and zones of the store's registry that a postal code covers.

    Raises:
        InputError: the code is not 4 digits.
        NotFoundError: no municipality of the registry has it.
    """
    return resolve_postal_code(registry_of(uow), postal_code)
