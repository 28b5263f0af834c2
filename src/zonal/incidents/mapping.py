"""Which source column feeds which canonical incident field.

A mapping is written as text so a CLI option or a web form can carry it:

    time=occurred_at,zone=beat,category=offense,lat=lat,lon=lon

`category` may list several source columns joined by `+` (`category=final_case+CALL_GROUP`);
they are handed together to the taxonomy. Column names are taken verbatim (inner spaces
kept), so a name containing `,`, `=` or `+` cannot be mapped: rename it first.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from zonal.errors import MappingError

# target name in mapping text -> attribute of ColumnMapping, with what it feeds
TARGETS: dict[str, tuple[str, str]] = {
    "time": ("time", "occurred_at: when it happened (required)"),
    "id": ("incident_id", "incident_id: the source's id (otherwise dataset + line number)"),
    "zone": ("zone", "zone: police zone or the source's top-level area"),
    "sector": ("sector", "sector: sub-zone area (beat, district part, tract)"),
    "lat": ("lat", "lat: WGS84 latitude"),
    "lon": ("lon", "lon: WGS84 longitude"),
    "x": ("x", "x: projected easting, with ImportOptions.xy_crs"),
    "y": ("y", "y: projected northing, with ImportOptions.xy_crs"),
    "category": ("category", "source category column(s), joined by '+', for the taxonomy"),
    "priority": ("priority", "priority: 1 = most urgent"),
    "origin": ("origin", "origin: citizen_call, officer_initiated, alarm, ..."),
    "reported_at": ("reported_at", "reported_at: when the police learnt of it"),
    "queued": ("queued_at", "queued_at: call queued for dispatch"),
    "dispatched": ("dispatched_at", "dispatched_at: first unit dispatched"),
    "en_route": ("en_route_at", "en_route_at: first unit en route"),
    "arrived": ("arrived_at", "arrived_at: first unit on scene"),
    "cleared": ("cleared_at", "cleared_at: first unit cleared"),
    "closed": ("closed_at", "closed_at: incident closed"),
    "agency": ("agency", "the agency column (police, EMS, fire) that --agency filters; not stored"),
}

# canonical column names accepted as synonyms of the short target names
_ALIASES: dict[str, str] = {
    "occurred_at": "time",
    "incident_id": "id",
    **{attr: name for name, (attr, _) in TARGETS.items() if attr.endswith("_at")},
}

DISPATCH_TARGETS: tuple[str, ...] = (
    "queued_at",
    "dispatched_at",
    "en_route_at",
    "arrived_at",
    "cleared_at",
    "closed_at",
)


@dataclass(frozen=True)
class ColumnMapping:
    """Canonical field -> source column; only `time` is required."""

    time: str
    incident_id: str | None = None
    zone: str | None = None
    sector: str | None = None
    lat: str | None = None
    lon: str | None = None
    x: str | None = None
    y: str | None = None
    category: tuple[str, ...] = ()
    priority: str | None = None
    origin: str | None = None
    reported_at: str | None = None
    queued_at: str | None = None
    dispatched_at: str | None = None
    en_route_at: str | None = None
    arrived_at: str | None = None
    cleared_at: str | None = None
    closed_at: str | None = None
    agency: str | None = None

    def __post_init__(self) -> None:
        _check_pairs(self)

    @classmethod
    def parse(cls, text: str) -> ColumnMapping:
        """Read `target=column,...` text.

        Raises:
            MappingError: bad syntax, an unknown or repeated target, or no `time`;
                the message lists the valid targets.
        """
        values: dict[str, str | tuple[str, ...]] = {}
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            name, column = _split_item(item, text)
            attr = _attribute(name)
            if attr in values:
                raise MappingError(
                    f"target {name!r} is given twice in mapping {text!r}; "
                    "give each target once (join several category columns with '+')"
                )
            if attr == "category":
                values[attr] = _columns(column, item)
            else:
                # a date and a time in two columns: time=Date+Time reads them joined
                values[attr] = "+".join(_columns(column, item)) if attr == "time" else column
        if "time" not in values:
            raise MappingError(
                f"mapping {text!r} has no 'time' target; add e.g. 'time=occurred_at'. "
                f"Valid targets: {', '.join(TARGETS)}"
            )
        return cls(**values)  # type: ignore[arg-type]

    @property
    def time_columns(self) -> tuple[str, ...]:
        """The column(s) of `time`: one, or a date and a time column (`time=Date+Time`)."""
        return tuple(part.strip() for part in self.time.split("+"))

    def sources(self) -> dict[str, tuple[str, ...]]:
        """Mapped attribute -> source column(s), for checking them against a file's header."""
        found: dict[str, tuple[str, ...]] = {"time": self.time_columns}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name == "time":
                continue
            if isinstance(value, str):
                found[spec.name] = (value,)
            elif value:
                found[spec.name] = tuple(value)
        return found

    def to_text(self) -> str:
        """The mapping back in `target=column` form (round-trips through `parse`)."""
        names = {attr: name for name, (attr, _) in TARGETS.items()}
        return ",".join(
            f"{names[attr]}={'+'.join(columns)}" for attr, columns in self.sources().items()
        )


def _split_item(item: str, text: str) -> tuple[str, str]:
    name, equals, column = item.partition("=")
    name, column = name.strip(), column.strip()
    if not equals or not name or not column:
        raise MappingError(
            f"cannot read {item!r} in mapping {text!r}: write target=column pairs separated "
            "by commas, e.g. 'time=occurred_at,zone=beat'"
        )
    return name, column


def _attribute(name: str) -> str:
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in TARGETS:
        raise MappingError(f"unknown mapping target {name!r}; valid targets: {', '.join(TARGETS)}")
    return TARGETS[key][0]


def _columns(column: str, item: str) -> tuple[str, ...]:
    columns = tuple(part.strip() for part in column.split("+"))
    if not all(columns):
        raise MappingError(f"empty column name in {item!r}; write category=col1+col2")
    return columns


def _check_pairs(mapping: ColumnMapping) -> None:
    # a lone lat or x cannot place an incident; half a coordinate pair is a typo
    for one, other in (("lat", "lon"), ("x", "y")):
        if (getattr(mapping, one) is None) != (getattr(mapping, other) is None):
            raise MappingError(f"map both {one!r} and {other!r}, or neither")
    if mapping.lat is not None and mapping.x is not None:
        raise MappingError("map either lat/lon or x/y, not both")
    if not mapping.time:
        raise MappingError("the 'time' target needs a column name, e.g. 'time=occurred_at'")
