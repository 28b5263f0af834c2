"""Predictive distributions for hourly counts and their calibration on backtest residuals.

A count forecast is a negative binomial around the mean with a dispersion learned from
held-out errors. Its quantiles are read on a continuous version of the count (linear
between integers), so that bounds are fractional and coverage averages out across cells
instead of jumping by whole units on sparse series where most hours are zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

CalibrationMethod = Literal["pit", "central"]
DEFAULT_QUANTILES: tuple[float, ...] = (0.025, 0.05, 0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.975)
_MAX_DISPERSION = 1e6  # above this the negative binomial is a Poisson in practice


def quantile_column(tau: float) -> str:
    """The output column of quantile `tau`: 0.9 -> 'q-0.9'."""
    return f"q-{tau:g}"


def count_quantile(mean: np.ndarray, size: np.ndarray | float, tau: float) -> np.ndarray:
    """The `tau` quantile of a negative binomial count with `mean` and `size`, continuous.

    `size` is the NB shape r (variance = mean + mean^2 / r); a huge r is a Poisson.
    The quantile interpolates between integers: cdf(k - 0.5) = F(k - 1), cdf(k + 0.5) = F(k).
    Means above 30 use a moment-matched gamma, where the interpolation is smooth anyway.
    """
    mean = np.maximum(np.asarray(mean, dtype=float), 1e-9)
    out = np.empty(mean.shape)
    flat_mean, flat_size = mean.reshape(-1), np.broadcast_to(size, mean.shape).reshape(-1)
    flat = out.reshape(-1)
    for first in range(0, flat_mean.size, _CHUNK):
        part = slice(first, first + _CHUNK)
        flat[part] = CountTable(flat_mean[part], flat_size[part]).quantile(tau)
    return out


_NORMAL_ABOVE = 30.0
_CHUNK = 50_000


class CountTable:
    """The NB cdf of many cells over 0..kmax, built once and read at several levels."""

    def __init__(self, mean: np.ndarray, size: np.ndarray) -> None:
        self.mean = np.maximum(mean.astype(float), 1e-9)
        size = np.minimum(size.astype(float), _MAX_DISPERSION)
        self.large = self.mean > _NORMAL_ABOVE
        self.sd = np.sqrt(self.mean + self.mean**2 / size + 1.0 / 12.0)
        small = ~self.large
        self.cdf = _cdf(self.mean[small], size[small])

    def quantile(self, tau: float) -> np.ndarray:
        out = np.empty(self.mean.shape)
        mean, sd = self.mean[self.large], self.sd[self.large]
        # a moment-matched gamma keeps the right skew of an overdispersed count
        shape = (mean / sd) ** 2
        out[self.large] = stats.gamma.ppf(tau, shape, scale=sd**2 / mean)
        cdf = self.cdf
        if cdf.shape[0]:
            kmax = cdf.shape[1] - 1
            k = np.minimum(np.sum(cdf < tau, axis=1), kmax)
            rows = np.arange(cdf.shape[0])
            below = np.where(k > 0, cdf[rows, np.maximum(k - 1, 0)], 0.0)
            mass = np.maximum(cdf[rows, k] - below, 1e-12)
            out[~self.large] = k - 0.5 + np.clip((tau - below) / mass, 0.0, 1.0)
        return np.asarray(np.maximum(out, 0.0))

    def pit(self, y: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        """Randomised PIT of counts `y`: F(y - 1) + U p(y), uniform when the model is right."""
        out = np.empty(self.mean.shape)
        mean, sd = self.mean[self.large], self.sd[self.large]
        shape = (mean / sd) ** 2
        out[self.large] = stats.gamma.cdf(
            y[self.large] - 0.5 + uniform[self.large], shape, scale=sd**2 / mean
        )
        cdf = self.cdf
        if cdf.shape[0]:
            kmax = cdf.shape[1] - 1
            k = np.minimum(y[~self.large].astype(np.int64), kmax)
            rows = np.arange(cdf.shape[0])
            below = np.where(k > 0, cdf[rows, np.maximum(k - 1, 0)], 0.0)
            out[~self.large] = below + uniform[~self.large] * (cdf[rows, k] - below)
        return out


def _cdf(mean: np.ndarray, size: np.ndarray) -> np.ndarray:
    """NB cdf rows over 0..kmax by the pmf recursion p(k) = p(k-1) (k-1+r)/k q (in logs)."""
    if mean.size == 0:
        return np.zeros((0, 1))
    spread = np.sqrt(mean + mean**2 / size)
    kmax = int(min(np.max(mean + 12 * spread) + 10, 600))
    odds = mean / (size + mean)
    steps = np.arange(1, kmax + 1)
    log_ratio = (
        np.log((steps[None, :] - 1 + size[:, None]) / steps[None, :]) + np.log(odds)[:, None]
    )
    log_p0 = size * np.log1p(-odds)
    log_pmf = np.concatenate([log_p0[:, None], log_p0[:, None] + np.cumsum(log_ratio, axis=1)], 1)
    return np.asarray(np.cumsum(np.exp(log_pmf), axis=1))


def estimate_size(y: np.ndarray, mean: np.ndarray) -> float:
    """Method-of-moments NB size from held-out counts; huge (a Poisson) when not overdispersed."""
    keep = np.isfinite(y) & np.isfinite(mean)
    y, mean = y[keep], np.maximum(mean[keep], 1e-9)
    excess = float(np.sum((y - mean) ** 2 - mean))
    if excess <= 0 or y.size == 0:
        return _MAX_DISPERSION
    return float(min(np.sum(mean**2) / excess, _MAX_DISPERSION))


@dataclass(frozen=True)
class Calibration:
    """Per band of predicted mean: NB size and the quantile level that achieves each target."""

    edges: np.ndarray  # upper bounds of the mean bands (last is +inf)
    sizes: np.ndarray  # NB size per band
    levels: dict[float, np.ndarray]  # nominal tau -> calibrated tau per band
    series_sizes: np.ndarray | None = None  # NB size per series (rows of a 2-D mean)

    def band(self, mean: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.edges, mean, side="left")

    def cell_sizes(self, mean: np.ndarray) -> np.ndarray:
        """NB size of every cell: its series' own when known, else its band's."""
        per_series = self.series_sizes
        if per_series is not None and mean.ndim == 2 and mean.shape[0] == per_series.size:
            return np.asarray(np.broadcast_to(per_series[:, None], mean.shape).reshape(-1))
        return np.asarray(self.sizes[self.band(mean.reshape(-1))])

    def quantiles(self, mean: np.ndarray, taus: Sequence[float]) -> dict[float, np.ndarray]:
        """Calibrated quantiles for each tau of `taus`, same shape as `mean`."""
        flat = np.asarray(mean, dtype=float).reshape(-1)
        band = self.band(flat)
        sizes = self.cell_sizes(np.asarray(mean, dtype=float))
        out = {tau: np.empty(flat.shape) for tau in taus}
        for b in np.unique(band):
            rows = np.flatnonzero(band == b)
            for first in range(0, rows.size, _CHUNK):
                pick = rows[first : first + _CHUNK]
                table = CountTable(flat[pick], sizes[pick])
                for tau in taus:
                    level = float(self.levels[tau][b]) if tau in self.levels else tau
                    out[tau][pick] = table.quantile(level)
        return {tau: values.reshape(np.shape(mean)) for tau, values in out.items()}


def poisson_calibration() -> Calibration:
    """The uncalibrated Poisson: one band, nominal levels."""
    return Calibration(np.array([np.inf]), np.array([_MAX_DISPERSION]), {})


def calibrate(
    y: np.ndarray,
    mean: np.ndarray,
    taus: Sequence[float] = DEFAULT_QUANTILES,
    *,
    min_points: int = 300,
    max_points: int = 60_000,
    seed: int = 0,
    method: CalibrationMethod = "central",
    series: np.ndarray | None = None,
) -> Calibration:
    """Fit a Calibration on held-out counts `y` and the means predicted for them.

    Each level is first the quantile of the randomised PIT values of the held-out counts:
    every quantile calibrated on its own (`pit`), the best for pinball loss and for staffing
    to one quantile. `central` (the default) then raises or lowers the upper levels so that
    each central interval [q(1 - tau), q(tau)] covers its nominal share: on sparse cells,
    whose lower bound is zero, all of the miss goes above, and q(0.9) sits nearer the 80th
    percentile.

    Bands of predicted mean are half-decades (0.03, 0.1, 0.3, 1, 3, ...), merged upwards
    until each holds `min_points` cells: a city total and a sparse cell never share a band
    when there is enough data to tell them apart.
    """
    keep = np.isfinite(y) & np.isfinite(mean)
    y, mean = y[keep], mean[keep]
    edges = _band_edges(mean, min_points)
    band = np.searchsorted(edges, mean, side="left")
    sizes = np.array([estimate_size(y[band == b], mean[band == b]) for b in range(edges.size)])
    per_series = None
    cell = sizes[band]
    if series is not None:
        per_series = series_sizes(y, mean, series[keep], sizes[band])
        cell = per_series[series[keep]]
    if y.size > max_points:
        pick = np.random.default_rng(seed).choice(y.size, max_points, replace=False)
        y, mean, band, cell = y[pick], mean[pick], band[pick], cell[pick]
    ordered = sorted(taus)
    levels = {tau: np.empty(edges.size) for tau in ordered}
    uniform = np.random.default_rng(seed).uniform(size=y.size)
    for b in range(edges.size):
        inside = band == b
        table = CountTable(mean[inside], cell[inside])
        pit = table.pit(y[inside], uniform[inside])
        for tau in ordered:
            levels[tau][b] = float(np.clip(np.quantile(pit, tau), 1e-4, 1 - 1e-4))
        if method == "central":
            for tau in ordered:
                partner = _partner(tau, levels)
                if partner is not None:
                    levels[tau][b] = _solve_level(y[inside], table, tau, float(partner[b]))
        for low, high in zip(ordered, ordered[1:], strict=False):
            levels[high][b] = max(levels[high][b], levels[low][b])  # quantiles never cross
    return Calibration(edges, sizes, levels, per_series)


ALPHA_SPREAD = 0.1  # plausible spread of true overdispersion (1 / size) between series


def series_sizes(
    y: np.ndarray, mean: np.ndarray, series: np.ndarray, band_sizes: np.ndarray
) -> np.ndarray:
    """NB size per series: its own moment estimate shrunk toward its bands' (per cell).

    A busy total's errors are driven by shocks shared by all its parts, so it is often more
    overdispersed than the cells beside it in a band; a sparse cell's own estimate is noise.
    """
    n = int(series.max()) + 1 if series.size else 0
    mu2 = np.bincount(series, mean**2, n)
    excess = np.bincount(series, (y - mean) ** 2 - mean, n)
    prior_alpha = np.bincount(series, mean**2 / band_sizes, n) / np.maximum(mu2, 1e-12)
    own_alpha = excess / np.maximum(mu2, 1e-12)
    # the own estimate's sampling variance under a Poisson: sum(mu + 2 mu^2) / sum(mu^2)^2
    noise = np.bincount(series, mean + 2 * mean**2, n) / np.maximum(mu2, 1e-12) ** 2
    weight = 1.0 / (1.0 + noise / ALPHA_SPREAD**2)
    alpha = np.maximum(weight * own_alpha + (1 - weight) * prior_alpha, 1.0 / _MAX_DISPERSION)
    return np.asarray(1.0 / alpha)


def _band_edges(mean: np.ndarray, min_points: int) -> np.ndarray:
    """Upper edges of half-decade bands of `mean`, each with at least `min_points` cells."""
    candidates = 10.0 ** np.arange(-1.5, 5.0, 0.5)
    edges: list[float] = []
    count_below = 0
    for edge in candidates:
        inside = int(np.sum(mean <= edge)) - count_below
        if inside >= min_points and mean.size - count_below - inside >= min_points:
            edges.append(float(edge))
            count_below += inside
    return np.array([*edges, np.inf])


def _partner(tau: float, levels: dict[float, np.ndarray]) -> np.ndarray | None:
    """The calibrated levels of 1 - tau when tau is the upper end of a central interval."""
    if tau <= 0.5:
        return None
    for other, found in levels.items():
        if abs(other - (1.0 - tau)) < 1e-9:
            return found
    return None


def _solve_level(y: np.ndarray, table: CountTable, tau: float, lower_level: float) -> float:
    """The upper level whose interval with `lower_level` covers 2 tau - 1 of y; bisection."""
    if y.size == 0:
        return tau
    # what the calibrated lower bound leaves out below is not covered either
    below = float(np.mean(y < table.quantile(lower_level)))
    target = min(2.0 * tau - 1.0 + below, 0.999)
    lo, hi = 1e-4, 1 - 1e-4
    for _ in range(14):
        mid = 0.5 * (lo + hi)
        if np.mean(y <= table.quantile(mid)) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
