"""Bad input gets a clear InputError that says what to fix, never a crash."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from zonal.errors import InputError
from zonal.forecasting import GlobalGBM, SeasonalNaive, SeasonalWindowAverage
from zonal.forecasting.synthetic import synthetic_counts

START = datetime(2025, 3, 3, tzinfo=ZoneInfo("Europe/Brussels"))


def test_missing_columns_are_named() -> None:
    frame = pl.DataFrame({"unique_id": ["a"], "y": [1.0]})
    with pytest.raises(InputError, match=r"lacks column\(s\) \['ds'\]"):
        SeasonalNaive().fit(frame)


def test_naive_timestamps_are_refused() -> None:
    frame = synthetic_counts([1.0], start=START, hours=200)
    naive = frame.with_columns(pl.col("ds").dt.replace_time_zone(None))
    with pytest.raises(InputError, match="timezone-aware"):
        SeasonalNaive().fit(naive)


def test_negative_counts_are_refused() -> None:
    frame = synthetic_counts([1.0], start=START, hours=200).with_columns(pl.lit(-1.0).alias("y"))
    with pytest.raises(InputError, match="negative count"):
        SeasonalNaive().fit(frame)


def test_repeated_hours_are_refused() -> None:
    frame = synthetic_counts([1.0], start=START, hours=200)
    with pytest.raises(InputError, match="repeats"):
        SeasonalNaive().fit(pl.concat([frame, frame.head(1)]))


def test_timestamps_off_the_hour_are_refused() -> None:
    frame = synthetic_counts([1.0], start=START, hours=200)
    shifted = frame.with_columns(pl.col("ds").dt.offset_by("30m"))
    with pytest.raises(InputError, match="whole hour"):
        SeasonalNaive().fit(shifted)


def test_empty_frame_is_refused() -> None:
    frame = synthetic_counts([1.0], start=START, hours=200).clear()
    with pytest.raises(InputError, match="empty"):
        SeasonalNaive().fit(frame)


def test_under_a_week_of_history_is_refused_with_what_to_do() -> None:
    frame = synthetic_counts([1.0], start=START, hours=100)
    with pytest.raises(InputError, match="at least 168"):
        GlobalGBM().fit(frame)


def test_short_history_falls_back_to_the_window_average_explicitly() -> None:
    frame = synthetic_counts([2.0, 0.5], start=START, hours=3 * 168)
    model = GlobalGBM("1d").fit(frame)
    assert isinstance(model.fallback_, SeasonalWindowAverage)
    expected = SeasonalWindowAverage(weeks=3).fit(frame).predict(24)
    assert model.predict(24)["mean"].to_list() == pytest.approx(expected["mean"].to_list())


def test_short_history_can_be_an_error_instead() -> None:
    frame = synthetic_counts([2.0], start=START, hours=3 * 168)
    with pytest.raises(InputError, match="needs at least"):
        GlobalGBM("1d", fallback="error").fit(frame)


def test_quantiles_outside_zero_one_are_refused() -> None:
    frame = synthetic_counts([1.0], start=START, hours=400)
    model = SeasonalNaive()
    model.quantiles = (0.5, 1.5)
    with pytest.raises(InputError, match="outside"):
        model.fit(frame)
