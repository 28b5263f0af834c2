"""The one estimator interface every forecaster follows (scikit-learn style).

`fit(df)` takes a long frame (`unique_id`, `ds`, `y`) of hourly counts, validates it,
learns, and returns self; `predict(h)` returns the next `h` hours after the last `ds`
as a long frame: `unique_id`, `ds`, `mean`, and one `q-<tau>` column per quantile.
A model never sees data after the end of what it was fitted on, which is what makes a
backtest at origin T honest.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Self

import numpy as np
import polars as pl

from zonal.errors import InputError
from zonal.forecasting._panel import Panel, repeat_ids, to_panel
from zonal.forecasting.distributions import (
    DEFAULT_QUANTILES,
    Calibration,
    poisson_calibration,
    quantile_column,
)

MAX_HORIZON_HOURS = 28 * 24
MIN_HISTORY_HOURS = 168


def parse_horizon(text: str | int) -> int:
    """Hours in a horizon given as hours (`168`, `"36h"`) or days (`"7d"`), 1 hour to 28 days."""
    if isinstance(text, int):
        hours = text
    else:
        match = re.fullmatch(r"\s*(\d+)\s*([hd]?)\s*", text.lower())
        if match is None:
            raise InputError(
                f"horizon {text!r} is not a number of hours or days; try '7d' or '48h'"
            )
        hours = int(match.group(1)) * (24 if match.group(2) == "d" else 1)
    if not 1 <= hours <= MAX_HORIZON_HOURS:
        raise InputError(f"horizon {text!r} is {hours} hours; give 1 hour to 28 days ('28d')")
    return hours


class Forecaster(ABC):
    """Base class: validation, the panel, and the long output frame; subclasses do the maths."""

    quantiles: Sequence[float] = DEFAULT_QUANTILES

    def fit(self, df: pl.DataFrame) -> Self:
        """Learn from hourly history `df` (`unique_id`, `ds`, `y`); returns self.

        Raises:
            InputError: the frame breaks the series contract or holds under a week of history.
        """
        panel = to_panel(df)
        if panel.n_hours < MIN_HISTORY_HOURS:
            raise InputError(
                f"history spans {panel.n_hours} hours; {type(self).__name__} needs at least "
                f"{MIN_HISTORY_HOURS} (one week): give a longer file or an earlier start date"
            )
        self._check_quantiles()
        self.panel_ = panel
        self._fit(panel)
        return self

    def predict(self, h: int | str) -> pl.DataFrame:
        """Forecast the `h` hours after the fitted history (an int or '7d', '48h').

        Returns:
            Long frame `unique_id`, `ds`, `mean`, `q-<tau>` for each tau of `self.quantiles`.
        """
        if not hasattr(self, "panel_"):
            raise InputError(f"{type(self).__name__} is not fitted: call fit(df) before predict")
        hours = parse_horizon(h)
        mean = np.maximum(self._predict_mean(hours), 0.0)
        bands = self._quantiles(mean)
        return forecast_frame(self.panel_, mean, bands)

    def _check_quantiles(self) -> None:
        bad = [tau for tau in self.quantiles if not 0.0 < tau < 1.0]
        if bad:
            raise InputError(f"quantiles {bad} are outside (0, 1); use e.g. 0.1, 0.5, 0.9")

    def _quantiles(self, mean: np.ndarray) -> dict[float, np.ndarray]:
        return self._calibration().quantiles(mean, list(self.quantiles))

    def _calibration(self) -> Calibration:
        return poisson_calibration()

    @abstractmethod
    def _fit(self, panel: Panel) -> None: ...

    @abstractmethod
    def _predict_mean(self, h: int) -> np.ndarray:
        """Mean counts, shape (n_series, h), for the h hours after the panel end."""


def fallback_of(model: Forecaster) -> str | None:
    """The estimator a fitted model fell back on (history too short), or None if it did not."""
    fallback = getattr(model, "fallback_", None)
    return type(fallback).__name__ if fallback is not None else None


def drivers_of(model: Forecaster) -> dict[str, float]:
    """What a fitted model leans on, by feature group (empty for models that do not say)."""
    explain = getattr(model, "drivers", None)
    found: dict[str, float] = explain() if callable(explain) else {}
    return found


def forecast_frame(
    panel: Panel, mean: np.ndarray, bands: dict[float, np.ndarray] | None = None
) -> pl.DataFrame:
    """The long forecast frame for the `mean.shape[1]` hours after `panel` ends."""
    h = mean.shape[1]
    times = panel.times(panel.n_hours, h)
    columns: dict[str, object] = {
        "unique_id": repeat_ids(panel.ids, h),
        "ds": pl.concat([times] * len(panel.ids)),
        "mean": mean.reshape(-1),
    }
    for tau, values in sorted((bands or {}).items()):
        columns[quantile_column(tau)] = values.reshape(-1)
    return pl.DataFrame(columns).with_columns(pl.col("unique_id").cast(pl.String))
