"""Staffing requirements: demand checks, the lag correction, the floors, the utilisation cap."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tests.factories import hourly_frame
from zonal.errors import InputError
from zonal.planning import MinimumService, ServiceProfile, StaffingRequirements, lagged_load

NO_FLOORS = MinimumService.none()


def hourly(values: dict[str, list[float] | np.ndarray], column: str = "mean") -> pl.DataFrame:
    """A long demand frame: one series per key, hourly from Monday 00:00 Brussels time."""
    return hourly_frame(values, column)


def test_more_calls_need_more_teams() -> None:
    frame = hourly({"quiet": [1.0] * 168, "busy": [6.0] * 168})
    fitted = StaffingRequirements(floors=NO_FLOORS).fit(frame).requirements_
    teams = fitted.group_by("unique_id").agg(pl.col("teams").max()).sort("unique_id")
    assert teams["teams"].to_list()[0] > teams["teams"].to_list()[1]


def test_every_hour_meets_the_priority_one_target() -> None:
    rng = np.random.default_rng(3)
    frame = hourly({"z": rng.uniform(0.2, 8.0, 168)})
    fitted = StaffingRequirements(target=0.85, floors=NO_FLOORS).fit(frame).requirements_
    assert fitted["p1_within_target"].min() >= 0.85


def test_steady_demand_keeps_its_load_under_the_lag_correction() -> None:
    frame = hourly({"z": [4.0] * 168})
    service = ServiceProfile.exponential(45.0)
    fitted = StaffingRequirements(service=service, floors=NO_FLOORS).fit(frame)
    assert fitted.load_ == pytest.approx(np.full((1, 168), 4.0 * 0.75), rel=1e-6)


def test_lag_keeps_teams_on_after_the_peak_where_sipp_cuts_them() -> None:
    # A two-hour peak: calls arriving in it keep teams busy for the next hour, which SIPP
    # (hour by hour) ignores and staffs as a quiet hour.
    demand = np.full(168, 1.0)
    demand[100:102] = 12.0
    frame = hourly({"z": demand})
    service = ServiceProfile.exponential(60.0)
    lagged = StaffingRequirements(service=service, floors=NO_FLOORS).fit(frame).teams_[0]
    sipp = StaffingRequirements(service=service, lag=False, floors=NO_FLOORS).fit(frame).teams_[0]
    assert lagged[102] > sipp[102]
    assert lagged[100] < sipp[100]  # the load builds up: the first peak hour is not yet full


def test_lagged_load_conserves_work_on_a_cyclic_week() -> None:
    rate = np.random.default_rng(1).uniform(0, 5, (3, 168))
    kernel = ServiceProfile.exponential(50.0).kernel
    load = lagged_load(rate, kernel, cyclic=True)
    assert load.sum(axis=1) == pytest.approx(rate.sum(axis=1) * kernel.sum())


def test_lagged_load_without_wrap_starts_steady() -> None:
    kernel = ServiceProfile.exponential(30.0).kernel
    load = lagged_load(np.full((1, 10), 2.0), kernel, cyclic=False)
    assert load == pytest.approx(np.full((1, 10), 2.0 * kernel.sum()))


def test_legal_floors_hold_without_any_demand() -> None:
    fitted = StaffingRequirements().fit(hourly({"z": [0.0] * 168})).requirements_
    counts = fitted["teams"].value_counts().sort("teams")
    assert counts.rows() == [(1, 84), (2, 84)]
    assert set(fitted["binding"].to_list()) == {"floor"}


def test_second_team_goes_to_the_busiest_hours() -> None:
    demand = np.zeros(168)
    busy = np.arange(168)[(np.arange(168) % 24) >= 12]  # afternoons and evenings, 84 hours
    demand[busy] = 0.01
    fitted = StaffingRequirements(utilisation_cap=1.0).fit(hourly({"z": demand}))
    assert (fitted.requirements_["teams_floor"].to_numpy()[busy] == 2).all()


def test_explicit_floor_hours_are_used_as_given() -> None:
    floors = MinimumService(teams_always=1, extra_teams=2, extra_hours=range(0, 10))
    fitted = StaffingRequirements(floors=floors).fit(hourly({"z": [0.0] * 168})).requirements_
    assert fitted["teams"].to_list()[:11] == [3] * 10 + [1]


@pytest.mark.parametrize(
    "kwargs", [{"teams_always": -1}, {"extra_hours_per_week": 200}, {"extra_hours": [170]}]
)
def test_impossible_floors_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        MinimumService(**kwargs)  # type: ignore[arg-type]


def test_utilisation_cap_binds_under_heavy_load() -> None:
    frame = hourly({"z": [30.0] * 168})
    fitted = StaffingRequirements(utilisation_cap=0.5, floors=NO_FLOORS).fit(frame)
    assert (fitted.teams_ >= np.ceil(fitted.load_ / 0.5 - 1e-9)).all()
    assert set(fitted.requirements_["binding"].to_list()) == {"utilisation"}


def test_a_higher_quantile_never_needs_fewer_teams() -> None:
    rng = np.random.default_rng(5)
    mean = rng.uniform(0.5, 6, 168)
    frame = hourly({"z": mean}).with_columns((pl.col("mean") * 1.4).alias("q-0.9"))
    low = StaffingRequirements(floors=NO_FLOORS).fit(frame).teams_
    high = StaffingRequirements(column="q-0.9", floors=NO_FLOORS).fit(frame).teams_
    assert (high >= low).all() and (high > low).any()


def test_all_zones_at_once_equal_one_at_a_time() -> None:
    rng = np.random.default_rng(9)
    series = {f"z{i}": rng.uniform(0, 5, 168) for i in range(4)}
    together = StaffingRequirements().fit(hourly(series)).requirements_
    alone = pl.concat(
        [StaffingRequirements().fit(hourly({k: v})).requirements_ for k, v in series.items()]
    )
    assert together.sort("unique_id", "ds").equals(alone.sort("unique_id", "ds"))


def test_history_column_y_is_used_when_there_is_no_mean() -> None:
    frame = hourly({"z": [2.0] * 168}, column="y")
    assert StaffingRequirements().fit(frame).requirements_["demand"].max() == 2.0


def test_negative_demand_is_refused_with_the_value() -> None:
    frame = hourly({"z": [1.0] * 167 + [-0.5]})
    with pytest.raises(InputError, match=r"negative.*-0\.5"):
        StaffingRequirements().fit(frame)


def test_naive_timestamps_are_refused() -> None:
    frame = hourly({"z": [1.0] * 24}).with_columns(pl.col("ds").dt.replace_time_zone(None))
    with pytest.raises(InputError, match="timezone-aware"):
        StaffingRequirements().fit(frame)


def test_a_gap_in_the_hours_is_named() -> None:
    frame = hourly({"z": [1.0] * 48}).filter(pl.col("ds") != pl.col("ds").min().dt.offset_by("5h"))
    with pytest.raises(InputError, match="not hourly without gaps"):
        StaffingRequirements().fit(frame)


def test_series_on_different_hours_are_refused() -> None:
    frame = pl.concat([hourly({"a": [1.0] * 24}), hourly({"b": [1.0] * 20})])
    with pytest.raises(InputError, match="'b' has 20 rows"):
        StaffingRequirements().fit(frame)


def test_an_unknown_demand_column_lists_the_choices() -> None:
    with pytest.raises(InputError, match=r"q-0\.8.*\['mean'\]"):
        StaffingRequirements(column="q-0.8").fit(hourly({"z": [1.0] * 24}))


@pytest.mark.parametrize(
    "kwargs", [{"target": 1.0}, {"utilisation_cap": 0.0}, {"wait_minutes": -1.0}]
)
def test_impossible_targets_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(InputError):
        StaffingRequirements(**kwargs).fit(hourly({"z": [1.0] * 24}))  # type: ignore[arg-type]
