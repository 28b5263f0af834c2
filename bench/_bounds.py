"""What no forecaster can beat on the benchmark's set-up, measured from the same backtest.

- the Poisson floor of the city total: a forecaster that knew the true hourly rate would
  still miss by the Poisson noise, RMSE = sqrt(mean rate), estimated by sqrt(mean count);
- the city total with each test day's true total given: the model's hourly shape scaled to
  the day's actual count (the error left is the shape and the noise);
- ideal quantiles at district level: at the model's own means, the expected pinball of exact
  Poisson quantiles over that of clipped normal quantiles (what statsforecast's intervals
  are), i.e. the most a perfect count distribution can gain over normal intervals.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import polars as pl
from scipy import stats

from zonal.forecasting import DEFAULT_QUANTILES
from zonal.forecasting.metrics import seasonal_scales
from zonal.forecasting.series_key import TOTAL_KEY

TOTAL = str(TOTAL_KEY)


def limits(
    forecasts: pl.DataFrame, series: pl.DataFrame, level_of: Callable[[str], str]
) -> dict[str, float]:
    """Bounds for one model's backtest forecasts (model, origin, unique_id, ds, mean, ...)."""
    joined = forecasts.join(series, on=["unique_id", "ds"])
    total = [_total(joined, series, o) for o in joined["origin"].unique().sort()]
    districts = joined.filter(
        pl.col("unique_id").map_elements(level_of, return_dtype=pl.String) == "districts"
    )
    return {
        "daily_oracle": float(np.mean([t[0] for t in total])),
        "poisson_floor": float(np.mean([t[1] for t in total])),
        "district_mean": float(districts["mean"].mean() or 0.0),
        "pinball_ratio": pinball_ratio(districts["mean"].to_numpy()),
    }


def _total(joined: pl.DataFrame, series: pl.DataFrame, origin: object) -> tuple[float, float]:
    """City-total RMSSE at one origin with true daily totals given, and its Poisson floor."""
    week = joined.filter((pl.col("unique_id") == TOTAL) & (pl.col("origin") == origin))
    history = series.filter((pl.col("unique_id") == TOTAL) & (pl.col("ds") < week["ds"].min()))
    scale = float(seasonal_scales(history)["rmse_scale"][0])
    day = pl.col("ds").dt.date()
    scaled = week.with_columns(
        oracle=pl.col("mean") * pl.col("y").sum().over(day) / pl.col("mean").sum().over(day)
    )
    y, oracle = scaled["y"].to_numpy(), scaled["oracle"].to_numpy()
    return math.sqrt(float(np.mean((y - oracle) ** 2))) / scale, math.sqrt(
        float(np.mean(y))
    ) / scale


def pinball_ratio(means: np.ndarray) -> float:
    """Expected pinball of exact Poisson quantiles over clipped normal ones, at these means."""
    counts = np.arange(0, 80)
    ideal, normal = 0.0, 0.0
    rounded, weight = np.unique(np.round(means, 2), return_counts=True)
    for mu, times in zip(np.maximum(rounded, 1e-6), weight, strict=True):
        pmf = stats.poisson.pmf(counts, mu)
        for tau in DEFAULT_QUANTILES:
            gaussian = max(0.0, float(stats.norm.ppf(tau, mu, math.sqrt(mu))))
            ideal += times * _expected_pinball(counts, pmf, float(stats.poisson.ppf(tau, mu)), tau)
            normal += times * _expected_pinball(counts, pmf, gaussian, tau)
    return ideal / normal


def _expected_pinball(counts: np.ndarray, pmf: np.ndarray, q: float, tau: float) -> float:
    diff = counts - q
    return float(np.sum(pmf * np.maximum(tau * diff, (tau - 1.0) * diff)))


def limit_lines(table: pl.DataFrame, found: dict[str, float]) -> list[str]:
    """The limits beside the city target: how much room the target leaves below the model."""
    city = table.filter(pl.col("level") == "city total")
    mine = float(city.filter(pl.col("model") == "zonal GlobalGBM")["rmsse"][0])
    best = float(city.filter(pl.col("model") != "zonal GlobalGBM")["rmsse"].min())  # type: ignore[arg-type]
    return [
        "Limits (same forecasts): city-total RMSSE "
        f"{mine:.3f} against the target {0.9 * best:.3f}; with each test day's true total "
        f"given, the same hourly shape scores {found['daily_oracle']:.3f}; the Poisson floor "
        f"(true hourly rate known) is {found['poisson_floor']:.3f}. At district level (mean "
        f"{found['district_mean']:.2f} incidents per hour) exact Poisson quantiles have "
        f"{found['pinball_ratio']:.3f} x the expected pinball of normal quantiles with the same "
        "means: the most a perfect count distribution gains over statsforecast's intervals.",
    ]
