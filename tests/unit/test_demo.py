"""The Brussels demo generator: reproducible, canonical, and shaped like police demand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import holidays
import polars as pl
import pytest

from zonal.errors import InputError, NotFoundError
from zonal.geo import ZoneRegistry, default_registry
from zonal.incidents.demo import (
    BRUSSELS_ZONES,
    DEMO_DATASET,
    TIME_ZONE,
    DemoSpec,
    generate_demo,
)
from zonal.incidents.schema import DISPATCH_TIMES, INCIDENT_SCHEMA, Origin, conform

FORTNIGHT = DemoSpec(start=date(2025, 3, 24), days=14)


@pytest.fixture(scope="module")
def registry() -> ZoneRegistry:
    return default_registry()


@pytest.fixture(scope="module")
def year(registry: ZoneRegistry) -> pl.DataFrame:
    """The default demo year, with Brussels wall-clock columns for the shape tests."""
    frame = generate_demo(registry)
    local = pl.col("occurred_at").dt.convert_time_zone(TIME_ZONE)
    return frame.with_columns(
        local_date=local.dt.date(), local_hour=local.dt.hour(), weekday=local.dt.weekday()
    )


def test_same_seed_gives_the_same_frame(registry: ZoneRegistry) -> None:
    assert generate_demo(registry, FORTNIGHT).equals(generate_demo(registry, FORTNIGHT))


def test_another_seed_gives_another_frame(registry: ZoneRegistry) -> None:
    other = generate_demo(registry, replace(FORTNIGHT, seed=FORTNIGHT.seed + 1))
    assert not generate_demo(registry, FORTNIGHT).equals(other)


def test_frame_is_already_canonical(registry: ZoneRegistry) -> None:
    frame = generate_demo(registry, FORTNIGHT)
    assert dict(frame.schema) == INCIDENT_SCHEMA
    assert conform(frame).equals(frame)
    assert frame["incident_id"].is_unique().all()


def test_every_row_is_labelled_synthetic(year: pl.DataFrame) -> None:
    assert year["dataset"].unique().to_list() == [DEMO_DATASET]
    assert "synthetic" in DEMO_DATASET
    assert year["incident_id"].str.starts_with("SYN-").all()


def test_only_the_six_zones_and_their_municipalities(
    year: pl.DataFrame, registry: ZoneRegistry
) -> None:
    assert sorted(year["zone"].unique()) == sorted(BRUSSELS_ZONES)
    pairs = set(year.select("zone", "sector").unique().iter_rows())
    expected = {(z, nis) for z in BRUSSELS_ZONES for nis in registry.zones[z].municipalities}
    assert pairs == expected


def test_a_year_of_brussels_is_calibrated_volume(year: pl.DataFrame) -> None:
    assert 250_000 <= year.height <= 310_000
    officer = (year["origin"] == Origin.OFFICER_INITIATED).mean()
    assert officer is not None and 0.15 <= officer <= 0.20


def test_the_city_centre_zone_is_busiest_per_inhabitant(
    year: pl.DataFrame, registry: ZoneRegistry
) -> None:
    people = {
        z: sum(registry.municipalities[n].population or 0 for n in registry.zones[z].municipalities)
        for z in BRUSSELS_ZONES
    }
    counts = dict(year.group_by("zone").len().iter_rows())
    rate = {z: counts[z] / people[z] for z in BRUSSELS_ZONES}
    assert max(rate, key=rate.__getitem__) == "5339"


def test_citizen_calls_have_a_night_trough(year: pl.DataFrame) -> None:
    calls = year.filter(pl.col("origin") == Origin.CITIZEN_CALL)
    by_hour = dict(calls.group_by("local_hour").len().iter_rows())
    mean = calls.height / 24
    assert min(by_hour[h] for h in range(3, 8)) < 0.6 * mean
    assert max(by_hour[h] for h in range(18, 24)) > 1.2 * mean


def test_weekend_nights_have_more_nuisance(year: pl.DataFrame) -> None:
    night = year.filter(
        (pl.col("offence_type") == "nuisance") & (pl.col("local_hour") >= 22)
    ).filter(pl.col("local_date").is_in(_holidays().implode()).not_())
    per_weekday = night.group_by("weekday").len().sort("weekday")["len"].to_list()
    weekday_nights = sum(per_weekday[:4]) / 4  # Monday..Thursday
    weekend_nights = sum(per_weekday[4:6]) / 2  # Friday, Saturday
    assert weekend_nights > 1.5 * weekday_nights


def test_public_holidays_behave_like_sundays(year: pl.DataFrame) -> None:
    shops = year.filter(pl.col("offence_type") == "shoplifting")
    holiday = pl.col("local_date").is_in(_holidays().implode())
    weekday = pl.col("weekday") <= 5
    per_day = {
        name: shops.filter(rule).height / max(year.filter(rule)["local_date"].n_unique(), 1)
        for name, rule in {
            "holiday": holiday & weekday,
            "workday": weekday & holiday.not_(),
            "sunday": (pl.col("weekday") == 7) & holiday.not_(),
        }.items()
    }
    assert per_day["holiday"] < 0.4 * per_day["workday"]
    assert 0.5 * per_day["sunday"] < per_day["holiday"] < 2.0 * per_day["sunday"]


def test_burglary_peaks_in_winter(year: pl.DataFrame) -> None:
    month = pl.col("occurred_at").dt.convert_time_zone(TIME_ZONE).dt.month()
    burglary = year.filter(pl.col("offence_type") == "residential_burglary")
    winter = burglary.filter(month.is_in([11, 12, 1])).height
    summer = burglary.filter(month.is_in([6, 7, 8])).height
    assert winter > 1.3 * summer


def test_spring_dst_day_skips_the_missing_hour(year: pl.DataFrame) -> None:
    day = year.filter(pl.col("local_date") == date(2025, 3, 30))
    assert day.height > 0 and day["occurred_at"].null_count() == 0
    assert 2 not in day["local_hour"].to_list()
    assert day["local_hour"].n_unique() == 23


def test_autumn_dst_day_lives_the_repeated_hour_twice(year: pl.DataFrame) -> None:
    day = year.filter((pl.col("local_date") == date(2025, 10, 26)) & (pl.col("local_hour") == 2))
    utc_hours = set(day["occurred_at"].dt.hour().to_list())
    assert utc_hours == {0, 1}  # 02:xx CEST, then 02:xx CET


def test_cyber_incidents_are_online_without_place_or_dispatch(year: pl.DataFrame) -> None:
    cyber = year.filter(pl.col("cluster") == 5)
    assert cyber.height > 0
    assert (cyber["origin"] == Origin.ONLINE_COMPLAINT).all()
    assert cyber["lat"].null_count() == cyber.height == cyber["lon"].null_count()
    assert cyber.select(pl.all_horizontal(pl.col(DISPATCH_TIMES).is_null())).to_series().all()


def test_places_lie_near_their_municipality(year: pl.DataFrame, registry: ZoneRegistry) -> None:
    placed = year.filter(pl.col("lat").is_not_null())
    centre = pl.DataFrame(
        [(m.nis, m.lat, m.lon) for m in registry.municipalities.values()],
        schema=["sector", "c_lat", "c_lon"],
        orient="row",
    )
    km = placed.join(centre, on="sector").select(
        (
            ((pl.col("lat") - pl.col("c_lat")) * 111.3) ** 2
            + ((pl.col("lon") - pl.col("c_lon")) * 70.3) ** 2
        ).sqrt()
    )
    assert km.to_series().quantile(0.99) < 6.0


def test_dispatched_incidents_have_ordered_complete_times(year: pl.DataFrame) -> None:
    sent = year.filter(pl.col("dispatched_at").is_not_null())
    columns = ["occurred_at", "reported_at", *DISPATCH_TIMES]
    assert all(sent[c].null_count() == 0 for c in columns)
    for earlier, later in zip(columns, columns[1:], strict=False):
        assert (sent[earlier] <= sent[later]).all(), f"{earlier} after {later}"


def test_police_service_time_averages_half_an_hour_to_an_hour(year: pl.DataFrame) -> None:
    minutes = (year["cleared_at"] - year["arrived_at"]).dt.total_seconds().mean()
    assert isinstance(minutes, float) and 30 * 60 <= minutes <= 60 * 60


def test_night_burglaries_are_reported_in_the_morning(year: pl.DataFrame) -> None:
    burglary = year.filter(pl.col("offence_type") == "residential_burglary")
    report_hour = burglary["reported_at"].dt.convert_time_zone(TIME_ZONE).dt.hour()
    assert (report_hour >= 7).all()
    assert (burglary["reported_at"] >= burglary["occurred_at"]).all()


def test_priorities_are_one_to_four(year: pl.DataFrame) -> None:
    assert set(year["priority"].unique()) == {1, 2, 3, 4}


def test_volume_scale_multiplies_the_incidents(registry: ZoneRegistry) -> None:
    single = generate_demo(registry, FORTNIGHT).height
    double = generate_demo(registry, replace(FORTNIGHT, volume_scale=2.0)).height
    assert 1.8 * single < double < 2.2 * single


def test_spec_refuses_a_period_without_days() -> None:
    with pytest.raises(InputError, match="days must be positive, got 0"):
        DemoSpec(days=0)


def test_a_registry_without_a_brussels_zone_is_refused(registry: ZoneRegistry) -> None:
    smaller = ZoneRegistry(
        [z for z in registry.zones.values() if z.number != "5344"],
        [m for m in registry.municipalities.values() if m.zone != "5344"],
    )
    with pytest.raises(NotFoundError, match="zone 5344"):
        generate_demo(smaller, FORTNIGHT)


def test_a_municipality_without_population_is_refused(registry: ZoneRegistry) -> None:
    emptied = [
        replace(m, population=None) if m.nis == "21004" else m
        for m in registry.municipalities.values()
    ]
    with pytest.raises(InputError, match="21004 .*population=None"):
        generate_demo(ZoneRegistry(registry.zones.values(), emptied), FORTNIGHT)


def _holidays() -> pl.Series:
    return pl.Series(sorted(holidays.country_holidays("BE", years=2025)), dtype=pl.Date)
