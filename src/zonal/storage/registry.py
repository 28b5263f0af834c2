"""The zone registry in the store: saved whole, read back as a zonal.geo.ZoneRegistry."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zonal.geo import Municipality, Sector, Zone, ZoneRegistry
from zonal.storage.tables import MunicipalityRow, SectorRow, ZoneRow


class SqlRegistryRepository:
    """The registry in the session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, registry: ZoneRegistry) -> None:
        for table in (SectorRow, MunicipalityRow, ZoneRow):
            self.session.execute(delete(table))
        self.session.add_all(_zone_row(zone) for zone in registry.zones.values())
        self.session.flush()
        self.session.add_all(
            _municipality_row(m, position)
            for zone in registry.zones.values()
            for position, m in enumerate(registry.municipalities_of(zone.number))
        )
        self.session.add_all(
            SectorRow(zone=s.zone, code=s.code, name=s.name, geometry=s.geometry)
            for zone in registry.zones.values()
            for s in zone.sectors
        )
        self.session.flush()

    def get(self) -> ZoneRegistry | None:
        zones = self.session.scalars(select(ZoneRow).order_by(ZoneRow.number)).all()
        if not zones:
            return None
        municipalities = self.session.scalars(select(MunicipalityRow)).all()
        sectors = self.session.scalars(select(SectorRow)).all()
        members: dict[str, list[str]] = {}
        for m in sorted(municipalities, key=lambda row: (row.zone, row.position)):
            members.setdefault(m.zone, []).append(m.nis)
        by_zone: dict[str, list[Sector]] = {}
        for s in sectors:
            by_zone.setdefault(s.zone, []).append(Sector(s.zone, s.code, s.name, s.geometry))
        return ZoneRegistry(
            zones=[_zone(row, members, by_zone) for row in zones],
            municipalities=[_municipality(row) for row in municipalities],
        )


def _zone_row(zone: Zone) -> ZoneRow:
    return ZoneRow(
        number=zone.number,
        name_nl=zone.name_nl,
        name_fr=zone.name_fr,
        name_de=zone.name_de,
        name_en=zone.name_en,
        parent=zone.parent,
        geometry=zone.geometry,
    )


def _municipality_row(m: Municipality, position: int) -> MunicipalityRow:
    return MunicipalityRow(
        nis=m.nis,
        position=position,
        name_nl=m.name_nl,
        name_fr=m.name_fr,
        name_de=m.name_de,
        zone=m.zone,
        lat=m.lat,
        lon=m.lon,
        population=m.population,
        area_km2=m.area_km2,
    )


def _zone(row: ZoneRow, members: dict[str, list[str]], sectors: dict[str, list[Sector]]) -> Zone:
    return Zone(
        number=row.number,
        name_nl=row.name_nl,
        name_fr=row.name_fr,
        name_de=row.name_de,
        name_en=row.name_en,
        parent=row.parent,
        municipalities=tuple(members.get(row.number, ())),
        sectors=tuple(sorted(sectors.get(row.number, ()), key=lambda s: s.code)),
        geometry=row.geometry,
    )


def _municipality(row: MunicipalityRow) -> Municipality:
    return Municipality(
        nis=row.nis,
        name_nl=row.name_nl,
        name_fr=row.name_fr,
        name_de=row.name_de,
        zone=row.zone,
        lat=row.lat,
        lon=row.lon,
        population=row.population,
        area_km2=row.area_km2,
    )
