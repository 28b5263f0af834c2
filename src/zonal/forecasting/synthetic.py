"""Seeded synthetic hourly counts and incidents, for tests, examples and docs.

Counts follow a Poisson process with an hour-of-week profile (night trough, evening peak,
busier weekend nights) in local wall-clock time, so DST and holidays behave as in real data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import polars as pl

from zonal.forecasting._panel import HOUR_US, hour_range
from zonal.forecasting.calendar import calendar_features


def hour_of_week_profile(how: np.ndarray) -> np.ndarray:
    """Relative intensity per hour of week: quiet nights, busy evenings, lively weekend nights."""
    hour, dow = how % 24, how // 24
    daily = 0.35 + 0.65 * np.exp(-(((hour - 18.0) / 5.0) ** 2)) + 0.3 * (hour >= 8)
    weekend_night = ((dow >= 4) & (hour >= 21)) | ((dow >= 5) & (hour <= 3))
    return np.asarray(daily * np.where(weekend_night, 1.6, 1.0))


def synthetic_counts(
    levels: Sequence[float],
    *,
    start: datetime,
    hours: int,
    seed: int = 0,
    holiday_factor: float = 1.0,
    country: str | None = None,
) -> pl.DataFrame:
    """A long frame of hourly Poisson counts, one series per mean level of `levels`.

    Args:
        levels: mean count per hour of each series (series ids 's0', 's1', ...).
        start: timezone-aware first hour.
        hours: length of every series.
        holiday_factor: multiplies the intensity on public holidays of `country`.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")  # a programming error in a test
    time_zone = str(start.tzinfo)
    ds = hour_range(int(start.timestamp() * 1_000_000) // HOUR_US * HOUR_US, hours, time_zone)
    calendar = calendar_features(ds, country)
    shape = hour_of_week_profile(calendar["how"])
    shape = shape / shape.mean() * np.where(calendar["holiday"] == 1, holiday_factor, 1.0)
    rng = np.random.default_rng(seed)
    frames = [
        pl.DataFrame(
            {"unique_id": f"s{i}", "ds": ds, "y": rng.poisson(level * shape).astype(float)}
        )
        for i, level in enumerate(levels)
    ]
    return pl.concat(frames)
