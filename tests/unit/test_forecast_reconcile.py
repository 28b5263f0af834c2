"""Reconciliation: plans made at different levels agree, and stay non-negative."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from zonal.errors import InputError
from zonal.forecasting import Hierarchy, reconcile
from zonal.forecasting._panel import hour_range

BOTTOM = ["A/a1|1", "A/a1|2", "A/a2|1", "B/b1|1", "B/b1|2"]


def base_forecast(hierarchy: Hierarchy, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    ds = hour_range(int(datetime(2025, 5, 5, tzinfo=ZoneInfo("UTC")).timestamp() * 1e6), 6, "UTC")
    rows = []
    for uid in hierarchy.ids:
        size = hierarchy.summing[hierarchy.ids.index(uid)].sum()
        mean = rng.gamma(2.0, 0.5 * size, ds.len())
        rows.append(
            pl.DataFrame(
                {"unique_id": uid, "ds": ds, "mean": mean, "q-0.1": mean * 0.5, "q-0.9": mean * 1.6}
            )
        )
    return pl.concat(rows)


def test_hierarchy_holds_every_area_prefix_and_cluster_total() -> None:
    hierarchy = Hierarchy.from_bottom(BOTTOM)
    assert {"all|all", "A|all", "A/a1|all", "all|1", "B|2"} <= set(hierarchy.ids)
    assert hierarchy.level_of("A/a1|all") == "sector"
    assert hierarchy.level_of("A|2") == "zone+cluster"


@pytest.mark.parametrize("method", ["bottom_up", "wls_struct", "wls_var"])
def test_every_series_is_the_sum_of_its_bottom_series(method: str) -> None:
    hierarchy = Hierarchy.from_bottom(BOTTOM)
    out = reconcile(base_forecast(hierarchy), hierarchy, method)  # type: ignore[arg-type]
    wide = out.pivot(on="unique_id", index="ds", values="mean")
    assert np.allclose(wide["all|all"], sum(wide[b] for b in BOTTOM))
    assert np.allclose(wide["A|all"], wide["A/a1|1"] + wide["A/a1|2"] + wide["A/a2|1"])
    assert np.allclose(wide["all|2"], wide["A/a1|2"] + wide["B/b1|2"])
    assert (out["mean"] >= 0).all()


def test_bottom_up_keeps_the_bottom_forecasts() -> None:
    hierarchy = Hierarchy.from_bottom(BOTTOM)
    base = base_forecast(hierarchy)
    out = reconcile(base, hierarchy, "bottom_up")
    pick = pl.col("unique_id").is_in(BOTTOM)
    joined = base.filter(pick).join(out.filter(pick), on=["unique_id", "ds"])
    assert np.allclose(joined["mean"], joined["mean_right"])


def test_quantiles_follow_the_reconciled_mean() -> None:
    hierarchy = Hierarchy.from_bottom(BOTTOM)
    out = reconcile(base_forecast(hierarchy), hierarchy, "wls_struct")
    assert np.allclose(out["q-0.9"], out["mean"] * 1.6)


def test_unknown_method_and_missing_series_are_refused() -> None:
    hierarchy = Hierarchy.from_bottom(BOTTOM)
    base = base_forecast(hierarchy)
    with pytest.raises(InputError, match="unknown"):
        reconcile(base, hierarchy, "mint_sample")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="lacks"):
        reconcile(base.filter(pl.col("unique_id") != "all|all"), hierarchy)
