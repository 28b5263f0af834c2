"""Coherent forecasts across the hierarchy: sector -> zone -> total, cluster -> all clusters.

Plans made at different levels must agree, so forecasts are reconciled: every series is
made the sum of the bottom series below it. Methods:

- `bottom_up`: forecast the bottom series, add them up. Exact but noisy at the top.
- `wls_struct`: weighted least squares with weights from the number of bottom series
  below each node (Athanasopoulos et al. 2017): needs no error estimates.
- `wls_var`: weighted least squares with each node's forecast variance, read from its own
  80% interval width: the diagonal MinT. The full MinT (shrunk covariance of residuals) is
  not offered: on sparse, zero-inflated cells its covariance estimate is degenerate and the
  reconciled forecasts swing negative (a known failure), which `wls_var` avoids.

Negative reconciled bottom forecasts are set to zero and the tree summed again, so the
result stays coherent and non-negative. Quantiles are scaled by each node's change of mean.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl

from zonal.errors import InputError
from zonal.forecasting.distributions import quantile_column
from zonal.forecasting.hierarchy import Hierarchy

Method = Literal["bottom_up", "wls_struct", "wls_var"]
METHODS: tuple[str, ...] = ("bottom_up", "wls_struct", "wls_var")
_Z80 = 2.5631  # width of a central 80% normal interval in standard deviations


def reconcile(
    forecast: pl.DataFrame, hierarchy: Hierarchy, method: Method = "wls_var"
) -> pl.DataFrame:
    """The forecast with means made coherent over `hierarchy` and quantiles scaled to match.

    Args:
        forecast: long forecast frame (`unique_id`, `ds`, `mean`, `q-...`) holding every
            series of the hierarchy (base forecasts of each level).
        hierarchy: ids and summing matrix, e.g. `HourlySeries.hierarchy`.
        method: 'bottom_up', 'wls_struct' or 'wls_var'.

    Raises:
        InputError: an unknown method, or series of the hierarchy missing from the forecast.
    """
    if method not in METHODS:
        raise InputError(f"reconciliation method {method!r} is unknown; choose one of {METHODS}")
    wide = _wide(forecast, hierarchy, "mean")
    weights = _weights(forecast, hierarchy, method)
    bottom = _bottom(wide, hierarchy, weights)
    coherent = hierarchy.summing @ np.maximum(bottom, 0.0)
    return _apply(forecast, hierarchy, coherent, wide)


def _wide(forecast: pl.DataFrame, hierarchy: Hierarchy, column: str) -> np.ndarray:
    missing = set(hierarchy.ids) - set(forecast["unique_id"].unique().to_list())
    if missing:
        raise InputError(
            f"forecast lacks {len(missing)} series of the hierarchy, e.g. {sorted(missing)[:3]}; "
            "forecast every level before reconciling"
        )
    order = {uid: i for i, uid in enumerate(hierarchy.ids)}
    frame = forecast.filter(pl.col("unique_id").is_in(list(order))).sort(
        pl.col("unique_id").replace_strict(order, return_dtype=pl.Int64), "ds"
    )
    return frame[column].to_numpy().reshape(len(hierarchy.ids), -1)


def _weights(forecast: pl.DataFrame, hierarchy: Hierarchy, method: Method) -> np.ndarray | None:
    if method == "bottom_up":
        return None
    if method == "wls_struct":
        return np.asarray(hierarchy.summing.sum(axis=1))
    lo, hi = quantile_column(0.1), quantile_column(0.9)
    if lo not in forecast.columns or hi not in forecast.columns:
        raise InputError(f"wls_var needs the {lo} and {hi} columns; use wls_struct without them")
    width = _wide(forecast, hierarchy, hi) - _wide(forecast, hierarchy, lo)
    variance = np.mean((width / _Z80) ** 2, axis=1)
    return np.asarray(np.maximum(variance, 1e-4))


def _bottom(wide: np.ndarray, hierarchy: Hierarchy, weights: np.ndarray | None) -> np.ndarray:
    summing = hierarchy.summing
    if weights is None:
        rows = [hierarchy.ids.index(uid) for uid in hierarchy.bottom]
        return np.asarray(wide[rows])
    inverse = summing.T / weights[None, :]  # S' W^-1
    gram = inverse @ summing
    return np.asarray(np.linalg.solve(gram, inverse @ wide))


def _apply(
    forecast: pl.DataFrame, hierarchy: Hierarchy, coherent: np.ndarray, base: np.ndarray
) -> pl.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base > 1e-9, coherent / base, 1.0)
    order = {uid: i for i, uid in enumerate(hierarchy.ids)}
    frame = forecast.filter(pl.col("unique_id").is_in(list(order))).sort(
        pl.col("unique_id").replace_strict(order, return_dtype=pl.Int64), "ds"
    )
    scale = pl.Series(ratio.reshape(-1))
    quantiles = [c for c in frame.columns if c.startswith("q-")]
    return frame.with_columns(
        pl.Series("mean", coherent.reshape(-1)),
        *[(pl.col(c) * scale).alias(c) for c in quantiles],
    )
