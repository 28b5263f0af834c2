"""Expressions that turn source text columns into canonical incident fields.

Everything is a Polars expression or a whole-column operation: no Python runs per row.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from zonal.errors import InputError
from zonal.incidents.options import ImportOptions
from zonal.incidents.schema import Origin
from zonal.incidents.sources import LINE
from zonal.incidents.timeparse import MISSING_TIME_TEXTS

_ORIGINS = [origin.value for origin in Origin]
_PRIORITY_MAX = 127  # the canonical priority is an Int8


def text(column: str) -> pl.Expr:
    """The column's text without surrounding blanks; blank text is null."""
    stripped = pl.col(column).str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def time_text(column: str) -> pl.Expr:
    """A time's text; blank and the exports' words for "no value" (`NULL`, `NA`, ...) are null,
    so they count as missing times, not as unreadable ones."""
    value = text(column)
    return pl.when(~value.str.to_uppercase().is_in(list(MISSING_TIME_TEXTS))).then(value)


def joined_text(columns: tuple[str, ...]) -> pl.Expr:
    """The columns' time texts joined by a space (a date and a time column), null if all are
    missing."""
    if len(columns) == 1:
        return time_text(columns[0])
    joined = pl.concat_str([time_text(c) for c in columns], separator=" ", ignore_nulls=True)
    return pl.when(joined.str.len_bytes() > 0).then(joined)


def decimal_text(column: str) -> pl.Expr:
    """A number's text with a decimal comma read as a point (50,83 -> 50.83), as European
    spreadsheets write it; text with both or several separators is left to fail."""
    return text(column).str.replace(r"^([+-]?\d+),(\d+)$", "$1.$2")


def code(column: str) -> pl.Expr:
    """An area or number code; `802.0` becomes `802`, since spreadsheets export codes as floats."""
    return text(column).str.replace(r"^(-?\d+)\.0+$", "$1")


def incident_id(options: ImportOptions) -> pl.Expr:
    """The source's id where present, else `<dataset>:<line>`, stable across re-imports."""
    generated = pl.format("{}:{}", pl.lit(options.dataset), pl.col(LINE))
    column = options.mapping.incident_id
    return generated if column is None else pl.coalesce(text(column), generated)


def zone(options: ImportOptions) -> pl.Expr:
    """The zone code, cut out of its column by `zone_pattern` when one is given, or the
    file's one zone (`options.zone`)."""
    column = options.mapping.zone
    if column is None:
        return pl.lit(options.zone.strip() if options.zone else None, dtype=pl.String())
    if options.zone_pattern is None:
        return code(column)
    return text(column).str.extract(options.zone_pattern, 1)


def sector(options: ImportOptions) -> pl.Expr:
    """The sector code, verbatim but trimmed."""
    column = options.mapping.sector
    return pl.lit(None, dtype=pl.String()) if column is None else code(column)


def source_category(options: ImportOptions) -> pl.Expr:
    """The source's own categories, joined by ' | ' when there are several."""
    columns = options.mapping.category
    if not columns:
        return pl.lit(None, dtype=pl.String())
    joined = pl.concat_str([text(c) for c in columns], separator=" | ", ignore_nulls=True)
    return pl.when(joined.str.len_bytes() > 0).then(joined)


def priority(options: ImportOptions) -> pl.Expr:
    """Priority 0..127 (1 = most urgent), from an integer column or from `priority_rules`."""
    column = options.mapping.priority
    if column is None:
        return pl.lit(None, dtype=pl.Int64())
    if options.priority_rules is None:
        value = code(column).cast(pl.Int64(), strict=False)
    else:
        value = pl.lit(None, dtype=pl.Int64())
        for rule in reversed(options.priority_rules):
            value = (
                pl.when(text(column).str.contains(rule.pattern))
                .then(rule.priority)
                .otherwise(value)
            )
    return pl.when(value.is_between(0, _PRIORITY_MAX)).then(value)


def priority_unparseable(options: ImportOptions) -> pl.Expr:
    """Priority text that is not an integer 0..127 (only checked without priority rules)."""
    column = options.mapping.priority
    if column is None or options.priority_rules is not None:
        return pl.lit(False)
    return text(column).is_not_null() & priority(options).is_null()


