"""From canonical incidents to hourly series: demand selection, DST, gaps, lifetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from tests.factories import incident_frame
from zonal.errors import InputError
from zonal.forecasting import hourly_counts, parse_level

BRUSSELS = "Europe/Brussels"


def incidents(
    times: list[datetime],
    zones: list[str] | None = None,
    origins: list[str] | None = None,
    resolution: str = "minute",
    clusters: list[int | None] | None = None,
) -> pl.DataFrame:
    n = len(times)
    return incident_frame(
        times,
        time_resolution=[resolution] * n,
        zone=zones or ["5339"] * n,
        sector=["A"] * n,
        cluster=pl.Series(clusters or [3] * n, dtype=pl.Int8),
        origin=origins or ["citizen_call"] * n,
    )


def hourly(start: datetime, hours: int, every: int = 1) -> list[datetime]:
    return [start + timedelta(hours=h, minutes=10) for h in range(0, hours, every)]


def test_officer_initiated_work_is_left_out_by_default() -> None:
    times = hourly(datetime(2025, 1, 6, tzinfo=UTC), 48)
    origins = ["officer_initiated" if i % 2 else "citizen_call" for i in range(48)]
    series = hourly_counts(incidents(times, origins=origins), time_zone=BRUSSELS)
    total = series.series.filter(pl.col("unique_id") == "all|all")["y"].sum()
    assert total == 24
    assert series.notes["origin_excluded"] == 24


def test_officer_initiated_work_is_counted_when_asked_for() -> None:
    times = hourly(datetime(2025, 1, 6, tzinfo=UTC), 48)
    origins = ["officer_initiated" if i % 2 else "citizen_call" for i in range(48)]
    frame = incidents(times, origins=origins)
    series = hourly_counts(frame, time_zone=BRUSSELS, origins={"officer_initiated"})
    assert series.series.filter(pl.col("unique_id") == "all|all")["y"].sum() == 24


def test_spring_forward_day_has_23_hours_and_fall_back_day_25() -> None:
    start = datetime(2025, 3, 29, tzinfo=UTC)
    times = hourly(start, 24 * 215)  # through 2025-10-27
    series = hourly_counts(incidents(times), time_zone=BRUSSELS, by_cluster=False)
    total = series.series.filter(pl.col("unique_id") == "all|all")
    per_day = total.group_by(pl.col("ds").dt.date().alias("day")).len()
    lengths = dict(per_day.iter_rows())
    assert lengths[datetime(2025, 3, 30).date()] == 23
    assert lengths[datetime(2025, 10, 26).date()] == 25
    assert total["ds"].is_unique().all()
    assert total["ds"].dtype == pl.Datetime("us", BRUSSELS)


def test_hours_are_binned_on_the_local_wall_clock() -> None:
    # 22:30 UTC on 1 July is 00:30 in Brussels (UTC+2): it belongs to local hour 00
    frame = incidents([datetime(2025, 7, 1, 22, 30, tzinfo=UTC)] * 3)
    series = hourly_counts(frame, time_zone=BRUSSELS, by_cluster=False)
    hit = series.series.filter(pl.col("y") > 0)
    assert hit["ds"].dt.hour().unique().to_list() == [0]


def test_date_only_incidents_do_not_feed_hourly_series() -> None:
    times = hourly(datetime(2025, 1, 6, tzinfo=UTC), 24)
    with pytest.raises(InputError, match="have a date but no time"):
        hourly_counts(incidents(times, resolution="day"), time_zone=BRUSSELS)


def test_a_zone_appearing_mid_history_has_no_past() -> None:
    start = datetime(2025, 1, 6, tzinfo=UTC)
    old = hourly(start, 24 * 28)
    new = hourly(start + timedelta(days=14), 24 * 14)
    frame = incidents(old + new, zones=["A"] * len(old) + ["B"] * len(new))
    series = hourly_counts(frame, time_zone=BRUSSELS, by_cluster=False)
    b = series.series.filter(pl.col("unique_id") == "B|all").sort("ds")
    assert b["y"].head(24 * 14).is_nan().all()
    assert not b["y"].tail(24 * 14).is_nan().any()
    assert series.notes["areas_starting_late"] == 1


def test_a_day_without_any_record_in_busy_data_is_a_gap_not_zeros() -> None:
    start = datetime(2025, 1, 6, tzinfo=UTC)
    times = [t for t in hourly(start, 24 * 21) if not 7 <= (t - start).days < 9]
    series = hourly_counts(incidents(times), time_zone=BRUSSELS, by_cluster=False)
    assert series.notes["gap_hours"] >= 48
    total = series.series.filter(pl.col("unique_id") == "all|all")
    assert total["y"].is_nan().sum() == series.notes["gap_hours"]


def test_stray_ancient_dates_are_trimmed_and_counted() -> None:
    times = hourly(datetime(2025, 1, 6, tzinfo=UTC), 24 * 21) + [datetime(1900, 1, 1, tzinfo=UTC)]
    series = hourly_counts(incidents(times), time_zone=BRUSSELS, by_cluster=False)
    assert series.notes["before_history_start"] == 1
    first = series.series["ds"].min()
    assert isinstance(first, datetime) and first.year == 2025


def test_every_aggregate_is_the_sum_of_its_cells() -> None:
    rng = np.random.default_rng(1)
    times = hourly(datetime(2025, 1, 6, tzinfo=UTC), 24 * 10)
    zones = rng.choice(["A", "B"], len(times)).tolist()
    clusters = rng.choice([1, 2], len(times)).tolist()
    series = hourly_counts(incidents(times, zones=zones, clusters=clusters), time_zone=BRUSSELS)
    wide = series.series.pivot(on="unique_id", index="ds", values="y")
    assert (wide["all|all"] == wide["A|all"] + wide["B|all"]).all()
    assert (wide["A|all"] == wide["A|1"] + wide["A|2"]).all()
    assert (wide["all|1"] == wide["A|1"] + wide["B|1"]).all()


def test_unknown_time_zone_is_refused() -> None:
    frame = incidents(hourly(datetime(2025, 1, 6, tzinfo=UTC), 24))
    with pytest.raises(InputError, match="time zone"):
        hourly_counts(frame, time_zone="Mars/Olympus")


@pytest.mark.parametrize(
    ("text", "level"),
    [("district", "zone"), ("Zone", "zone"), ("beat", "sector"), ("city", "total")],
)
def test_levels_have_local_names(text: str, level: str) -> None:
    assert parse_level(text) == level


def test_unknown_level_lists_the_choices() -> None:
    with pytest.raises(InputError, match="choose one of"):
        parse_level("precinct")


def test_beats_without_zones_are_the_top_areas_not_sectors_of_unknown() -> None:
    frame = incidents(hourly(datetime(2025, 1, 6, tzinfo=UTC), 24 * 14)).with_columns(
        pl.lit(None, dtype=pl.String).alias("zone")
    )
    ids = set(
        hourly_counts(frame, time_zone=BRUSSELS, level=parse_level("beat")).series["unique_id"]
    )
    assert "A|all" in ids and not any(uid.startswith("unknown") for uid in ids)
    with_zones = incidents(hourly(datetime(2025, 1, 6, tzinfo=UTC), 24 * 14))
    nested = set(
        hourly_counts(with_zones, time_zone=BRUSSELS, level=parse_level("beat")).series["unique_id"]
    )
    assert "5339/A|all" in nested
