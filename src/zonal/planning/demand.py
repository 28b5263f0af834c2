"""Per-hour demand frames in, NumPy matrices out: the one place demand input is checked.

Planning accepts any long frame with `unique_id`, an hourly timezone-aware `ds` and a
numeric demand column (calls per hour): a forecast (`mean`, `q-0.9`, ...) or history (`y`).
Every unique_id must cover the same hours so all zones can be computed as one matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from zonal.errors import InputError

HOURS_PER_WEEK = 168
DEFAULT_COLUMNS: tuple[str, ...] = ("mean", "y")
ONE_HOUR_US = 3_600_000_000


@dataclass(frozen=True)
class HourlyMatrix:
    """Values of many series on one common hourly grid.

    Attributes:
        ids: the unique_id of each row, in output order.
        ds: the common hourly grid (UTC, timezone-aware).
        values: array of shape (len(ids), len(ds)).
    """

    ids: list[str]
    ds: pl.Series
    values: np.ndarray

    @property
    def n_hours(self) -> int:
        """Hours in the grid."""
        return int(self.ds.len())

    def to_frame(self, **columns: np.ndarray) -> pl.DataFrame:
        """A long frame (`unique_id`, `ds`, one column per keyword) of arrays shaped like values."""
        n_ids, n_hours = len(self.ids), self.n_hours
        base = {
            "unique_id": pl.Series(np.repeat(np.array(self.ids, dtype=object), n_hours)).cast(
                pl.String
            ),
            "ds": pl.concat([self.ds] * n_ids) if n_ids else self.ds.clear(),
        }
        rest = {name: np.asarray(array).reshape(-1) for name, array in columns.items()}
        return pl.DataFrame({**base, **rest})


def demand_column(frame: pl.DataFrame, column: str | None) -> str:
    """The demand column to plan on: `column` if given, else `mean`, else `y`.

    Raises:
        InputError: the column is absent (the message lists the numeric columns to choose from).
    """
    candidates = [c for c in frame.columns if c not in ("unique_id", "ds")]
    if column is not None:
        if column not in frame.columns:
            raise InputError(
                f"demand column {column!r} is not in the frame; choose one of {candidates}"
            )
        return column
    for name in DEFAULT_COLUMNS:
        if name in frame.columns:
            return name
    raise InputError(
        f"the demand frame has neither 'mean' nor 'y'; name the column to plan on "
        f"(e.g. a quantile such as 'q-0.9') from {candidates}"
    )


def to_hourly_matrix(frame: pl.DataFrame, column: str) -> HourlyMatrix:
    """Check a long hourly frame and pivot `column` into a (series x hours) matrix.

    Raises:
        InputError: missing columns, naive or non-hourly `ds`, gaps, series on different
            hours, duplicate hours, or null, non-finite or negative values.
    """
    _check_columns(frame, column)
    frame = frame.select(
        pl.col("unique_id").cast(pl.String),
        pl.col("ds").dt.convert_time_zone("UTC").dt.cast_time_unit("us"),
        pl.col(column).cast(pl.Float64).alias("value"),
    ).sort("unique_id", "ds")
    _check_values(frame["value"], column)
    ids = frame["unique_id"].unique(maintain_order=True).to_list()
    grid = frame.filter(pl.col("unique_id") == ids[0])["ds"]
    _check_grid(grid, ids[0])
    if frame.height != len(ids) * grid.len():
        raise InputError(_uneven_message(frame, grid.len()))
    values = frame["value"].to_numpy().reshape(len(ids), grid.len())
    same = frame["ds"].to_numpy().reshape(len(ids), grid.len()) == grid.to_numpy()
    if not same.all():
        bad = ids[int(np.argmin(same.all(axis=1)))]
        raise InputError(
            f"series {bad!r} covers other hours than {ids[0]!r}: give every unique_id the same "
            f"hourly grid (forecasts of one run do)"
        )
    return HourlyMatrix(ids=ids, ds=grid.alias("ds"), values=values)


def _check_columns(frame: pl.DataFrame, column: str) -> None:
    missing = [name for name in ("unique_id", "ds", column) if name not in frame.columns]
    if missing:
        raise InputError(
            f"demand frame lacks column(s) {missing}; expected a long frame with unique_id, "
            f"ds (hourly, timezone-aware) and {column!r}; it has {frame.columns}"
        )
    if frame.height == 0:
        raise InputError("demand frame has no rows: give at least one hour of demand")
    dtype = frame.schema["ds"]
    if not isinstance(dtype, pl.Datetime) or dtype.time_zone is None:
        raise InputError(
            f"column 'ds' must be a timezone-aware datetime, got {dtype}; "
            f"attach the zone, e.g. pl.col('ds').dt.replace_time_zone('Europe/Brussels')"
        )
    if not frame.schema[column].is_numeric():
        raise InputError(f"demand column {column!r} must be numeric, got {frame.schema[column]}")


def _check_values(values: pl.Series, column: str) -> None:
    if values.null_count():
        raise InputError(f"demand column {column!r} has {values.null_count()} null value(s)")
    array = values.to_numpy()
    if not np.isfinite(array).all():
        raise InputError(f"demand column {column!r} holds NaN or infinite values")
    if (array < 0).any():
        raise InputError(
            f"demand column {column!r} holds negative values (lowest {array.min():g}); "
            f"calls per hour cannot be negative: clip the forecast at zero"
        )


def _check_grid(grid: pl.Series, first_id: str) -> None:
    steps = grid.diff().drop_nulls().dt.total_microseconds()
    if steps.len() and (steps != ONE_HOUR_US).any():
        position = int((steps != ONE_HOUR_US).arg_max() or 0)
        raise InputError(
            f"series {first_id!r} is not hourly without gaps: {grid[position]} is followed by "
            f"{grid[position + 1]}; give one row per hour (fill missing hours with 0)"
        )


def _uneven_message(frame: pl.DataFrame, hours: int) -> str:
    counts = frame.group_by("unique_id").len().filter(pl.col("len") != hours)
    example = counts.row(0) if counts.height else ("?", 0)
    return (
        f"series {example[0]!r} has {example[1]} rows but the first series has {hours}: "
        f"give every unique_id the same hours, once each"
    )


def hour_of_week(ds: pl.Series, time_zone: str) -> np.ndarray:
    """Local hour of the week (0 = Monday 00:00) of each timestamp."""
    local = ds.dt.convert_time_zone(time_zone)
    weekday = local.dt.weekday().cast(pl.Int64)
    return ((weekday - 1) * 24 + local.dt.hour().cast(pl.Int64)).to_numpy()


def local_hour(ds: pl.Series, time_zone: str) -> np.ndarray:
    """Local hour of the day (0-23) of each timestamp."""
    return ds.dt.convert_time_zone(time_zone).dt.hour().cast(pl.Int64).to_numpy()
