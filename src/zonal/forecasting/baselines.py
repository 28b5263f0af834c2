"""What users would pick instead: seasonal naive, the mean of the last k weeks, statsforecast.

They index past hours by position (168 hours back is "the same hour last week"), as
analysts and statsforecast do; across a DST change that lands one wall-clock hour off,
which is part of what the production model improves on.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from zonal.errors import InputError
from zonal.forecasting._panel import Panel, nan_mean
from zonal.forecasting.base import Forecaster
from zonal.forecasting.distributions import quantile_column

WEEK = 168


def _last_seasons(values: np.ndarray, season: int, seasons: int) -> np.ndarray:
    """The last `seasons` full seasons stacked: shape (n_series, seasons, season), NaN-padded."""
    n, t = values.shape
    need = season * seasons
    padded = np.full((n, need), np.nan)
    take = min(need, t)
    padded[:, need - take :] = values[:, t - take :]
    return padded.reshape(n, seasons, season)


def _tile(profile: np.ndarray, h: int) -> np.ndarray:
    reps = -(-h // profile.shape[1])
    return np.tile(profile, (1, reps))[:, :h]


def _fill_nan(profile: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Unobserved profile cells take the series' recent mean, then zero."""
    level = np.nan_to_num(nan_mean(values[:, -4 * WEEK :], axis=1))
    return np.where(np.isfinite(profile), profile, level[:, None])


class SeasonalNaive(Forecaster):
    """The same hour last week (or last `season_length` hours), repeated over the horizon."""

    def __init__(self, season_length: int = WEEK) -> None:
        self.season_length = season_length

    def _fit(self, panel: Panel) -> None:
        last = _last_seasons(panel.values, self.season_length, 1)[:, 0, :]
        self.profile_ = _fill_nan(last, panel.values)

    def _predict_mean(self, h: int) -> np.ndarray:
        return _tile(self.profile_, h)


class SeasonalWindowAverage(Forecaster):
    """The mean of the same hour over the last `weeks` seasons (the analysts' usual average)."""

    def __init__(self, weeks: int = 4, season_length: int = WEEK) -> None:
        self.weeks = weeks
        self.season_length = season_length

    def _fit(self, panel: Panel) -> None:
        if self.weeks < 1:
            raise InputError(f"weeks={self.weeks} must be at least 1")
        stacked = _last_seasons(panel.values, self.season_length, self.weeks)
        self.profile_ = _fill_nan(nan_mean(stacked, axis=1), panel.values)

    def _predict_mean(self, h: int) -> np.ndarray:
        return _tile(self.profile_, h)


StatsModelName = Literal["mstl", "auto_ets", "auto_theta", "croston_sba", "adida", "imapa", "tsb"]
_INTERVAL_MODELS = {"mstl", "auto_ets", "auto_theta"}


def _build(name: str, season_length: int) -> Any:
    # statsforecast is imported here: it is heavy and only the baselines need it.
    from statsforecast import models as sf

    builders: dict[str, Any] = {
        "mstl": lambda: sf.MSTL(season_length=[24, WEEK]),
        "auto_ets": lambda: sf.AutoETS(season_length=season_length),
        "auto_theta": lambda: sf.AutoTheta(season_length=season_length),
        "croston_sba": sf.CrostonSBA,
        "adida": sf.ADIDA,
        "imapa": sf.IMAPA,
        "tsb": lambda: sf.TSB(alpha_d=0.1, alpha_p=0.1),
    }
    if name not in builders:
        raise InputError(f"unknown statsforecast model {name!r}; choose one of {sorted(builders)}")
    return builders[name]()


class StatsForecastModel(Forecaster):
    """A statsforecast model fitted series by series, with its own (normal) intervals.

    Quantiles come from the model's symmetric prediction intervals where it has them
    (MSTL, AutoETS, AutoTheta), clipped at zero; intermittent-demand models (Croston,
    ADIDA, IMAPA, TSB) give a mean only and get Poisson quantiles around it.
    `max_history` keeps only the last hours of each series (years of hourly data make
    ETS slow for little gain).
    """

    def __init__(
        self,
        model: StatsModelName = "auto_ets",
        season_length: int = 24,
        max_history: int | None = None,
    ) -> None:
        self.model = model
        self.season_length = season_length
        self.max_history = max_history

    def _fit(self, panel: Panel) -> None:
        _build(self.model, self.season_length)  # fail on a bad name before any work
        keep = panel.values[:, -self.max_history :] if self.max_history else panel.values
        self.series_ = [_contiguous(row) for row in keep]

    def _predict_mean(self, h: int) -> np.ndarray:
        levels = _levels(self.quantiles) if self.model in _INTERVAL_MODELS else []
        self.raw_ = [self._forecast_one(y, h, levels) for y in self.series_]
        return np.vstack([r["mean"] for r in self.raw_])

    def _forecast_one(self, y: np.ndarray, h: int, levels: list[int]) -> dict[str, np.ndarray]:
        if y.size < 2 * self.season_length or not np.any(y):
            return {"mean": np.full(h, float(np.mean(y)) if y.size else 0.0)}
        model = _build(self.model, self.season_length)
        out: dict[str, np.ndarray] = model.forecast(y=y, h=h, level=levels or None)
        return out

    def _quantiles(self, mean: np.ndarray) -> dict[float, np.ndarray]:
        poisson = super()._quantiles(mean)
        out: dict[float, np.ndarray] = {}
        for tau in self.quantiles:
            key = _interval_key(tau)
            rows = [r.get(key, poisson[tau][i]) for i, r in enumerate(self.raw_)]
            out[tau] = mean if tau == 0.5 else np.maximum(np.vstack(rows), 0.0)
        return out


def _contiguous(row: np.ndarray) -> np.ndarray:
    """The observed stretch of a series with inner gaps filled by the series mean."""
    seen = np.flatnonzero(np.isfinite(row))
    if seen.size == 0:
        return np.zeros(0)
    span = row[seen[0] :].copy()
    span[~np.isfinite(span)] = float(nan_mean(span, axis=0))
    return span


def _levels(quantiles: object) -> list[int]:
    taus = [float(t) for t in quantiles]  # type: ignore[attr-defined]
    return sorted({round(abs(1 - 2 * t) * 100) for t in taus if t != 0.5})


def _interval_key(tau: float) -> str:
    level = round(abs(1 - 2 * tau) * 100)
    return f"{'lo' if tau < 0.5 else 'hi'}-{level}" if tau != 0.5 else quantile_column(tau)
