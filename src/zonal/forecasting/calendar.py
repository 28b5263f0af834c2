"""Calendar features in the data's own wall clock: hour of week, public holidays, DST-safe.

Features come from local timestamps, so the 23- and 25-hour days of DST changes keep every
hour on its true wall-clock slot instead of drifting by one hour for half the year.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import holidays
import numpy as np
import polars as pl

from zonal.errors import InputError

HOURS_PER_WEEK = 168
# zone.tab first: it gives one country per zone, zone1970.tab merges countries.
_ZONE_TABLES = (Path("/usr/share/zoneinfo/zone.tab"), Path("/usr/share/zoneinfo/zone1970.tab"))
# Used when the system has no tz database table; the zones Zonal's presets use.
_KNOWN_ZONES = {"Europe/Brussels": "BE", "America/Chicago": "US", "America/Los_Angeles": "US"}


@lru_cache(maxsize=64)
def country_for_time_zone(time_zone: str) -> str | None:
    """ISO country of an IANA time zone, for public holidays; None when ambiguous or unknown."""
    if time_zone in _KNOWN_ZONES:
        return _KNOWN_ZONES[time_zone]
    for table in _ZONE_TABLES:
        if table.is_file():
            for line in table.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) >= 3 and parts[2] == time_zone and not line.startswith("#"):
                    codes = parts[0].split(",")
                    return codes[0] if len(codes) == 1 else None
    return None


def holiday_dates(country: str | None, years: range) -> pl.Series:
    """Public holiday dates of `country` over `years` (empty when country is None)."""
    if country is None:
        return pl.Series("date", [], dtype=pl.Date)
    try:
        table = holidays.country_holidays(country, years=list(years))
    except NotImplementedError as exc:
        raise InputError(
            f"no public holiday calendar for country {country!r}; pass a two-letter ISO code "
            "such as 'BE' or 'US', or None to forecast without holidays"
        ) from exc
    return pl.Series("date", sorted(table.keys()), dtype=pl.Date)


def calendar_features(ds: pl.Series, country: str | None) -> dict[str, np.ndarray]:
    """Wall-clock features of local timestamps `ds` (a timezone-aware datetime series).

    Returns:
        hour (0-23), dow (0 = Monday), how (hour of week 0-167), holiday (1 on a public
        holiday, 0 otherwise), doy (day of year), month_edge (1 first day, -1 last day, 0 else).
    """
    if len(ds) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return dict.fromkeys(("hour", "dow", "how", "holiday", "doy", "month_edge"), empty)
    hour = ds.dt.hour().cast(pl.Int64).to_numpy()
    dow = (ds.dt.weekday().cast(pl.Int64) - 1).to_numpy()
    dates = ds.dt.date()
    years = range(int(dates.dt.year().min()), int(dates.dt.year().max()) + 1)  # type: ignore[arg-type]
    day_numbers = dates.cast(pl.Int32).to_numpy()
    holidays_ = holiday_dates(country, years).cast(pl.Int32).to_numpy()
    holiday = np.isin(day_numbers, holidays_).astype(np.int64)
    day = ds.dt.day().cast(pl.Int64).to_numpy()
    # month ends from the local date: on a timestamp they can land in a DST gap
    last = dates.dt.month_end().dt.day().cast(pl.Int64).to_numpy()
    edge = np.where(day == 1, 1, np.where(day == last, -1, 0))
    return {
        "hour": hour,
        "dow": dow,
        "how": dow * 24 + hour,
        "holiday": holiday,
        "doy": ds.dt.ordinal_day().cast(pl.Int64).to_numpy(),
        "month_edge": edge,
    }
