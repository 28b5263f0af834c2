"""Use cases: what the store holds (datasets, incidents per zone and security cluster) and
whether it answers."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from zonal.errors import NotFoundError
from zonal.geo import ZoneRegistry
from zonal.incidents.demo import DEMO_DATASET
from zonal.services.ports import StoreUnitOfWork
from zonal.services.zones import current_registry
from zonal.taxonomy import CLUSTERS


@dataclass(frozen=True)
class ZoneCountsRow:
    """One line of the overview: a zone's incidents per security cluster."""

    zone: str
    name: str
    in_registry: bool
    by_cluster: tuple[int, ...]  # clusters 1..10 in order
    outside_clusters: int  # police tasks no cluster covers, and unclassified incidents
    total: int


@dataclass(frozen=True)
class ZoneOverview:
    registry: ZoneRegistry
    datasets: dict[str, int]
    dataset: str | None
    rows: tuple[ZoneCountsRow, ...]

    @property
    def synthetic(self) -> bool:
        return self.dataset == DEMO_DATASET

    def totals(self) -> dict[str, float]:
        """Incidents per registry zone, for the map."""
        return {row.zone: float(row.total) for row in self.rows if row.in_registry}


def stored_datasets(uow: StoreUnitOfWork) -> dict[str, int]:
    """The stored incident datasets and how many incidents each holds."""
    with uow:
        return uow.incidents.dataset_counts()


def store_health(uow: StoreUnitOfWork) -> str:
    """Reach the store; the name of its backend (sqlite, postgresql)."""
    with uow:
        return uow.ping()


def zone_overview(uow: StoreUnitOfWork, dataset: str | None, language: str) -> ZoneOverview:
    """Counts of `dataset` (default: the demo, else the largest) per zone and cluster.

    Raises:
        NotFoundError: `dataset` is not in the store.
    """
    with uow:
        registry = current_registry(uow)
        datasets = uow.incidents.dataset_counts()
        chosen = _choose(datasets, dataset)
        counts = uow.incidents.counts_by_zone_and_cluster(chosen) if chosen else _no_counts()
    return ZoneOverview(registry, datasets, chosen, _rows(registry, counts, language))


def _choose(datasets: dict[str, int], wanted: str | None) -> str | None:
    if wanted is not None:
        if wanted not in datasets:
            known = ", ".join(sorted(datasets)) or "none yet"
            raise NotFoundError(f"no dataset {wanted!r} in the store; stored datasets: {known}")
        return wanted
    if DEMO_DATASET in datasets:
        return DEMO_DATASET
    return max(datasets, key=lambda name: datasets[name], default=None)


def _no_counts() -> pl.DataFrame:
    return pl.DataFrame(schema={"zone": pl.String, "cluster": pl.Int8, "incidents": pl.Int64})


def _rows(registry: ZoneRegistry, counts: pl.DataFrame, language: str) -> tuple[ZoneCountsRow, ...]:
    found = counts.group_by("zone").agg(pl.len()).get_column("zone").drop_nulls().to_list()
    zones = list(registry.zones) + sorted(zone for zone in found if zone not in registry.zones)
    return tuple(_row(registry, counts.filter(pl.col("zone") == z), z, language) for z in zones)


def _row(registry: ZoneRegistry, counts: pl.DataFrame, zone: str, language: str) -> ZoneCountsRow:
    per_cluster = dict(
        counts.filter(pl.col("cluster").is_not_null()).select("cluster", "incidents").iter_rows()
    )
    outside = int(counts.filter(pl.col("cluster").is_null())["incidents"].sum())
    known = zone in registry.zones
    by_cluster = tuple(int(per_cluster.get(number, 0)) for number in sorted(CLUSTERS))
    return ZoneCountsRow(
        zone=zone,
        name=registry.zones[zone].name(language) if known else zone,
        in_registry=known,
        by_cluster=by_cluster,
        outside_clusters=outside,
        total=sum(by_cluster) + outside,
    )
