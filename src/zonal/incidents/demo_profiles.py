"""The calibration behind the demo generator: when, where and how incidents happen.

Pure data and small NumPy helpers, no I/O. `zonal.incidents.demo` turns these into a
synthetic incident frame; docs/demo-data.md explains where the numbers come from. Every
number here is a modelling choice for synthetic data, not a statistic of any real zone.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import numpy as np
from numpy.typing import NDArray

from zonal.errors import ConfigurationError
from zonal.incidents.schema import Origin
from zonal.taxonomy import OFFENCE_TYPES

HOURS_PER_YEAR = 8766.0  # 365.25 days: rates below are per inhabitant-year

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Rhythm:
    """When an offence happens: hour-of-day bumps, day-of-week weights and months.

    `bumps` are (peak hour, height, concentration) of circular bell curves on the 24-hour
    clock above a `floor`; `weekend_night` lifts Friday and Saturday nights (20:00-05:59),
    when bars and clubs are open.
    """

    floor: float
    bumps: tuple[tuple[float, float, float], ...]
    weekday: tuple[float, ...]  # Monday first
    weekend_night: float
    months: tuple[float, ...]  # January first

    def hour_of_week(self) -> FloatArray:
        """A (7, 24) array of weights, Monday first, with mean 1."""
        hours = np.arange(24) + 0.5
        day = np.full(24, self.floor)
        for peak, height, concentration in self.bumps:
            angle = 2.0 * np.pi * (hours - peak) / 24.0
            day += height * np.exp(concentration * (np.cos(angle) - 1.0))
        week = np.outer(np.asarray(self.weekday), day)
        week[4:6, 20:] *= self.weekend_night  # Friday and Saturday evenings
        week[5:7, :6] *= self.weekend_night  # the small hours of Saturday and Sunday
        return np.asarray(week / week.mean(), dtype=np.float64)

    def month_weights(self) -> FloatArray:
        """Twelve monthly weights, January first, with mean 1."""
        months = np.asarray(self.months, dtype=np.float64)
        return np.asarray(months / months.mean(), dtype=np.float64)


_FLAT = (1.0,) * 7
_LATE_WEEK = (0.85, 0.85, 0.9, 0.95, 1.1, 1.25, 1.1)  # busiest Friday and Saturday
_HOME_WEEK = (0.95, 0.9, 0.9, 0.9, 1.0, 1.2, 1.25)  # families at home at the weekend
_SHOP_WEEK = (1.0, 1.0, 1.0, 1.0, 1.1, 1.35, 0.15)  # Belgian shops close on Sunday
_OFFICE_WEEK = (1.15, 1.1, 1.1, 1.05, 1.0, 0.4, 0.2)
_WORK_WEEK = (1.05, 1.05, 1.05, 1.05, 1.1, 0.85, 0.7)
_ALL_YEAR = (1.0,) * 12
_SUMMER = (0.85, 0.85, 0.95, 1.0, 1.1, 1.15, 1.2, 1.15, 1.05, 1.0, 0.9, 0.9)
_DARK = (1.3, 1.2, 1.0, 0.9, 0.8, 0.75, 0.8, 0.85, 0.9, 1.1, 1.35, 1.45)  # dark evenings
_SHOPPING = (1.05, 0.9, 0.95, 0.95, 1.0, 1.0, 1.0, 0.95, 0.95, 1.0, 1.1, 1.35)
_WET = (1.1, 1.05, 1.0, 0.95, 1.0, 0.95, 0.85, 0.85, 1.0, 1.05, 1.1, 1.1)  # school, rain
_HOLIDAYS = (1.1, 0.95, 0.95, 0.95, 1.0, 1.0, 1.05, 1.05, 0.95, 0.95, 0.95, 1.15)

# Checked against the hour-of-day, weekday and month shapes of eight years of St. Louis
# crime reports (shared reference data): violence and disorder peak 21:00-01:00 with a
# trough near 05:00 at a fifth of the mean, fraud is reported in office hours. Belgian
# specifics (winter-evening burglary, Sunday shop closing) come from police practice.
RHYTHMS: dict[str, Rhythm] = {
    "nightlife": Rhythm(0.12, ((23.5, 3.0, 2.0), (17.0, 0.7, 1.0)), _LATE_WEEK, 2.2, _SUMMER),
    "street_violence": Rhythm(0.18, ((22.0, 2.0, 1.5), (16.0, 1.0, 1.0)), _LATE_WEEK, 1.8, _SUMMER),
    "domestic": Rhythm(0.25, ((20.5, 2.0, 1.5),), _HOME_WEEK, 1.2, _HOLIDAYS),
    "retail": Rhythm(0.02, ((15.0, 3.0, 3.0),), _SHOP_WEEK, 1.0, _SHOPPING),
    "street_theft": Rhythm(0.12, ((17.0, 2.0, 1.5), (23.0, 0.8, 2.0)), _LATE_WEEK, 1.3, _SHOPPING),
    "office": Rhythm(0.04, ((11.0, 2.0, 2.5), (15.0, 1.5, 2.5)), _OFFICE_WEEK, 1.0, _ALL_YEAR),
    "burglary": Rhythm(0.2, ((19.0, 2.0, 2.0), (11.0, 1.0, 1.0)), _WORK_WEEK, 1.0, _DARK),
    "traffic": Rhythm(
        0.15, ((8.0, 1.5, 4.0), (17.5, 2.0, 3.0), (13.0, 0.8, 1.0)), _WORK_WEEK, 1.3, _WET
    ),
    "vehicle": Rhythm(0.3, ((22.0, 1.5, 1.2),), _FLAT, 1.1, _WET),
    "drugs": Rhythm(0.2, ((21.0, 2.0, 1.0), (15.0, 1.0, 1.0)), _LATE_WEEK, 1.4, _SUMMER),
    "alarm": Rhythm(0.4, ((7.5, 1.5, 4.0), (3.0, 1.0, 1.0), (19.0, 0.8, 2.0)), _FLAT, 1.0, _WET),
    "daily": Rhythm(0.3, ((14.0, 1.5, 1.0),), _FLAT, 1.1, _ALL_YEAR),
}

# Share of a type's incidents at a municipality's few hotspots (the rest spread around its
# centroid), and the exponent on its urban uplift: night life crowds into the centre,
# burglary and domestic violence happen where people live.
HOTSPOT_SHARE: dict[str, float] = {
    "nightlife": 0.6, "street_violence": 0.5, "domestic": 0.05, "retail": 0.7,
    "street_theft": 0.6, "office": 0.3, "burglary": 0.15, "traffic": 0.3, "vehicle": 0.25,
    "drugs": 0.7, "alarm": 0.3, "daily": 0.3,
}  # fmt: skip
URBAN_SENSITIVITY: dict[str, float] = {
    "nightlife": 1.5, "street_violence": 1.3, "domestic": 0.3, "retail": 1.5,
    "street_theft": 1.5, "office": 1.0, "burglary": 0.3, "traffic": 0.8, "vehicle": 0.8,
    "drugs": 1.5, "alarm": 1.0, "daily": 1.0,
}  # fmt: skip


class Channel(StrEnum):
    """How an offence type reaches the police, which sets origin, report delay and dispatch."""

    CALL = "call"  # a citizen phones 101 while or just after it happens
    DISCOVERED = "discovered"  # found later (burglary found in the morning, a stolen car)
    REPORTED_LATER = "reported_later"  # reported days later at a station (fraud, abuse)
    ALARM = "alarm"  # an intrusion alarm company calls the police
    ONLINE = "online"  # filed through the online complaint portal, never dispatched


# Report delay after occurrence in seconds, lognormal (median, sigma), per channel.
REPORT_DELAY: dict[Channel, tuple[float, float]] = {
    Channel.CALL: (240.0, 0.9),
    Channel.DISCOVERED: (3.0 * 3600, 1.0),
    Channel.REPORTED_LATER: (1.5 * 86400, 1.2),
    Channel.ALARM: (45.0, 0.5),
    Channel.ONLINE: (3.0 * 86400, 1.3),
}

# Local hour before which a discovered offence is only reported from 07:00 on: nobody finds
# the broken back door at 03:00, they find it when they get up.
DISCOVERY_WAKE_HOUR = 7


@dataclass(frozen=True)
class Stage:
    """A lognormal delay between two dispatch timestamps: median seconds and log-sigma."""

    median: float
    sigma: float


# Call-taking, queue, roll-out, travel, on scene, paperwork: reported -> queued -> dispatched
# -> en route -> arrived -> cleared -> closed. Medians per priority 1..4 follow the police
# calls of a US dispatch centre (shared reference data), travel shortened for dense
# Brussels; on-scene means are 60/45/40/30 minutes for priorities 1..4.
DISPATCH_STAGES: dict[str, tuple[Stage, Stage, Stage, Stage]] = {
    "queued_at": (Stage(55, 0.6), Stage(60, 0.7), Stage(75, 0.8), Stage(65, 0.8)),
    "dispatched_at": (Stage(40, 0.9), Stage(190, 1.2), Stage(600, 1.3), Stage(1000, 1.4)),
    "en_route_at": (Stage(5, 0.9), Stage(5, 1.0), Stage(6, 1.0), Stage(6, 1.0)),
    "arrived_at": (Stage(200, 0.6), Stage(300, 0.7), Stage(380, 0.8), Stage(420, 0.8)),
    "cleared_at": (Stage(2400, 0.9), Stage(1800, 0.9), Stage(1600, 0.9), Stage(1200, 0.9)),
    "closed_at": (Stage(500, 1.1), Stage(450, 1.1), Stage(400, 1.1), Stage(400, 1.1)),
}


@dataclass(frozen=True)
class OffenceDemo:
    """How one offence type of `zonal.taxonomy` shows up in the demo data."""

    code: str
    cluster: int | None
    default_priority: int
    per_1000: float  # incidents per 1,000 inhabitants a year, before the urban uplift
    rhythm: str
    channel: Channel
    officer_share: float  # of the non-alarm, non-online ones: found by a patrol, not called in
    dispatch_share: float  # of the called-in ones: a patrol is sent


_C, _D, _L = Channel.CALL, Channel.DISCOVERED, Channel.REPORTED_LATER
_A, _O = Channel.ALARM, Channel.ONLINE

# code: (per 1,000 a year, rhythm, channel, officer share, dispatch share). Calibrated so
# the Brussels region (1.23 million people) gets about 270,000 incidents a year, ~17%
# officer-initiated; see docs/demo-data.md. Internal work (administrative, judicial tasks)
# and the medical and fire calls of joint centres are left out: they are not police demand.
_MIX: dict[str, tuple[float, str, Channel, float, float]] = {
    "residential_burglary": (3.5, "burglary", _D, 0.0, 0.9),
    "commercial_burglary": (1.5, "burglary", _D, 0.0, 0.9),
    "vehicle_theft": (2.0, "vehicle", _D, 0.0, 0.5),
    "theft_from_vehicle": (4.5, "vehicle", _D, 0.0, 0.4),
    "bicycle_theft": (3.0, "street_theft", _D, 0.0, 0.2),
    "shoplifting": (6.0, "retail", _C, 0.05, 0.85),
    "theft_from_person": (8.0, "street_theft", _C, 0.02, 0.4),
    "other_theft": (7.0, "daily", _L, 0.0, 0.3),
    "robbery": (3.0, "street_violence", _C, 0.05, 0.95),
    "receiving_stolen_goods": (0.5, "daily", _L, 0.8, 0.5),
    "phishing": (4.0, "office", _O, 0.0, 0.0),
    "online_purchase_fraud": (4.0, "office", _O, 0.0, 0.0),
    "investment_fraud": (0.6, "office", _O, 0.0, 0.0),
    "bank_helpdesk_fraud": (2.0, "office", _O, 0.0, 0.0),
    "account_hacking": (2.0, "office", _O, 0.0, 0.0),
    "sextortion": (0.6, "daily", _O, 0.0, 0.0),
    "identity_theft": (1.0, "office", _O, 0.0, 0.0),
    "ransomware": (0.1, "office", _O, 0.0, 0.0),
    "hate_speech": (0.4, "daily", _O, 0.0, 0.0),
    "other_fraud": (4.0, "office", _L, 0.0, 0.1),
    "social_fiscal_fraud": (0.5, "office", _L, 0.5, 0.05),
    "racist_or_xenophobic_act": (0.5, "street_violence", _C, 0.0, 0.6),
    "other_discrimination": (0.3, "daily", _L, 0.0, 0.2),
    "homicide": (0.02, "street_violence", _C, 0.0, 1.0),
    "assault": (7.0, "street_violence", _C, 0.05, 0.95),
    "domestic_violence": (5.0, "domestic", _C, 0.0, 0.95),
    "sexual_offence": (1.2, "nightlife", _L, 0.0, 0.5),
    "threat": (4.0, "street_violence", _C, 0.0, 0.7),
    "stalking": (1.5, "daily", _L, 0.0, 0.2),
    "kidnapping": (0.05, "daily", _C, 0.0, 1.0),
    "drugs": (5.0, "drugs", _C, 0.85, 0.9),
    "weapons": (0.8, "street_violence", _C, 0.6, 0.9),
    "human_trafficking": (0.1, "daily", _L, 0.7, 0.5),
    "terrorism_extremism": (0.02, "daily", _L, 0.2, 0.5),
    "environmental_offence": (2.0, "daily", _C, 0.4, 0.5),
    "vandalism": (7.0, "nightlife", _D, 0.05, 0.5),
    "arson": (0.4, "nightlife", _C, 0.0, 1.0),
    "traffic_accident": (9.0, "traffic", _C, 0.1, 0.95),
    "traffic_offence": (13.0, "traffic", _C, 0.95, 0.9),
    "nuisance": (18.0, "nightlife", _C, 0.15, 0.8),
    "disturbance": (10.0, "nightlife", _C, 0.1, 0.9),
    "public_order": (3.0, "daily", _C, 0.6, 0.9),
    "illegal_migration": (1.0, "daily", _C, 0.9, 0.9),
    "alarm": (9.0, "alarm", _A, 0.0, 0.95),
    "suspicious_situation": (8.0, "street_violence", _C, 0.3, 0.9),
    "lost_documents": (5.0, "office", _L, 0.0, 0.0),
    "missing_person": (1.0, "daily", _C, 0.0, 0.9),
    "assistance": (10.0, "daily", _C, 0.1, 0.9),
    "animal_incident": (2.0, "daily", _C, 0.0, 0.8),
    "unclassified": (2.0, "daily", _C, 0.0, 0.8),
}


@cache
def demo_mix() -> tuple[OffenceDemo, ...]:
    """The offence types the demo draws, with cluster and priority from `zonal.taxonomy`."""
    unknown = sorted(set(_MIX) - set(OFFENCE_TYPES))
    if unknown:
        raise ConfigurationError(
            f"the demo mix names offence types {unknown} that zonal.taxonomy does not know:"
            " update _MIX in zonal/incidents/demo_profiles.py to the catalogue's codes"
        )
    return tuple(
        OffenceDemo(code, OFFENCE_TYPES[code].cluster, OFFENCE_TYPES[code].default_priority, *row)
        for code, row in _MIX.items()
    )


# Municipalities holding a city centre, and how much busier than their density says they
# are: zone 5339's Brussels city has the Pentagon, the main stations and the night life.
CITY_CENTRES: dict[str, float] = {"21004": 1.8}
_REFERENCE_DENSITY = 5000.0  # inhabitants per km2 with uplift 1: a typical Brussels commune


@dataclass(frozen=True)
class Site:
    """A municipality as the generator sees it: where it is, how many live there, how urban."""

    code: str
    lat: float
    lon: float
    population: float
    area_km2: float
    uplift: float

    @staticmethod
    def of(code: str, lat: float, lon: float, population: float, area_km2: float) -> Site:
        """A site whose uplift grows gently with density (x2 density gives x1.15)."""
        density = (population / area_km2) / _REFERENCE_DENSITY
        uplift = float(np.clip(density**0.2, 0.5, 1.4)) * CITY_CENTRES.get(code, 1.0)
        return Site(code, lat, lon, population, area_km2, uplift)

    @property
    def radius_km(self) -> float:
        """The radius of a disc with the municipality's area."""
        return float(np.sqrt(self.area_km2 / np.pi))


