"""A seeded synthetic year of incidents for the six Brussels police zones, and a national set.

The data are synthetic: the volumes, rhythms and places follow `demo_profiles` (see
docs/demo-data.md), not any real police record, and every row says so in its `dataset`
column. Counts come from a non-homogeneous Poisson process per zone x offence type x hour;
everything after that is drawn per incident with NumPy, never in a Python loop per row.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import polars as pl

from zonal.errors import InputError, NotFoundError
from zonal.incidents import demo_profiles as profiles
from zonal.incidents.demo_profiles import BoolArray, FloatArray, IntArray, Site
from zonal.incidents.schema import DISPATCH_TIMES, Origin, TimeResolution, conform

if TYPE_CHECKING:  # the registry is only read, never built, here
    from zonal.geo import ZoneRegistry
    from zonal.geo.model import Municipality

DEMO_DATASET = "demo-brussels-synthetic"
NATIONAL_DATASET = "demo-national-synthetic"
BRUSSELS_ZONES: tuple[str, ...] = ("5339", "5340", "5341", "5342", "5343", "5344")
TIME_ZONE = "Europe/Brussels"
NATIONAL_POPULATION = 11_500_000
_US = 1_000_000  # microseconds per second: timestamps are int64 microseconds until the end


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise InputError(f"{name} must be positive, got {value!r}; pass a number above 0")


@dataclass(frozen=True)
class DemoSpec:
    """What to generate: the first local day, how many days, the seed and a volume multiplier."""

    start: date = date(2025, 1, 1)
    days: int = 365
    seed: int = 2016
    volume_scale: float = 1.0

    def __post_init__(self) -> None:
        _check_positive("days", self.days)
        _check_positive("volume_scale", self.volume_scale)


DEFAULT_SPEC = DemoSpec()


def generate_demo(registry: ZoneRegistry, spec: DemoSpec = DEFAULT_SPEC) -> pl.DataFrame:
    """A synthetic incident frame for the six Brussels zones, in the canonical schema.

    Args:
        registry: a registry holding zones 5339-5344 with population, centroid and area of
            each of their municipalities (`zonal.geo.default_registry()` does).
        spec: the period, seed and volume; `DemoSpec()` is the year 2025 with seed 2016.

    Returns:
        One row per incident, sorted by zone and time, `dataset` = DEMO_DATASET.

    Raises:
        NotFoundError: a Brussels zone is missing from the registry.
        InputError: a municipality lacks the population, centroid or area the model needs.
    """
    clock = _Clock.build(spec.start, spec.days)
    frames = [
        _simulate_zone(zone, _registry_sites(registry, zone), clock, spec.seed, spec.volume_scale)
        for zone in BRUSSELS_ZONES
    ]
    return _finish(pl.concat(frames), DEMO_DATASET)


def iter_national(
    zones: int = 185,
    years: int = 3,
    seed: int = 2016,
    start: date = date(2023, 1, 1),
    *,
    days: int | None = None,
    volume_scale: float = 1.0,
) -> Iterator[pl.DataFrame]:
    """Yield one canonical frame per synthetic zone ("NAT001", ...) of a Belgium-sized country.

    Zones get a centroid in Belgium's bounding box and a population drawn to total 11.5
    million; `days` overrides `years` (for quick tests). Memory stays at one zone's rows.
    """
    _check_positive("zones", zones)
    _check_positive("years", years)
    _check_positive("volume_scale", volume_scale)
    clock = _Clock.build(start, days if days is not None else _days_in_years(start, years))
    for code, sites in _national_zones(zones, seed):
        yield _finish(_simulate_zone(code, sites, clock, seed, volume_scale), NATIONAL_DATASET)


def generate_national(
    zones: int = 185,
    years: int = 3,
    seed: int = 2016,
    start: date = date(2023, 1, 1),
    *,
    days: int | None = None,
    volume_scale: float = 1.0,
) -> pl.DataFrame:
    """All of `iter_national` in one frame (several GiB at full size: prefer the parquet writer)."""
    chunks = iter_national(zones, years, seed, start, days=days, volume_scale=volume_scale)
    return pl.concat(list(chunks), rechunk=False)


def write_national_parquet(
    folder: Path,
    zones: int = 185,
    years: int = 3,
    seed: int = 2016,
    start: date = date(2023, 1, 1),
    *,
    days: int | None = None,
    volume_scale: float = 1.0,
) -> list[Path]:
    """Write `iter_national` zone by zone to `folder`/<zone>.parquet and return the paths.

    Read the set back lazily with `pl.scan_parquet(folder / "*.parquet")`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    chunks = iter_national(zones, years, seed, start, days=days, volume_scale=volume_scale)
    for frame in chunks:
        path = folder / f"{frame['zone'][0]}.parquet"
        frame.write_parquet(path)
        paths.append(path)
    return paths


