"""Provinces and regions as a level of the forecast hierarchy, between the total and zones."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tests.factories import random_incidents
from zonal.forecasting import Hierarchy, forecast_incidents, hourly_counts, reconcile
from zonal.planning.io import zone_demand

GROUPS = {"A": "province:10000", "B": "province:10000", "C": "province:20000"}


def test_a_group_of_zones_sums_them_and_is_named_by_its_kind() -> None:
    hierarchy = Hierarchy.from_bottom(["A|1", "B|1", "B|2", "C|1"], groups=GROUPS)
    row = hierarchy.ids.index("province:10000|all")
    summed = {hierarchy.bottom[j] for j in np.flatnonzero(hierarchy.summing[row])}
    assert summed == {"A|1", "B|1", "B|2"}
    assert "province:10000|2" in hierarchy.ids
    assert hierarchy.level_of("province:10000|all") == "province"
    assert hierarchy.level_of("province:10000|2") == "province+cluster"
    # one zone alone is not a level of its own: province:20000 would repeat zone C
    assert not any(uid.startswith("province:20000") for uid in hierarchy.ids)
    order = [hierarchy.ids.index(u) for u in ("all|all", "province:10000|all", "A|all")]
    assert order == sorted(order)


@pytest.mark.parametrize(
    "groups", [None, {}, {"A": "region:04000", "B": "region:04000", "C": "region:04000"}]
)
def test_no_group_level_when_it_would_repeat_the_total(groups: dict[str, str] | None) -> None:
    hierarchy = Hierarchy.from_bottom(["A|1", "B|1", "C|1"], groups=groups)
    assert not any(":" in uid for uid in hierarchy.ids)


def _incidents(days: int = 42) -> pl.DataFrame:
    return random_incidents(seed=1, size=6000, days=days, zones=("A", "B", "C"))


def test_a_forecast_with_groups_is_coherent_across_them_and_plans_only_zones() -> None:
    series = hourly_counts(_incidents(), time_zone="Europe/Brussels", groups=GROUPS)
    province = series.series.filter(pl.col("unique_id") == "province:10000|all")["y"]
    zones = series.series.filter(pl.col("unique_id").is_in(["A|all", "B|all"]))
    assert province.sum() == zones["y"].sum()
    run = forecast_incidents(
        _incidents(), time_zone="Europe/Brussels", horizon="1d", model="window-average",
        groups=GROUPS,
    )  # fmt: skip
    wide = run.forecast.pivot(on="unique_id", index="ds", values="mean")
    assert np.allclose(wide["province:10000|all"], wide["A|all"] + wide["B|all"])
    assert sorted(zone_demand(run.forecast)["unique_id"].unique()) == ["A", "B", "C"]
    again = reconcile(run.forecast.drop("area", "cluster", "level"), run.history.hierarchy)
    assert again["unique_id"].n_unique() == run.forecast["unique_id"].n_unique()
