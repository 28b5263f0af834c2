"""The production model: one LightGBM across all series with a count loss and calibrated quantiles.

Direct multi-horizon: each training row is (series, origin, hours ahead) with features known
at the origin, so a 28-day forecast needs no recursion and never reads past its origin.
The Poisson loss on counts divided by the series level, weighted by that level, is the
Poisson deviance of the counts themselves: the city total and a sparse cell share one model.
Quantiles come from a negative binomial around the mean whose dispersion and levels are
calibrated on the model's own errors at held-out origins (the last weeks before the end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import lightgbm as lgb
import numpy as np

from zonal.errors import InputError
from zonal.forecasting._panel import Panel
from zonal.forecasting.base import Forecaster, parse_horizon
from zonal.forecasting.baselines import SeasonalWindowAverage
from zonal.forecasting.calendar import country_for_time_zone
from zonal.forecasting.distributions import (
    DEFAULT_QUANTILES,
    Calibration,
    CalibrationMethod,
    calibrate,
    poisson_calibration,
)
from zonal.forecasting.features import (
    CATEGORICAL,
    FEATURE_GROUPS,
    FEATURES,
    YEAR_HOURS,
    FeatureBuilder,
)

MIN_TRAIN_HOURS = 28 * 24  # history before the first training origin
TRAIN_SPAN_HOURS = 2 * 364 * 24  # training origins reach back at most this far


@dataclass
class _Rows:
    features: np.ndarray
    label: np.ndarray  # count / scale
    weight: np.ndarray
    target: np.ndarray  # column of the target hour
    origin: np.ndarray


class GlobalGBM(Forecaster):
    """LightGBM over every series at once, Poisson (or Tweedie) loss, calibrated quantiles.

    Args:
        horizon: longest forecast it will be asked for ('7d', '28d' or hours).
        country: ISO code for public holidays; 'auto' infers it from the data's time zone.
        objective: 'poisson' or 'tweedie' (count losses).
        calibration_weeks: held-out weekly origins used to calibrate the quantiles.
        outlier_weight: training weight of mass-event hours (they stay in, weighing little).
        interval_calibration: 'central' (default) makes central intervals cover their share;
            'pit' calibrates each quantile on its own (see distributions.calibrate).
        fallback: what to do when history is too short to train: 'window-average' forecasts
            with the mean of the last weeks (recorded in `fallback_`), 'error' refuses.
    """

    def __init__(
        self,
        horizon: int | str = "7d",
        *,
        country: str | None = "auto",
        objective: Literal["poisson", "tweedie"] = "poisson",
        n_estimators: int = 200,
        learning_rate: float = 0.08,
        num_leaves: int = 31,
        min_child_samples: int = 200,
        max_rows: int = 80_000,
        origin_stride_days: int = 2,
        max_origins: int = 90,
        calibration_weeks: int = 4,
        outlier_weight: float = 0.1,
        interval_calibration: CalibrationMethod = "central",
        fallback: Literal["window-average", "error"] = "window-average",
        quantiles: Sequence[float] = DEFAULT_QUANTILES,
        n_jobs: int = 1,
        random_state: int = 0,
    ) -> None:
        self.horizon = horizon
        self.country = country
        self.objective = objective
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.max_rows = max_rows
        self.origin_stride_days = origin_stride_days
        self.max_origins = max_origins
        self.calibration_weeks = calibration_weeks
        self.outlier_weight = outlier_weight
        self.interval_calibration = interval_calibration
        self.fallback = fallback
        self.quantiles = quantiles
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit(self, panel: Panel) -> None:
        self.horizon_ = parse_horizon(self.horizon)
        self.fallback_: Forecaster | None = None
        if panel.n_hours < MIN_TRAIN_HOURS + self.horizon_ // 2 + 168:
            self._fall_back(panel)
            return
        # Older history feeds no feature (origins reach 2 years back, profiles 1 more year)
        panel = self.panel_ = panel.tail(TRAIN_SPAN_HOURS + YEAR_HOURS + MIN_TRAIN_HOURS)
        country = country_for_time_zone(panel.time_zone) if self.country == "auto" else self.country
        self.country_ = country
        self.builder_ = FeatureBuilder(panel, country, self.horizon_)
        rows = self._training_rows(panel)
        cut = self._calibration_cut(panel)
        self.calibration_ = self._calibrate(rows, cut) if cut is not None else poisson_calibration()
        self.booster_ = self._train(rows)

    def _fall_back(self, panel: Panel) -> None:
        if self.fallback == "error":
            raise InputError(
                f"history spans {panel.n_hours} hours; GlobalGBM needs at least "
                f"{MIN_TRAIN_HOURS + self.horizon_ // 2 + 168} for horizon {self.horizon_} h: "
                "give more history, a shorter horizon, or fallback='window-average'"
            )
        weeks = max(1, min(4, panel.n_hours // 168))
        self.fallback_ = SeasonalWindowAverage(weeks=weeks)
        self.fallback_.quantiles = self.quantiles
        self.fallback_._fit(panel)
        self.fallback_.panel_ = panel
        self.calibration_ = poisson_calibration()

    def _origins(self, panel: Panel) -> np.ndarray:
        """Training origins at the forecast's hour of day, spread over up to two years.

        The stride widens on long histories so that `max_origins` reach a year back: the
        year-ago features then meet every season in training.
        """
        span = min(panel.n_hours, TRAIN_SPAN_HOURS) - MIN_TRAIN_HOURS
        days = max(self.origin_stride_days, -(-span // (24 * self.max_origins)))
        stride = 24 * days
        end = panel.n_hours
        origins = np.arange(end - stride, MIN_TRAIN_HOURS - 1, -stride)[: self.max_origins]
        return np.sort(origins)

    def _training_rows(self, panel: Panel) -> _Rows:
        origins = self._origins(panel)
        n_series, h = len(panel.ids), self.horizon_
        per_origin = max(1, self.max_rows // max(len(origins), 1))
        rng = np.random.default_rng(self.random_state)
        parts = [self._origin_rows(panel, o, n_series, h, per_origin, rng) for o in origins]
        return _Rows(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in _Rows.__annotations__)
        )

    def _origin_rows(
        self, panel: Panel, origin: int, n_series: int, h: int, take: int, rng: np.random.Generator
    ) -> _Rows:
        h = min(h, panel.n_hours - origin)
        state = self.builder_.state(origin)
        # Busy series are sampled more (by the square root of their level) and weigh less
        # per row in return: the loss is unchanged in expectation, the city total is not
        # left with a handful of rows among thousands of sparse cells.
        share = np.sqrt(state.scale)
        share = np.repeat(share / share.sum() / h, h)
        pick = rng.choice(n_series * h, size=min(take, n_series * h), replace=False, p=share)
        series, ahead = pick // h, pick % h
        target = origin + ahead
        y = panel.values[series, target]
        keep = np.isfinite(y)
        series, ahead, target, y, pick = (
            series[keep],
            ahead[keep],
            target[keep],
            y[keep],
            pick[keep],
        )
        scale = state.scale[series]
        importance = 1.0 / (share[pick] * n_series * h)
        flagged = self.builder_.flagged[series, target]
        weight = scale * importance * np.where(flagged, self.outlier_weight, 1.0)
        features = self.builder_.rows(state, series, ahead)
        return _Rows(features, y / scale, weight, target, np.full(y.shape, origin))

    def _calibration_cut(self, panel: Panel) -> int | None:
        cut = panel.n_hours - self.horizon_ - 168 * (self.calibration_weeks - 1)
        return cut if self.calibration_weeks > 0 and cut >= MIN_TRAIN_HOURS + 168 else None

    def _calibrate(self, rows: _Rows, cut: int) -> Calibration:
        """Train on targets before `cut`, predict the held-out origins, fit the calibration."""
        booster = self._train(_subset(rows, rows.target < cut))
        panel = self.panel_
        ys, means, series = [], [], []
        n_series = len(panel.ids)
        for origin in range(cut, panel.n_hours - self.horizon_ + 1, 168):
            mean = self._mean_at(booster, origin, self.horizon_)
            ys.append(panel.values[:, origin : origin + self.horizon_].reshape(-1))
            means.append(mean.reshape(-1))
            series.append(np.repeat(np.arange(n_series), self.horizon_))
        y, mean = np.concatenate(ys), np.concatenate(means)
        return calibrate(
            y,
            mean,
            self.quantiles,
            method=self.interval_calibration,
            series=np.concatenate(series),
        )

    def _train(self, rows: _Rows) -> lgb.Booster:
        params: dict[str, Any] = {
            "objective": self.objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_child_samples,
            "feature_fraction": 0.9,
            "lambda_l2": 1.0,
            "num_threads": self.n_jobs,
            "seed": self.random_state,
            "deterministic": True,
            "force_row_wise": True,
            "max_bin": 63,
            "verbose": -1,
        }
        data = lgb.Dataset(
            rows.features,
            label=rows.label,
            weight=rows.weight,
            feature_name=list(FEATURES),
            categorical_feature=list(CATEGORICAL),
            free_raw_data=True,
        )
        return lgb.train(params, data, num_boost_round=self.n_estimators)

    def _mean_at(self, booster: lgb.Booster, origin: int, h: int) -> np.ndarray:
        n_series = len(self.panel_.ids)
        series = np.repeat(np.arange(n_series), h)
        ahead = np.tile(np.arange(h), n_series)
        state = self.builder_.state(origin)
        raw = np.asarray(booster.predict(self.builder_.rows(state, series, ahead)))
        mean: np.ndarray = raw.reshape(n_series, h) * state.scale[:, None]
        return mean

    def _predict_mean(self, h: int) -> np.ndarray:
        if h > self.horizon_:
            raise InputError(
                f"asked for {h} hours but the model was fitted for horizon {self.horizon_}; "
                "refit with a longer horizon"
            )
        if self.fallback_ is not None:
            return self.fallback_._predict_mean(h)
        return self._mean_at(self.booster_, self.panel_.n_hours, h)

    def drivers(self) -> dict[str, float]:
        """What the fitted model leans on: each feature group's share of the trees' total gain
        (see features.FEATURE_GROUPS); empty when it fell back to a simpler model."""
        if self.fallback_ is not None:
            return {}
        gain = dict(zip(FEATURES, self.booster_.feature_importance("gain"), strict=True))
        total = float(sum(gain.values())) or 1.0
        return {
            group: float(sum(gain[name] for name in names)) / total
            for group, names in FEATURE_GROUPS.items()
        }

    def _calibration(self) -> Calibration:
        calibration: Calibration = self.calibration_
        return calibration


def _subset(rows: _Rows, keep: np.ndarray) -> _Rows:
    return _Rows(*(getattr(rows, f)[keep] for f in _Rows.__annotations__))
