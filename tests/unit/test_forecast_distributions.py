"""Count quantiles and their calibration: intervals that cover what they claim."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from zonal.forecasting.distributions import (
    DEFAULT_QUANTILES,
    calibrate,
    count_quantile,
    estimate_size,
    poisson_calibration,
)


def test_quantiles_bracket_the_discrete_quantile() -> None:
    mean = np.array([0.2, 1.5, 6.0, 25.0, 80.0])
    for tau in (0.1, 0.5, 0.9):
        ours = count_quantile(mean, 4.0, tau)
        exact = stats.nbinom.ppf(tau, 4.0, 4.0 / (4.0 + mean))
        assert np.all(np.abs(ours - exact) <= 1.0 + 0.05 * exact)


def test_a_huge_size_is_a_poisson() -> None:
    mean = np.array([3.0, 10.0])
    ours = count_quantile(mean, 1e9, 0.9)
    assert np.all(np.abs(ours - stats.poisson.ppf(0.9, mean)) <= 1.0)


def test_size_estimate_sees_overdispersion_and_its_absence() -> None:
    rng = np.random.default_rng(0)
    mean = np.full(50_000, 4.0)
    assert estimate_size(rng.poisson(mean).astype(float), mean) > 50
    overdispersed = rng.negative_binomial(2.0, 2.0 / 6.0, mean.size).astype(float)
    assert estimate_size(overdispersed, mean) == pytest.approx(2.0, rel=0.15)


def _coverage(y: np.ndarray, q: dict[float, np.ndarray], lo: float, hi: float) -> float:
    return float(np.mean((y >= q[lo]) & (y <= q[hi])))


def test_calibrated_intervals_cover_their_share_on_fresh_overdispersed_counts() -> None:
    rng = np.random.default_rng(1)

    def draw(n: int) -> tuple[np.ndarray, np.ndarray]:
        mean = rng.gamma(2.0, 3.0, n)
        return rng.poisson(mean * rng.gamma(4.0, 0.25, n)).astype(float), mean

    y, mean = draw(40_000)
    calibration = calibrate(y, mean)
    y2, mean2 = draw(40_000)
    q = calibration.quantiles(mean2, DEFAULT_QUANTILES)
    assert 0.77 <= _coverage(y2, q, 0.1, 0.9) <= 0.83
    assert 0.93 <= _coverage(y2, q, 0.025, 0.975) <= 0.97
    poisson = poisson_calibration().quantiles(mean2, DEFAULT_QUANTILES)
    assert _coverage(y2, poisson, 0.1, 0.9) < 0.75  # the uncalibrated Poisson is too narrow


def test_calibration_keeps_quantiles_ordered() -> None:
    rng = np.random.default_rng(2)
    mean = rng.gamma(1.0, 1.0, 5_000)
    calibration = calibrate(rng.poisson(mean).astype(float), mean)
    q = calibration.quantiles(mean, DEFAULT_QUANTILES)
    stacked = np.vstack([q[t] for t in sorted(DEFAULT_QUANTILES)])
    assert (np.diff(stacked, axis=0) >= -1e-9).all()


def test_a_busy_overdispersed_series_gets_its_own_dispersion() -> None:
    rng = np.random.default_rng(3)
    n = 2_000
    busy_mean, sparse_mean = np.full(n, 8.0), np.full(20 * n, 0.3)
    busy = rng.negative_binomial(3.0, 3.0 / 11.0, n).astype(float)  # size 3
    sparse = rng.poisson(sparse_mean).astype(float)
    y = np.concatenate([busy, sparse])
    mean = np.concatenate([busy_mean, sparse_mean])
    series = np.concatenate([np.zeros(n, dtype=np.int64), 1 + np.arange(20 * n) % 20])
    calibration = calibrate(y, mean, series=series)
    assert calibration.series_sizes is not None
    assert calibration.series_sizes[0] == pytest.approx(3.0, rel=0.3)
    assert np.median(calibration.series_sizes[1:]) > 20  # sparse Poisson cells stay near Poisson


def test_pit_calibration_gives_one_sided_quantiles_central_gives_intervals() -> None:
    rng = np.random.default_rng(4)
    mean = rng.gamma(2.0, 0.3, 30_000)  # sparse cells of varied volume, as in a zone
    y = rng.poisson(mean).astype(float)
    pit = calibrate(y, mean, method="pit").quantiles(mean, DEFAULT_QUANTILES)
    central = calibrate(y, mean, method="central").quantiles(mean, DEFAULT_QUANTILES)
    assert np.mean(y <= pit[0.9]) >= 0.87  # a true 90% quantile of sparse counts
    assert 0.77 <= _coverage(y, central, 0.1, 0.9) <= 0.85  # an interval that covers 80%
