"""Series ids `AREA|CLUSTER`: built, read and compared here, and nowhere else.

The area is a path from the top: `all` (the whole data set), `5339` (a zone, or a beat such
as `1A10` when the data has no zones), `5339/5339-01` (a sector of zone 5339); or a group of
zones named by its kind and code, `province:40000`. The cluster is a security cluster number,
`none` for unclassified incidents, or `all`. Frames hold ids as text in `unique_id`; the
`*_expr` helpers read and build that column as a whole, so no frame is parsed row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from zonal.errors import InputError

SEPARATOR = "|"  # between the area and the cluster
PATH = "/"  # between the levels of an area path: zone/sector
GROUP = ":"  # between a group's kind and its code: province:40000
TOTAL = "all"  # the area of the whole data set; the cluster of all clusters together
LEVELS = ("total", "zone", "sector", "sub-sector")  # level names by area depth
_WELL_FORMED = f"^[^{re.escape(SEPARATOR)}]+{re.escape(SEPARATOR)}[^{re.escape(SEPARATOR)}]+$"


def is_group(area: str) -> bool:
    """Whether an area is a group of zones (`province:40000`) rather than a zone path."""
    return GROUP in area


def area_depth(area: str) -> int:
    """0 for the total, 1 for a zone or a group of zones, 2 for a sector, 3 below."""
    return 0 if area == TOTAL else area.count(PATH) + 1


def _malformed(text: str) -> str:
    return (
        f"series id {text!r} is not AREA|CLUSTER: one area and one cluster, neither empty, "
        "with one '|' between them (e.g. '5339|3', '5339/5339-01|all' or 'all|all')"
    )


@dataclass(frozen=True, slots=True)
class SeriesKey:
    """One series of the hierarchy: an area (path, group or `all`) x a cluster (or `all`)."""

    area: str
    cluster: str

    def __post_init__(self) -> None:
        if not (self.area and self.cluster) or SEPARATOR in self.area + self.cluster:
            raise InputError(_malformed(f"{self.area}{SEPARATOR}{self.cluster}"))

    def __str__(self) -> str:
        return f"{self.area}{SEPARATOR}{self.cluster}"

    @classmethod
    def parse(cls, text: str) -> SeriesKey:
        """The key of an id `AREA|CLUSTER`; raises InputError quoting any other text."""
        area, separator, cluster = text.partition(SEPARATOR)
        if not separator:
            raise InputError(_malformed(text))
        return cls(area, cluster)

    @classmethod
    def parse_or_area(cls, text: str) -> SeriesKey:
        """The key of an id `AREA|CLUSTER`; an id without a '|' (a model fitted on plain ids,
        '5339') is an area of its own, all clusters together."""
        return cls.parse(text) if SEPARATOR in text else cls(text, TOTAL)

    @property
    def is_total(self) -> bool:
        """Whether this is `all|all`, every incident of the data set."""
        return self.area == TOTAL and self.cluster == TOTAL

    @property
    def is_area_total(self) -> bool:
        """Whether the series sums every cluster of its area (`5339|all`)."""
        return self.cluster == TOTAL

    @property
    def is_group(self) -> bool:
        """Whether the area is a group of zones (`province:40000`)."""
        return is_group(self.area)

    @property
    def depth(self) -> int:
        """0 for the total, 1 for a zone or a group, 2 for a sector, 3 below."""
        return area_depth(self.area)

    @property
    def zone(self) -> str:
        """The top of the area path: the zone of a sector; a zone, group or `all` itself."""
        return self.area.partition(PATH)[0]

    @property
    def parent_area(self) -> str | None:
        """The area one step up the path (`5339` of `5339/5339-01`, `all` of a zone or group),
        None for the total."""
        if self.area == TOTAL:
            return None
        parent, _, _ = self.area.rpartition(PATH)
        return parent or TOTAL

    @property
    def area_name(self) -> str:
        """The last step of the area path: `5339-01` of `5339/5339-01`."""
        return self.area.rpartition(PATH)[2]

    @property
    def area_path(self) -> tuple[str, ...]:
        """The areas from the top down to this one, the total left out: `5339`, `5339/5339-01`."""
        if self.area == TOTAL:
            return ()
        steps = self.area.split(PATH)
        return tuple(PATH.join(steps[: i + 1]) for i in range(len(steps)))

    @property
    def level(self) -> str:
        """A readable level: 'total', a group's kind ('province'), 'zone', 'sector', each with
        '+cluster' when split by cluster."""
        name = self.area.partition(GROUP)[0] if self.is_group else LEVELS[min(self.depth, 3)]
        return name if self.is_area_total else f"{name}+cluster"

    def covers_area(self, other: SeriesKey) -> bool:
        """Whether `other`'s area is this area or below it on its path (groups aside)."""
        area = self.area
        return area == TOTAL or other.area == area or other.area.startswith(area + PATH)

    @staticmethod
    def build_expr(area: pl.Expr, cluster: pl.Expr) -> pl.Expr:
        """The ids of an area and a cluster column (text; null where either is null)."""
        return pl.concat_str([area, pl.lit(SEPARATOR), cluster])

    @staticmethod
    def area_expr(column: str | pl.Expr = "unique_id") -> pl.Expr:
        """The area of each id of `column`."""
        return _ids(column).str.splitn(SEPARATOR, 2).struct.field("field_0")

    @staticmethod
    def cluster_expr(column: str | pl.Expr = "unique_id") -> pl.Expr:
        """The cluster of each id of `column`."""
        return _ids(column).str.splitn(SEPARATOR, 2).struct.field("field_1")

    @staticmethod
    def area_name_expr(column: str | pl.Expr = "unique_id") -> pl.Expr:
        """The last step of each id's area path (see `area_name`)."""
        return SeriesKey.area_expr(column).str.split(PATH).list.last()

    @staticmethod
    def is_key_expr(column: str | pl.Expr = "unique_id") -> pl.Expr:
        """Whether each text of `column` is a well-formed id `AREA|CLUSTER`."""
        return _ids(column).str.contains(_WELL_FORMED)

    @staticmethod
    def is_area_total_expr(column: str | pl.Expr = "unique_id") -> pl.Expr:
        """Whether each id sums every cluster of its area (see `is_area_total`)."""
        return _ids(column).str.ends_with(SEPARATOR + TOTAL)

    @staticmethod
    def of_area_expr(area: str, column: str | pl.Expr = "unique_id") -> pl.Expr:
        """Whether each id is one of `area` (its total or one of its clusters)."""
        return _ids(column).str.starts_with(area + SEPARATOR)

    @staticmethod
    def level_expr(column: str | pl.Expr = "unique_id") -> pl.Expr:
        """The level of each id (see `level`)."""
        area = SeriesKey.area_expr(column)
        depth = (area.str.count_matches(PATH, literal=True) + 1).clip(upper_bound=3)
        name = (
            pl.when(area == TOTAL)
            .then(pl.lit(LEVELS[0]))
            .when(area.str.contains(GROUP, literal=True))
            .then(area.str.split(GROUP).list.first())
            .otherwise(depth.replace_strict(dict(enumerate(LEVELS)), return_dtype=pl.String))
        )
        split = SeriesKey.cluster_expr(column) != TOTAL
        return pl.when(split).then(pl.concat_str([name, pl.lit("+cluster")])).otherwise(name)


TOTAL_KEY = SeriesKey(TOTAL, TOTAL)


def _ids(column: str | pl.Expr) -> pl.Expr:
    return pl.col(column) if isinstance(column, str) else column