def origin(options: ImportOptions) -> pl.Expr:
    """The first matching origin rule, else the origin column's own value, else the default."""
    fallback: pl.Expr = pl.lit(options.default_origin.value)
    column = options.mapping.origin
    if column is not None:
        value = text(column).str.to_lowercase()
        fallback = pl.when(value.is_in(_ORIGINS)).then(value).otherwise(fallback)
    for rule in reversed(options.origin_rules):
        matches = text(rule.column).str.contains(rule.pattern).fill_null(False)
        fallback = pl.when(matches).then(pl.lit(rule.origin.value)).otherwise(fallback)
    return fallback


def count(options: ImportOptions) -> pl.Expr:
    """Offences in the record (1 when there is no count column or it is unreadable)."""
    if options.count_column is None:
        return pl.lit(1, dtype=pl.Int64())
    value = code(options.count_column).cast(pl.Int64(), strict=False)
    return value.fill_null(1)


def coordinates(frame: pl.DataFrame, options: ImportOptions) -> pl.DataFrame:
    """WGS84 `lat`, `lon`, `coordinates_zero` where (0, 0) was read as unknown, and
    `coordinates_unparseable` where a coordinate is text but not a number.

    x/y columns are projected from `xy_crs` with pyproj, on whole arrays.
    """
    columns = _coordinate_columns(options)
    if columns is None:
        empty = pl.repeat(None, frame.height, dtype=pl.Float64(), eager=True)
        unset = empty.is_not_null()
        return pl.DataFrame(
            [
                empty.alias("lat"),
                empty.alias("lon"),
                unset.alias("coordinates_zero"),
                unset.alias("coordinates_unparseable"),
            ]
        )
    texts = frame.select(decimal_text(columns[0]).alias("ta"), decimal_text(columns[1]).alias("tb"))
    pair = texts.select(
        pl.col("ta").cast(pl.Float64(), strict=False).fill_nan(None).alias("a"),
        pl.col("tb").cast(pl.Float64(), strict=False).fill_nan(None).alias("b"),
    )
    pair = pair.with_columns(
        (
            (texts["ta"].is_not_null() & pair["a"].is_null())
            | (texts["tb"].is_not_null() & pair["b"].is_null())
        ).alias("coordinates_unparseable")
    )
    zero = ((pair["a"] == 0) & (pair["b"] == 0)).fill_null(False) & options.zero_coordinates_unknown
    pair = pair.with_columns(pl.when(~zero).then(pl.col("a", "b")).name.keep())
    lon, lat = pair["a"], pair["b"]
    if options.xy_crs is not None and options.mapping.x is not None:
        lon, lat = _to_wgs84(lon, lat, options.xy_crs)
    return pl.DataFrame(
        [
            lat.alias("lat"),
            lon.alias("lon"),
            zero.alias("coordinates_zero"),
            pair["coordinates_unparseable"],
        ]
    )


def _coordinate_columns(options: ImportOptions) -> tuple[str, str] | None:
    """(east, north) source columns: lon/lat or x/y, whichever is mapped."""
    mapping = options.mapping
    if mapping.lon is not None and mapping.lat is not None:
        return mapping.lon, mapping.lat
    if mapping.x is not None and mapping.y is not None:
        return mapping.x, mapping.y
    return None


def _to_wgs84(x: pl.Series, y: pl.Series, crs: str) -> tuple[pl.Series, pl.Series]:
    try:
        transformer = Transformer.from_crs(CRS.from_user_input(crs), "EPSG:4326", always_xy=True)
    except CRSError as exc:
        raise InputError(
            f"unknown coordinate reference system {crs!r} for x/y; give an EPSG or ESRI code "
            "such as 'EPSG:31370' (Belgian Lambert 72)"
        ) from exc
    lon, lat = transformer.transform(
        x.to_numpy().astype(np.float64), y.to_numpy().astype(np.float64)
    )
    return _finite("lon", lon), _finite("lat", lat)


def _finite(name: str, values: np.ndarray) -> pl.Series:
    # pyproj answers inf for points it cannot project and NaN for missing input
    series = pl.Series(name, values, dtype=pl.Float64())
    return pl.select(pl.when(series.is_finite()).then(series)).to_series().alias(name)