def _days_in_years(start: date, years: int) -> int:
    end_year = start.year + years
    # 29 February has no anniversary in most years: end on 1 March instead.
    end = date(end_year, 3, 1) if (start.month, start.day) == (2, 29) else start.replace(end_year)
    return (end - start).days


@dataclass(frozen=True)
class _Clock:
    """The hours of the period in UTC, with the local hour-of-week and month of each."""

    start_us: IntArray  # start of each UTC hour, microseconds since the epoch
    hour_of_week: IntArray  # 0..167, Monday 00:00 local first; holidays count as Sundays
    month: IntArray  # 0..11, local

    @staticmethod
    def build(start: date, days: int) -> _Clock:
        _check_positive("days", days)
        zone = ZoneInfo(TIME_ZONE)
        first = datetime.combine(start, time(), zone)
        last = datetime.combine(date.fromordinal(start.toordinal() + days), time(), zone)
        # Stepping in UTC gives 23 local hours on the spring DST day and 25 in autumn (02:00
        # twice), so no incident ever gets a wall-clock time that does not exist.
        utc = pl.datetime_range(first, last, "1h", time_zone="UTC", closed="left", eager=True)
        local = utc.dt.convert_time_zone(TIME_ZONE)
        day = local.dt.weekday().to_numpy().astype(np.int64) - 1
        day[_is_holiday(local.dt.date(), start.year, days)] = 6
        return _Clock(
            start_us=utc.dt.epoch("us").to_numpy().astype(np.int64),
            hour_of_week=day * 24 + local.dt.hour().to_numpy().astype(np.int64),
            month=local.dt.month().to_numpy().astype(np.int64) - 1,
        )


