"""Classify foreign categories into offence types and security clusters, vectorised."""

from __future__ import annotations

import polars as pl

from zonal.errors import InputError, MappingError
from zonal.taxonomy.offences import OFFENCE_TYPES, UNCLASSIFIED
from zonal.taxonomy.schemes import CategoryScheme, get_scheme

COUNT = "count"


def classify(scheme: str | CategoryScheme, categories: pl.DataFrame) -> pl.DataFrame:
    """Offence type and security cluster for each row of `categories`.

    Args:
        scheme: a name in SCHEMES (or a CategoryScheme read with `read_scheme`).
        categories: the scheme's `.columns` (text, nulls allowed); other columns are ignored.

    Returns:
        A frame of the same height and row order with `offence_type` (String, never null:
        "unclassified" when no column maps) and `cluster` (Int8, null outside the clusters).

    Raises:
        NotFoundError: unknown scheme name.
        MappingError: `categories` lacks one of the scheme's columns.
    """
    chosen = get_scheme(scheme)
    missing = [name for name in chosen.columns if name not in categories.columns]
    if missing:
        raise MappingError(
            f"scheme {chosen.name!r} reads column(s) {missing}, which the data lacks "
            f"(it has {categories.columns}); rename the source columns to {list(chosen.columns)}"
        )
    first_known = pl.coalesce(*_resolved(chosen, categories), pl.lit(UNCLASSIFIED))
    offence = pl.select(first_known.alias("offence_type")).to_series()
    return pl.DataFrame([offence, cluster_of(offence)])


def _resolved(scheme: CategoryScheme, categories: pl.DataFrame) -> list[pl.Series]:
    """Each column's offence types, in precedence order, skipping fallbacks nobody needs."""
    found: list[pl.Series] = []
    for name in scheme.columns:
        found.append(scheme.resolve(name, categories[name]))
        if found[-1].null_count() == 0:
            break  # every row is settled: later columns are never consulted
    return found


def cluster_of(offence_types: pl.Series) -> pl.Series:
    """The security cluster (Int8, null outside the clusters) of each offence type code."""
    codes = list(OFFENCE_TYPES)
    clusters = [OFFENCE_TYPES[code].cluster for code in codes]
    return offence_types.replace_strict(codes, clusters, return_dtype=pl.Int8).alias("cluster")


def unclassified_counts(categories: pl.DataFrame, classified: pl.DataFrame) -> pl.DataFrame:
    """The distinct source values that became unclassified, with their row counts.

    Args:
        categories: the frame given to `classify` (every column is kept as a grouping key).
        classified: what `classify` returned for it.

    Returns:
        One row per distinct combination of `categories` values that got "unclassified",
        with a `count` column, most frequent first.

    Raises:
        InputError: the two frames differ in height or `classified` lacks `offence_type`.
    """
    if "offence_type" not in classified.columns or classified.height != categories.height:
        raise InputError(
            f"classified ({classified.height} rows, columns {classified.columns}) must be "
            f"what classify() returned for these {categories.height} category rows"
        )
    keys = [name for name in categories.columns if name != COUNT]
    unclassified = categories.filter(classified["offence_type"] == UNCLASSIFIED)
    return (
        unclassified.group_by(keys)
        .agg(pl.len().alias(COUNT))
        .sort([COUNT, *keys], descending=[True, *([False] * len(keys))], nulls_last=True)
    )
