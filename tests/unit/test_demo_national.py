"""The national synthetic set: 185 made-up zones, generated and written zone by zone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from zonal.errors import InputError
from zonal.incidents.demo import (
    NATIONAL_DATASET,
    generate_national,
    iter_national,
    write_national_parquet,
)
from zonal.incidents.demo_profiles import Channel, demo_mix
from zonal.incidents.schema import INCIDENT_SCHEMA
from zonal.taxonomy import OFFENCE_TYPES


def test_national_chunks_are_185_synthetic_zones() -> None:
    chunks = list(iter_national(days=2))
    zones = [chunk["zone"].unique().to_list() for chunk in chunks]
    assert len(chunks) == 185
    assert all(len(z) == 1 for z in zones)
    assert sorted(z[0] for z in zones) == [f"NAT{i:03d}" for i in range(1, 186)]
    assert all(chunk["dataset"].unique().to_list() == [NATIONAL_DATASET] for chunk in chunks)
    assert "synthetic" in NATIONAL_DATASET


def test_national_zones_lie_in_belgium_and_scale_with_population() -> None:
    frame = generate_national(zones=185, days=7)
    assert dict(frame.schema) == INCIDENT_SCHEMA
    assert frame["incident_id"].is_unique().all()
    placed = frame.drop_nulls("lat")
    assert placed["lat"].is_between(49.2, 51.8).all()
    assert placed["lon"].is_between(2.2, 6.7).all()
    # A Belgium-sized week: ~11.5 million people at roughly 0.1-0.3 incidents a head a year.
    assert 11_500_000 * 0.1 * 7 / 365 < frame.height < 11_500_000 * 0.3 * 7 / 365


def test_national_generation_is_reproducible() -> None:
    first = generate_national(zones=4, days=3, seed=7)
    assert first.equals(generate_national(zones=4, days=3, seed=7))
    assert not first.equals(generate_national(zones=4, days=3, seed=8))


def test_parquet_writer_stores_what_the_generator_makes(tmp_path: Path) -> None:
    paths = write_national_parquet(tmp_path / "national", zones=5, days=2, start=date(2024, 2, 28))
    assert [p.name for p in paths] == [f"NAT00{i}.parquet" for i in range(1, 6)]
    stored = pl.scan_parquet(tmp_path / "national" / "*.parquet").collect()
    assert stored.equals(generate_national(zones=5, days=2, start=date(2024, 2, 28)))


def test_years_cover_whole_years() -> None:
    frame = generate_national(zones=1, years=1, start=date(2024, 2, 29), volume_scale=0.01)
    local_days = frame["occurred_at"].dt.convert_time_zone("Europe/Brussels").dt.date()
    assert local_days.min() == date(2024, 2, 29)
    assert local_days.max() == date(2025, 2, 28)  # 2025 has no 29 February: end with 28


def test_national_refuses_zero_zones() -> None:
    with pytest.raises(InputError, match="zones must be positive, got 0"):
        next(iter_national(zones=0))


def test_demo_mix_follows_the_taxonomy() -> None:
    for offence in demo_mix():
        known = OFFENCE_TYPES[offence.code]
        assert offence.cluster == known.cluster
        assert (offence.channel == Channel.ONLINE) == known.online, offence.code