# Origins by index: incidents carry the index until the frame is built.
ORIGINS = (Origin.CITIZEN_CALL, Origin.OFFICER_INITIATED, Origin.ONLINE_COMPLAINT, Origin.ALARM)
_CALL, _OFFICER, _ONLINE, _ALARM = range(4)
_HOTSPOTS = 4  # per municipality: a station, a square, a shopping street, a park
_HOTSPOT_KM = 0.15  # spread of incidents around a hotspot
_KM_PER_DEGREE = 111.32


def site_weights(sites: Sequence[Site], mix: Sequence[OffenceDemo]) -> FloatArray:
    """Expected incidents a year per site and offence type, shape (sites, types)."""
    people = np.asarray([s.population for s in sites])[:, None]
    uplift = np.asarray([s.uplift for s in sites])[:, None]
    power = np.asarray([URBAN_SENSITIVITY[m.rhythm] for m in mix])[None, :]
    rate = np.asarray([m.per_1000 / 1000.0 for m in mix])[None, :]
    return np.asarray(people * uplift**power * rate, dtype=np.float64)


def pick_rows(weights: FloatArray, rng: np.random.Generator) -> IntArray:
    """One column index per row of `weights`, drawn with probability proportional to it."""
    cumulative = np.cumsum(weights, axis=1)
    threshold = rng.random(weights.shape[0]) * cumulative[:, -1]
    picked = (cumulative <= threshold[:, None]).sum(axis=1)
    return np.asarray(np.minimum(picked, weights.shape[1] - 1), dtype=np.int64)


