"""Mass events are flagged and down-weighted, not silently dropped nor copied forward."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from zonal.forecasting import GlobalGBM, flag_outliers
from zonal.forecasting.synthetic import synthetic_counts

START = datetime(2025, 1, 6, tzinfo=ZoneInfo("Europe/Brussels"))
EVENT = START + timedelta(weeks=9, days=5, hours=20)  # a Saturday evening, one week before end


def with_event(frame: pl.DataFrame, extra: float) -> pl.DataFrame:
    hit = (pl.col("ds") == EVENT) & (pl.col("unique_id") == "s0")
    return frame.with_columns(pl.when(hit).then(pl.col("y") + extra).otherwise(pl.col("y")))


def test_a_mass_event_hour_is_flagged_and_kept() -> None:
    frame = with_event(synthetic_counts([2.0, 1.0], start=START, hours=10 * 168), 60.0)
    flagged = flag_outliers(frame)
    assert flagged.height == frame.height
    marked = flagged.filter(pl.col("outlier"))
    assert marked.select("unique_id", "ds").rows() == [("s0", EVENT)]


def test_a_mass_event_does_not_inflate_next_weeks_forecast() -> None:
    clean = synthetic_counts([2.0, 1.0], start=START, hours=10 * 168)
    model = GlobalGBM("7d", random_state=0)
    calm = model.fit(clean).predict("7d")
    stormy = GlobalGBM("7d", random_state=0).fit(with_event(clean, 60.0)).predict("7d")
    same_hour = EVENT + timedelta(weeks=1)
    pick = (pl.col("ds") == same_hour) & (pl.col("unique_id") == "s0")
    assert stormy.filter(pick)["mean"][0] < calm.filter(pick)["mean"][0] + 1.0
