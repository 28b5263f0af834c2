"""DST and public holidays: features follow the local wall clock and the country's calendar."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from zonal.forecasting import GlobalGBM
from zonal.forecasting._panel import hour_range
from zonal.forecasting.calendar import calendar_features, country_for_time_zone
from zonal.forecasting.synthetic import synthetic_counts

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_time_zones_give_their_country_for_holidays() -> None:
    assert country_for_time_zone("Europe/Brussels") == "BE"
    assert country_for_time_zone("America/Chicago") == "US"
    assert country_for_time_zone("Europe/Paris") == "FR"
    assert country_for_time_zone("Etc/UTC") is None


def test_hour_of_week_follows_the_wall_clock_across_spring_forward() -> None:
    start = int(datetime(2025, 3, 30, 0, tzinfo=ZoneInfo("UTC")).timestamp() * 1e6)
    ds = hour_range(start, 4, "Europe/Brussels")  # 01:00 CET, 03:00 CEST, 04:00, 05:00
    features = calendar_features(ds, "BE")
    assert features["hour"].tolist() == [1, 3, 4, 5]
    assert features["how"].tolist() == [6 * 24 + 1, 6 * 24 + 3, 6 * 24 + 4, 6 * 24 + 5]


def test_belgian_national_day_is_a_holiday() -> None:
    start = int(datetime(2025, 7, 20, 22, tzinfo=ZoneInfo("UTC")).timestamp() * 1e6)
    ds = hour_range(start, 26, "Europe/Brussels")
    features = calendar_features(ds, "BE")
    on_21 = (ds.dt.date() == date(2025, 7, 21)).to_numpy()
    assert features["holiday"][on_21].all()
    assert not features["holiday"][~on_21].any()


def test_the_model_forecasts_more_on_a_holiday_when_history_shows_holidays_are_busy() -> None:
    # Busy holidays (x3) from January to mid-August 2025; 15 August (Assumption) is ahead.
    start = datetime(2025, 1, 6, tzinfo=BRUSSELS)
    origin = datetime(2025, 8, 11, tzinfo=BRUSSELS)
    hours = int((origin - start).total_seconds() // 3600)
    history = synthetic_counts(
        [4.0, 2.0], start=start, hours=hours, seed=3, holiday_factor=3.0, country="BE"
    )
    forecast = GlobalGBM("7d", random_state=0).fit(history).predict("7d")
    daily = forecast.group_by("unique_id", pl.col("ds").dt.date().alias("day")).agg(
        pl.col("mean").sum()
    )
    friday = daily.filter(pl.col("day") == date(2025, 8, 15))["mean"].sum()
    thursday = daily.filter(pl.col("day") == date(2025, 8, 14))["mean"].sum()
    assert friday > 1.5 * thursday


def test_forecast_hours_are_continuous_across_fall_back() -> None:
    start = datetime(2025, 9, 1, tzinfo=BRUSSELS)
    origin = datetime(2025, 10, 25, tzinfo=BRUSSELS)
    hours = int((origin - start).total_seconds() // 3600)
    history = synthetic_counts([3.0], start=start, hours=hours, seed=5)
    forecast = GlobalGBM("3d", n_estimators=30).fit(history).predict("3d")
    ds = forecast["ds"]
    steps = np.diff(ds.dt.epoch("s").to_numpy())
    assert (steps == 3600).all()
    assert ds.dt.date().value_counts().filter(pl.col("ds") == date(2025, 10, 26))["count"][0] == 25
