"""The JSON API: zones, postal codes, datasets and incident counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from sqlalchemy import text

from zonal import __version__
from zonal.geo import Zone, ZoneRegistry
from zonal.geo.postcodes import resolve_postal_code
from zonal.services.overview import zone_overview
from zonal.services.store import registry_of
from zonal.storage import dataset_counts
from zonal.web.deps import LanguageDep, StoreDep

router = APIRouter()


class MunicipalityPublic(BaseModel):
    nis: str
    name_nl: str
    name_fr: str
    population: int | None


class ZonePublic(BaseModel):
    number: str
    name: str
    parent: str
    municipalities: list[MunicipalityPublic]
    sectors: list[str]


class PostalCodePublic(BaseModel):
    postal_code: str
    municipalities: list[str]
    zones: list[str]
    ambiguous: bool
    message: str


class ZoneCounts(BaseModel):
    zone: str
    name: str
    in_registry: bool
    by_cluster: dict[int, int]
    outside_clusters: int
    total: int


class Health(BaseModel):
    status: str
    database: str
    version: str


@router.get("/health", tags=["system"])
def health(store: StoreDep) -> Health:
    """Liveness and store reachability."""
    with store.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Health(status="ok", database=store.dialect.name, version=__version__)


@router.get("/api/zones", tags=["zones"])
def list_zones(store: StoreDep, language: LanguageDep) -> list[ZonePublic]:
    """Every zone of the registry with its municipalities."""
    registry = registry_of(store)
    return [_zone(registry, zone, language) for zone in registry.zones.values()]


@router.get("/api/zones/{number}", tags=["zones"])
def get_zone(
    store: StoreDep, language: LanguageDep, number: Annotated[str, Path(max_length=16)]
) -> ZonePublic:
    """One zone by its number, e.g. 5339."""
    registry = registry_of(store)
    return _zone(registry, registry.zone(number), language)


@router.get("/api/postcodes/{postal_code}", tags=["zones"])
def postal_code(
    store: StoreDep, postal_code: Annotated[str, Path(max_length=8)]
) -> PostalCodePublic:
    """The municipalities and zones a Belgian postal code covers (1040 spans two zones)."""
    found = resolve_postal_code(registry_of(store), postal_code)
    return PostalCodePublic(
        postal_code=found.postal_code,
        municipalities=list(found.municipalities),
        zones=list(found.zones),
        ambiguous=found.ambiguous,
        message=found.message,
    )


@router.get("/api/datasets", tags=["incidents"])
def datasets(store: StoreDep) -> dict[str, int]:
    """Stored incident datasets and their sizes."""
    return dataset_counts(store)


@router.get("/api/incidents/counts", tags=["incidents"])
def incident_counts(
    store: StoreDep,
    language: LanguageDep,
    dataset: Annotated[str | None, Query(max_length=100)] = None,
) -> list[ZoneCounts]:
    """Incidents per zone and security cluster (1-10) of a dataset (default: the demo)."""
    overview = zone_overview(store, dataset, language)
    return [
        ZoneCounts(
            zone=row.zone,
            name=row.name,
            in_registry=row.in_registry,
            by_cluster=dict(enumerate(row.by_cluster, start=1)),
            outside_clusters=row.outside_clusters,
            total=row.total,
        )
        for row in overview.rows
    ]


def _zone(registry: ZoneRegistry, zone: Zone, language: str) -> ZonePublic:
    members = registry.municipalities_of(zone.number)
    return ZonePublic(
        number=zone.number,
        name=zone.name(language),
        parent=zone.parent,
        municipalities=[
            MunicipalityPublic(
                nis=m.nis, name_nl=m.name_nl, name_fr=m.name_fr, population=m.population
            )
            for m in members
        ],
        sectors=[sector.code for sector in zone.sectors],
    )