def draw_origin(mix: Sequence[OffenceDemo], kind: IntArray, rng: np.random.Generator) -> IntArray:
    """An index into ORIGINS per incident: alarms and online types by channel, else a draw."""
    fixed = {Channel.ONLINE: _ONLINE, Channel.ALARM: _ALARM}
    base = np.asarray([fixed.get(m.channel, _CALL) for m in mix])[kind]
    share = np.asarray([m.officer_share for m in mix])[kind]
    patrol = (base == _CALL) & (rng.random(kind.size) < share)
    return np.where(patrol, _OFFICER, base).astype(np.int64)


def draw_priority(mix: Sequence[OffenceDemo], kind: IntArray, rng: np.random.Generator) -> IntArray:
    """The type's default priority, one step up or down for 7% each (call takers differ)."""
    default = np.asarray([m.default_priority for m in mix])[kind]
    step = rng.choice(np.array([-1, 0, 1]), size=kind.size, p=[0.07, 0.86, 0.07])
    return np.asarray(np.clip(default + step, 1, 4), dtype=np.int64)


def place(
    sites: Sequence[Site],
    site: IntArray,
    rhythm: IntArray,
    origin: IntArray,
    seed: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Latitude and longitude per incident (NaN for online complaints).

    A share of each type (HOTSPOT_SHARE) falls within ~150 m of one of the municipality's
    seeded hotspots, each type preferring its own; the rest spreads around the centroid.
    """
    names = list(RHYTHMS)
    centres, preference = _hotspots(sites, len(names), seed)
    share = np.asarray([HOTSPOT_SHARE[name] for name in names])[rhythm]
    at_hotspot = rng.random(site.size) < share
    hotspot = pick_rows(preference[site, rhythm], rng)
    radius = np.asarray([s.radius_km for s in sites])[site]
    spread = np.where(at_hotspot, _HOTSPOT_KM, radius / 2.0)[:, None]
    offset = np.where(at_hotspot[:, None], centres[site, hotspot], 0.0)
    east, north = (offset + rng.normal(size=(site.size, 2)) * spread).T
    lat = np.asarray([s.lat for s in sites])[site] + north / _KM_PER_DEGREE
    lon_scale = _KM_PER_DEGREE * np.cos(np.radians(lat))
    lon = np.asarray([s.lon for s in sites])[site] + east / lon_scale
    online = origin == _ONLINE
    return np.where(online, np.nan, lat.round(5)), np.where(online, np.nan, lon.round(5))


def _hotspots(sites: Sequence[Site], rhythms: int, seed: int) -> tuple[FloatArray, FloatArray]:
    """Hotspot offsets in km (sites, hotspots, 2) and each rhythm's preference among them.

    Seeded by the municipality's code, so a place keeps its hotspots whatever the period.
    """
    centres, preference = [], []
    for s in sites:
        rng = np.random.default_rng([seed, zlib.crc32(s.code.encode()), 7])
        centres.append(rng.normal(0.0, 0.35 * s.radius_km, (_HOTSPOTS, 2)))
        preference.append(rng.dirichlet(np.full(_HOTSPOTS, 0.8), rhythms))
    return np.asarray(centres), np.asarray(preference)


def report_delay(
    mix: Sequence[OffenceDemo], kind: IntArray, rng: np.random.Generator
) -> FloatArray:
    """Seconds from occurrence to report, lognormal by the type's channel."""
    median = np.asarray([REPORT_DELAY[m.channel][0] for m in mix])[kind]
    sigma = np.asarray([REPORT_DELAY[m.channel][1] for m in mix])[kind]
    return np.asarray(median * np.exp(sigma * rng.standard_normal(kind.size)), dtype=np.float64)


def dispatch_times(
    reported: IntArray,
    priority: IntArray,
    origin: IntArray,
    dispatch_share: FloatArray,
    rng: np.random.Generator,
) -> dict[str, FloatArray]:
    """Microsecond timestamps per DISPATCH_TIMES column, NaN where no patrol went.

    Called-in incidents pass every stage; a patrol that finds an incident itself is queued,
    dispatched and on scene at once; online complaints and calls handled by phone get none.
    """
    called = (origin == _CALL) | (origin == _ALARM)
    sent = (called & (rng.random(reported.size) < dispatch_share)) | (origin == _OFFICER)
    clock = np.where(sent, reported.astype(np.float64), np.nan)
    times: dict[str, FloatArray] = {}
    for column, stages in DISPATCH_STAGES.items():
        median = np.asarray([s.median for s in stages])[priority - 1]
        sigma = np.asarray([s.sigma for s in stages])[priority - 1]
        delay = median * np.exp(sigma * rng.standard_normal(reported.size))
        if column in _ON_SCENE_AT_ONCE:
            delay = np.where(origin == _OFFICER, 0.0, delay)
        clock = clock + np.round(delay * 1e6)
        times[column] = clock
    return times


_ON_SCENE_AT_ONCE = ("queued_at", "dispatched_at", "en_route_at", "arrived_at")