def _is_holiday(local_dates: pl.Series, first_year: int, days: int) -> BoolArray:
    years = range(first_year, first_year + days // 365 + 2)
    public = pl.Series(sorted(holidays.country_holidays("BE", years=years)), dtype=pl.Date)
    return np.asarray(local_dates.is_in(public.implode()).to_numpy(), dtype=np.bool_)


def _registry_sites(registry: ZoneRegistry, zone: str) -> list[Site]:
    if zone not in registry.zones:
        raise NotFoundError(
            f"zone {zone} is not in the registry; the Brussels demo needs zones"
            f" {', '.join(BRUSSELS_ZONES)}: use zonal.geo.default_registry()"
        )
    return [_site(registry.municipalities[nis]) for nis in registry.zones[zone].municipalities]


def _site(municipality: Municipality) -> Site:
    m = municipality
    if m.lat is None or m.lon is None or not m.population or not m.area_km2:
        raise InputError(
            f"municipality {m.nis} has lat={m.lat}, lon={m.lon}, population={m.population},"
            f" area_km2={m.area_km2}; the demo generator needs all four: fill them in"
            " the registry's municipality file"
        )
    return Site.of(m.nis, m.lat, m.lon, float(m.population), m.area_km2)


def _national_zones(count: int, seed: int) -> Iterator[tuple[str, list[Site]]]:
    rng = np.random.default_rng([seed, 185_000])
    population = rng.lognormal(0.0, 0.7, count)
    population *= NATIONAL_POPULATION / population.sum()
    lat = rng.uniform(49.55, 51.45, count)  # Belgium's bounding box
    lon = rng.uniform(2.60, 6.35, count)
    for index in range(count):
        code = f"NAT{index + 1:03d}"
        yield code, _national_sites(code, population[index], lat[index], lon[index], rng)


def _national_sites(
    code: str, population: float, lat: float, lon: float, rng: np.random.Generator
) -> list[Site]:
    parts = 1 + min(int(rng.poisson(2.0)), 7)
    shares = rng.dirichlet(np.full(parts, 2.0))
    # Bigger zones are cities: denser, so their urban uplift is higher.
    area = 166.0 * (population / 62_000.0) ** 0.3 * shares
    dlat = rng.normal(0.0, 0.04, parts)
    dlon = rng.normal(0.0, 0.06, parts)
    return [
        Site.of(f"{code}-{i + 1:02d}", lat + dlat[i], lon + dlon[i], population * s, area[i])
        for i, s in enumerate(shares)
    ]


def _simulate_zone(
    zone: str, sites: Sequence[Site], clock: _Clock, seed: int, scale: float
) -> pl.DataFrame:
    rng = np.random.default_rng([seed, zlib.crc32(zone.encode())])
    mix = profiles.demo_mix()
    weights = profiles.site_weights(sites, mix)  # (sites, types)
    hour, kind = _poisson_counts(weights.sum(axis=0) * scale, mix, clock, rng)
    site = profiles.pick_rows(weights[:, kind].T, rng)
    occurred = clock.start_us[hour] + rng.integers(0, 60, hour.size) * 60 * _US
    origin = profiles.draw_origin(mix, kind, rng)
    rhythm = np.asarray([list(profiles.RHYTHMS).index(m.rhythm) for m in mix])[kind]
    lat, lon = profiles.place(sites, site, rhythm, origin, seed, rng)
    priority = profiles.draw_priority(mix, kind, rng)
    reported = _reported(occurred, mix, kind, origin, rng)
    sent = np.asarray([m.dispatch_share for m in mix])[kind]
    times = profiles.dispatch_times(reported, priority, origin, sent, rng)
    return pl.DataFrame(
        {
            "occurred_at": occurred,
            "reported_at": reported,
            "zone": np.full(hour.size, zone),
            "sector": np.asarray([s.code for s in sites])[site],
            "lat": lat,
            "lon": lon,
            "offence_type": np.asarray([m.code for m in mix])[kind],
            "priority": priority,
            "origin": origin,
            **times,
        },
        nan_to_null=True,
    )


def _poisson_counts(
    yearly: FloatArray, mix: Sequence[profiles.OffenceDemo], clock: _Clock, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Hour and offence-type index of every incident, hour by hour in time order."""
    shapes = np.stack([profiles.RHYTHMS[m.rhythm].hour_of_week().ravel() for m in mix], axis=1)
    seasons = np.stack([profiles.RHYTHMS[m.rhythm].month_weights() for m in mix], axis=1)
    intensity = (yearly / profiles.HOURS_PER_YEAR) * shapes[clock.hour_of_week]
    counts = rng.poisson(intensity * seasons[clock.month])
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    return cell // len(mix), cell % len(mix)


def _reported(
    occurred: IntArray,
    mix: Sequence[profiles.OffenceDemo],
    kind: IntArray,
    origin: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    delay = profiles.report_delay(mix, kind, rng)
    delay[origin == profiles.ORIGINS.index(Origin.OFFICER_INITIATED)] = 0.0  # seen by a patrol
    reported = occurred + (delay * _US).astype(np.int64)
    found = np.asarray([m.channel == profiles.Channel.DISCOVERED for m in mix])[kind]
    return _after_waking(reported, found, rng)


def _after_waking(reported: IntArray, found: BoolArray, rng: np.random.Generator) -> IntArray:
    """Move discoveries reported in the small hours to the morning, when people get up."""
    local = pl.Series(reported).cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(TIME_ZONE)
    asleep = found & (local.dt.hour().to_numpy() < profiles.DISCOVERY_WAKE_HOUR)
    # On wall-clock time: on DST days midnight + 7 hours elapsed is 06:00 or 08:00.
    wall = local.dt.replace_time_zone(None).dt.truncate("1d")
    wake = wall.dt.offset_by(f"{profiles.DISCOVERY_WAKE_HOUR}h").dt.replace_time_zone(TIME_ZONE)
    wake_us = wake.dt.epoch("us").to_numpy().astype(np.int64)
    lag = (rng.exponential(45 * 60, reported.size) * _US).astype(np.int64)
    return np.where(asleep, wake_us + lag, reported)


def _finish(frame: pl.DataFrame, dataset: str) -> pl.DataFrame:
    """Turn microsecond columns into UTC datetimes, name the codes, number the incidents."""
    frame = frame.sort("zone", "occurred_at", maintain_order=True)
    mix = profiles.demo_mix()
    utc = pl.Datetime("us", "UTC")
    number = (pl.int_range(pl.len()).over("zone") + 1).cast(pl.String).str.zfill(7)
    origins = [origin.value for origin in profiles.ORIGINS]
    return conform(
        frame.with_columns(
            pl.col("occurred_at", "reported_at", *DISPATCH_TIMES).cast(pl.Int64).cast(utc),
            incident_id=pl.format("SYN-{}-{}", "zone", number),
            dataset=pl.lit(dataset),
            time_resolution=pl.lit(TimeResolution.MINUTE.value),
            origin=pl.col("origin").replace_strict(range(len(origins)), origins),
            cluster=pl.col("offence_type").replace_strict(
                [m.code for m in mix], [m.cluster for m in mix], return_dtype=pl.Int8
            ),
            source_category=pl.col("offence_type"),
        )
    )
