"""Ready-made import options for known sources (the reference data sets and their kin).

    result = read_with_preset(Path("houston_incidents_2010.csv.gz"), "houston")
    result = read_with_preset(path, "dispatch-center", agencies=None, time_zone="America/Chicago")

Overrides are ImportOptions fields (`time_zone`, `dataset`, `area`, ...) or a preset's own
extra (`agencies` for `dispatch-center`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType

from zonal.errors import InputError, NotFoundError
from zonal.incidents.importers import read_incidents
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions, ImportResult, OriginRule, PriorityRule
from zonal.incidents.schema import Origin, TimeResolution

Extra = Callable[[ImportOptions, object], ImportOptions]


@dataclass(frozen=True)
class Preset:
    """A named recipe: what it reads, and a factory for its ImportOptions."""

    name: str
    description: str
    file: str
    factory: Callable[[], ImportOptions]
    extras: Mapping[str, Extra] = field(default_factory=dict)

    def options(self, **overrides: object) -> ImportOptions:
        """The preset's options with `overrides` applied.

        Raises:
            InputError: an override that is neither an ImportOptions field nor an extra.
        """
        options = self.factory()
        allowed = {spec.name for spec in fields(ImportOptions)}
        unknown = sorted(set(overrides) - allowed - set(self.extras))
        if unknown:
            raise InputError(
                f"preset {self.name!r} has no option {unknown}; valid: "
                f"{', '.join(sorted(allowed | set(self.extras)))}"
            )
        for name, value in overrides.items():
            if name in self.extras:
                options = self.extras[name](options, value)
        plain = {name: value for name, value in overrides.items() if name in allowed}
        return replace(options, **plain) if plain else options  # type: ignore[arg-type]


def read_with_preset(path: Path, preset: str, **overrides: object) -> ImportResult:
    """Import `path` with the named preset, e.g. `read_with_preset(p, "houston")`.

    Raises:
        NotFoundError: no preset has that name (the message lists them).
    """
    return read_incidents(path, get_preset(preset).options(**overrides))


def get_preset(name: str) -> Preset:
    """The preset called `name`.

    Raises:
        NotFoundError: no preset has that name (the message lists them).
    """
    try:
        return PRESETS[name]
    except KeyError:
        raise NotFoundError(
            f"unknown import preset {name!r}; presets: {', '.join(PRESETS)}"
        ) from None


def _houston() -> ImportOptions:
    # Districts are the beat's leading number: beat 1A10 is in district 1, 15E30 in 15.
    # The beat "UNK" (unknown) leaves zone empty rather than inventing a district.
    return ImportOptions(
        mapping=ColumnMapping.parse(
            "time=occurred_at,zone=beat,sector=beat,lat=lat,lon=lon,category=offense"
        ),
        time_zone="America/Chicago",
        dataset="houston",
        scheme="houston",
        time_format="%Y-%m-%d %H:%M",
        time_resolution=TimeResolution.HOUR,
        zone_pattern=r"^(\d+)[A-Z]",
        area=(-96.0, 29.3, -94.8, 30.3),  # Harris County and neighbours, with margin
        count_column="count",
    )


def _portland() -> ImportOptions:
    return ImportOptions(
        mapping=ColumnMapping.parse(
            "time=occ_date,sector=census_tra,x=x_coordina,y=y_coordina,"
            "category=final_case+CALL_GROUP+CATEGORY,priority=CASE_DESC"
        ),
        time_zone="America/Los_Angeles",
        dataset="portland-nij",
        scheme="portland",
        time_format="%Y-%m-%d",
        time_resolution=TimeResolution.DAY,
        xy_crs="EPSG:2913",
        area=(-123.2, 45.2, -122.2, 45.8),
        # CASE_DESC ends in "*H" for hot calls, "- PRIORITY" or "- COLD" (a late report)
        priority_rules=(
            PriorityRule(r"\*H\s*$", 1),
            PriorityRule(r"- PRIORITY", 2),
            PriorityRule(r"- COLD", 3),
        ),
    )


# Call_Reception channel (or problem type) -> who generated the demand, first match wins.
_DISPATCH_ORIGINS = (
    OriginRule("Problem", r"^ALARM", Origin.ALARM),
    OriginRule("Problem", r"^(ON VIEW|TRAFFIC STOP|SUBJECT STOP)$", Origin.OFFICER_INITIATED),
    OriginRule(
        "Call_Reception", r"(?i)^(OFFICER|SELF.?INITIATED|RADIO)$", Origin.OFFICER_INITIATED
    ),
    OriginRule(
        "Call_Reception",
        r"(?i)^(PHONE|E-911|911.*|CELL PHONE|TEXT|TDD|FLAG DOWN)$",
        Origin.CITIZEN_CALL,
    ),
)


def _dispatch_center() -> ImportOptions:
    # The file's wall clock has no zone. The README does not name the city, but the data
    # does: VCIN (Virginia Criminal Information Network) calls and "ALX COURT" prisoner
    # transports point to Alexandria, Virginia, hence America/New_York. Override with --tz.
    return ImportOptions(
        mapping=ColumnMapping.parse(
            "time=Incident_Start_Time,id=Master_Incident_Number,category=Problem,"
            "priority=Priority_Number,reported_at=Incident_Start_Time,"
            "queued=Incident_Queue_Time,dispatched=Incident_Dispatch_Time,"
            "en_route=Incident_Enroute_Time,arrived=Incident_Arrival_Time,"
            "cleared=TimeFirstCallCleared,closed=Final_Closed_Time"
        ),
        time_zone="America/New_York",
        dataset="dispatch-center",
        scheme="dispatch-center",
        time_format="%Y-%m-%d %H:%M:%S%.f",
        time_resolution=TimeResolution.SECOND,
        null_values=frozenset({"NULL"}),
        keep_values={"Agency": frozenset({"POLICE"})},
        origin_rules=_DISPATCH_ORIGINS,
    )


def _with_agencies(options: ImportOptions, agencies: object) -> ImportOptions:
    """`agencies=None` keeps every agency; otherwise an iterable of Agency values."""
    if agencies is None:
        return replace(options, keep_values={})
    if isinstance(agencies, str) or not isinstance(agencies, Iterable):
        raise InputError(
            f"agencies must be a list such as ['POLICE', 'EMS'] or None for all, got {agencies!r}"
        )
    wanted = frozenset(str(agency).upper() for agency in agencies)
    return replace(options, keep_values={"Agency": wanted})


def _st_louis() -> ImportOptions:
    # One row per offence; Count -1 rows cancel an earlier row after reclassification and
    # are rejected as "cancellation". A complaint with several offences repeats its
    # Complaint number: the first row is kept, the others are reported as duplicate_id.
    return ImportOptions(
        mapping=ColumnMapping.parse(
            "time=DateOccur,id=Complaint,zone=District,sector=Neighborhood,"
            "x=XCoord,y=YCoord,category=Crime+Description"
        ),
        time_zone="America/Chicago",
        dataset="st-louis",
        scheme="st-louis",
        time_format="%m/%d/%Y %H:%M",
        time_resolution=TimeResolution.MINUTE,
        xy_crs="ESRI:102696",
        area=(-90.5, 38.4, -90.0, 38.9),
        zone_pattern=r"^0*([1-9]\d*)$",  # district 0 means unknown: no zone
        count_column="Count",
    )


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        preset.name: preset
        for preset in (
            Preset(
                "houston",
                "Houston PD incidents 2010: hourly times, district from the beat, lon/lat",
                "houston_incidents_2010.csv.gz",
                _houston,
            ),
            Preset(
                "portland-nij",
                "Portland calls for service (NIJ challenge): dates only, x/y in EPSG:2913",
                "portland_cfs_2016_08.csv.gz",
                _portland,
            ),
            Preset(
                "dispatch-center",
                "US dispatch centre CAD records: police only by default, every dispatch time",
                "dispatch_center_2025h2.csv.gz",
                _dispatch_center,
                {"agencies": _with_agencies},
            ),
            Preset(
                "st-louis",
                "St. Louis crime reports 2008-2015: x/y in ESRI:102696, -1 counts cancel",
                "st_louis_crime_2008_2015.csv.gz",
                _st_louis,
            ),
        )
    }
)
