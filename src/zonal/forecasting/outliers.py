"""Mass events: hours far above what the series usually does, flagged and down-weighted.

A demonstration or a festival can put fifty incidents in one hour of a zone that sees two.
Such hours stay in the data (they are real work) but are capped in the history that
feeds features and weigh little in training, so one event does not inflate next weeks.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy import stats

from zonal.forecasting._panel import Panel, to_panel

TAIL_PROBABILITY = 1e-6  # under an overdispersed Poisson around the usual level
MIN_EXCESS = 5  # never flag an hour with fewer counts than this


def expected_counts(values: np.ndarray, hour: np.ndarray, window_days: int = 28) -> np.ndarray:
    """A robust usual level per cell: the centred 4-week mean times the hour-of-day share."""
    filled = np.nan_to_num(values)
    seen = np.isfinite(values).astype(float)
    half = window_days * 12
    level = _centred_mean(filled, seen, half)
    share = np.ones_like(values)
    for h in range(24):
        cols = hour == h
        if cols.any():
            total = filled[:, cols].sum(axis=1) / np.maximum(seen[:, cols].sum(axis=1), 1.0)
            share[:, cols] = (total / np.maximum(filled.sum(1) / np.maximum(seen.sum(1), 1), 1e-9))[
                :, None
            ]
    return np.asarray(level * share)


def _centred_mean(filled: np.ndarray, seen: np.ndarray, half: int) -> np.ndarray:
    zeros = np.zeros((filled.shape[0], 1))
    csum = np.concatenate([zeros, np.cumsum(filled, axis=1)], axis=1)
    ccnt = np.concatenate([zeros, np.cumsum(seen, axis=1)], axis=1)
    t = filled.shape[1]
    lo = np.clip(np.arange(t) - half, 0, t)
    hi = np.clip(np.arange(t) + half + 1, 0, t)
    return np.asarray((csum[:, hi] - csum[:, lo]) / np.maximum(ccnt[:, hi] - ccnt[:, lo], 1.0))


def outlier_mask(values: np.ndarray, hour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flags of mass-event cells and the history with those cells winsorised.

    Works through the series in blocks so that national panels stay within memory.

    Returns:
        (flagged, clean): booleans, and `values` with each flagged cell lowered to the 99.9%
        level of its usual count; both the shape of `values`.
    """
    flagged = np.zeros(values.shape, dtype=bool)
    clean = values.copy()
    for first in range(0, values.shape[0], _BLOCK):
        rows = slice(first, first + _BLOCK)
        flagged[rows], clean[rows] = _block_mask(values[rows], hour)
    return flagged, clean


_BLOCK = 128


def _block_mask(values: np.ndarray, hour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    expected = 1.5 * expected_counts(values, hour) + 0.5  # generous: flag only the absurd
    counts = np.nan_to_num(values)
    # the exact tail test is costly: run it only where a count is far above its usual level
    rows, cols = np.nonzero(counts >= expected + MIN_EXCESS + 4.0 * np.sqrt(expected))
    mu, seen = expected[rows, cols], counts[rows, cols]
    hit = stats.poisson.sf(seen - 1, mu) < TAIL_PROBABILITY
    flagged = np.zeros(values.shape, dtype=bool)
    flagged[rows[hit], cols[hit]] = True
    clean = values.copy()
    clean[rows[hit], cols[hit]] = stats.poisson.ppf(0.999, mu[hit])
    return flagged, clean


def flag_outliers(df: pl.DataFrame) -> pl.DataFrame:
    """The series frame with a boolean `outlier` column marking mass-event hours."""
    panel: Panel = to_panel(df)
    hour = panel.times().dt.hour().cast(pl.Int64).to_numpy()
    flagged, _ = outlier_mask(panel.values, hour)
    rows, cols = np.nonzero(flagged)
    marks = pl.DataFrame(
        {
            "unique_id": [panel.ids[r] for r in rows],
            "ds": panel.times().gather(cols.tolist()) if cols.size else panel.times().clear(),
            "outlier": [True] * int(rows.size),
        },
        schema={"unique_id": pl.String, "ds": panel.times().dtype, "outlier": pl.Boolean},
    )
    joined = df.join(marks, on=["unique_id", "ds"], how="left")
    return joined.with_columns(pl.col("outlier").fill_null(False))
