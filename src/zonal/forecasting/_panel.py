"""Long series frames (`unique_id`, `ds`, `y`) and the dense hourly panel the models work on.

Models compute on a dense matrix (series x hours) because every feature is an array
operation over it; the long frame stays the exchange format between stages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from zonal.errors import InputError

HOUR_US = 3_600_000_000
SERIES_COLUMNS: tuple[str, ...] = ("unique_id", "ds", "y")


@dataclass(frozen=True)
class Panel:
    """Hourly counts as a dense matrix; NaN marks hours a series was not observed."""

    ids: tuple[str, ...]
    start_us: int  # epoch microseconds of the first column (UTC instant)
    values: np.ndarray  # float64, shape (len(ids), n_hours)
    time_zone: str

    @property
    def n_hours(self) -> int:
        return int(self.values.shape[1])

    def times(self, first: int = 0, count: int | None = None) -> pl.Series:
        """Local timestamps of columns `first .. first + count`; may run past the panel end."""
        count = self.n_hours - first if count is None else count
        return hour_range(self.start_us + first * HOUR_US, count, self.time_zone)

    def tail(self, n_hours: int) -> Panel:
        """The panel cut to its last `n_hours` columns (the same end)."""
        cut = max(self.n_hours - n_hours, 0)
        start = self.start_us + cut * HOUR_US
        return Panel(self.ids, start, self.values[:, cut:], self.time_zone)

    def head(self, n_hours: int) -> Panel:
        """The panel cut to its first `n_hours` columns."""
        return Panel(self.ids, self.start_us, self.values[:, :n_hours], self.time_zone)


def hour_range(start_us: int, count: int, time_zone: str) -> pl.Series:
    """`count` consecutive hourly instants from `start_us`, shown in `time_zone`."""
    epochs = start_us + np.arange(count, dtype=np.int64) * HOUR_US
    utc = pl.Series("ds", epochs).cast(pl.Datetime("us", "UTC"))
    return utc.dt.convert_time_zone(time_zone)


def validate_series(frame: pl.DataFrame) -> pl.DataFrame:
    """Check a long series frame and return it with canonical types.

    Raises:
        InputError: a column is missing, `ds` is not timezone-aware or not on whole hours,
            or `y` is negative (repeated pairs are caught by `to_panel`).
    """
    missing = [c for c in SERIES_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"series frame lacks column(s) {missing}; expected {list(SERIES_COLUMNS)}, "
            f"got {frame.columns} (aggregate incidents with hourly_counts first)"
        )
    _check_ds(frame["ds"])
    out = frame.select(
        pl.col("unique_id").cast(pl.String),
        pl.col("ds").dt.cast_time_unit("us"),
        pl.col("y").cast(pl.Float64),
    )
    if out.height == 0:
        raise InputError("series frame is empty: there is no history to fit on")
    if (out["y"] < 0).any():
        bad = out.filter(pl.col("y") < 0).row(0)
        raise InputError(f"negative count {bad[2]} for {bad[0]!r} at {bad[1]}; counts must be >= 0")
    return out


def _check_ds(ds: pl.Series) -> None:
    dtype = ds.dtype
    if not isinstance(dtype, pl.Datetime) or dtype.time_zone is None:
        raise InputError(
            f"column 'ds' must be a timezone-aware datetime, got {dtype}; "
            "attach the data's time zone with dt.replace_time_zone"
        )
    off_hour = ds.dt.epoch("us") % HOUR_US != 0
    if off_hour.any():
        raise InputError(
            f"'ds' value {ds.filter(off_hour)[0]} is not on a whole hour; truncate to hours"
        )


def to_panel(frame: pl.DataFrame) -> Panel:
    """The dense panel of a validated long frame; rows absent from the frame become NaN."""
    frame = validate_series(frame)
    dtype = frame["ds"].dtype
    assert isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    epochs = frame["ds"].dt.epoch("us").to_numpy()
    start = int(epochs.min())
    cols = ((epochs - start) // HOUR_US).astype(np.int64)
    # polars ranks strings natively: np.unique on millions of Python strings is far slower
    ids = frame["unique_id"].unique().sort()
    rows = (frame["unique_id"].rank("dense") - 1).to_numpy().astype(np.int64)
    n_hours = int(cols.max()) + 1
    # one bincount finds repeated cells far cheaper than hashing (unique_id, ds) pairs
    if np.bincount(rows * n_hours + cols).max() > 1:
        raise InputError("series frame repeats a (unique_id, ds) pair; aggregate duplicates first")
    values = np.full((len(ids), n_hours), np.nan)
    values[rows, cols] = frame["y"].to_numpy()
    return Panel(tuple(ids.to_list()), start, values, dtype.time_zone)


def from_panel(panel: Panel, first: int = 0, *, keep_nan: bool = False) -> pl.DataFrame:
    """The long frame of `panel` from column `first` on (unobserved hours dropped unless asked)."""
    values = panel.values[:, first:]
    times = panel.times(first, values.shape[1])
    frame = pl.DataFrame(
        {
            "unique_id": repeat_ids(panel.ids, values.shape[1]),
            "ds": pl.concat([times] * len(panel.ids)) if panel.ids else times.clear(),
            "y": values.reshape(-1),
        },
        schema={"unique_id": pl.String, "ds": times.dtype, "y": pl.Float64},
    )
    return frame if keep_nan else frame.filter(pl.col("y").is_not_nan())


def nan_mean(values: np.ndarray, axis: int) -> np.ndarray:
    """Mean over observed cells; NaN (without a warning) where none is observed."""
    seen = np.isfinite(values)
    count = seen.sum(axis=axis)
    total = np.where(seen, values, 0.0).sum(axis=axis)
    return np.asarray(np.where(count > 0, total / np.maximum(count, 1), np.nan))


def repeat_ids(ids: tuple[str, ...], times: int) -> pl.Series:
    """Each id repeated `times` times in a row, built by polars (no Python string objects)."""
    index = pl.Series(np.repeat(np.arange(len(ids), dtype=np.int64), times))
    return pl.Series("unique_id", list(ids), dtype=pl.String).gather(index)
