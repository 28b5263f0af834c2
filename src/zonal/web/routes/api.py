"""The JSON API: zones, postal codes, datasets and incident counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from zonal import __version__
from zonal.services.overview import store_health, stored_datasets, zone_overview
from zonal.services.zones import ZoneDetail, resolve_postcode, zone_detail, zone_details
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
    return Health(status="ok", database=store_health(store), version=__version__)


@router.get("/api/zones", tags=["zones"])
def list_zones(store: StoreDep, language: LanguageDep) -> list[ZonePublic]:
    """Every zone of the registry with its municipalities."""
    return [_zone(found, language) for found in zone_details(store)]


@router.get("/api/zones/{number}", tags=["zones"])
def get_zone(
    store: StoreDep, language: LanguageDep, number: Annotated[str, Path(max_length=16)]
) -> ZonePublic:
    """One zone by its number, e.g. 5339."""
    return _zone(zone_detail(store, number), language)


@router.get("/api/postcodes/{postal_code}", tags=["zones"])
def postal_code(
    store: StoreDep, postal_code: Annotated[str, Path(max_length=8)]
) -> PostalCodePublic:
    """The municipalities and zones a Belgian postal code covers (1040 spans two zones)."""
    found = resolve_postcode(store, postal_code)
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
    return stored_datasets(store)


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


def _zone(found: ZoneDetail, language: str) -> ZonePublic:
    zone = found.zone
    return ZonePublic(
        number=zone.number,
        name=zone.name(language),
        parent=zone.parent,
        municipalities=[
            MunicipalityPublic(
                nis=m.nis, name_nl=m.name_nl, name_fr=m.name_fr, population=m.population
            )
            for m in found.municipalities
        ],
        sectors=[sector.code for sector in zone.sectors],
    )
