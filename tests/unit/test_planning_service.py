"""Service times from dispatch timestamps, and the lag kernels of service profiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from tests.factories import incident_frame
from zonal.errors import InputError
from zonal.planning import ServiceProfile, ServiceTimeEstimator

T0 = datetime(2025, 3, 3, 8, tzinfo=UTC)


def incidents(rows: list[tuple[int, int | None, float | None]]) -> pl.DataFrame:
    """Canonical incidents with (priority, cluster, minutes from dispatch to cleared)."""
    cleared = [None if r[2] is None else T0 + timedelta(minutes=r[2]) for r in rows]
    return incident_frame(
        [T0] * len(rows),
        priority=pl.Series([r[0] for r in rows], dtype=pl.Int8),
        cluster=pl.Series([r[1] for r in rows], dtype=pl.Int8),
        dispatched_at=[T0] * len(rows),
        cleared_at=pl.Series(cleared, dtype=pl.Datetime("us", "UTC")),
    )


def test_means_per_priority_and_cluster() -> None:
    rows = [(1, 6, 20.0)] * 30 + [(1, 6, 40.0)] * 30 + [(2, 7, 60.0)] * 40
    table = ServiceTimeEstimator().fit(incidents(rows)).table_
    assert table.select("priority", "cluster", "calls", "mean_minutes").rows() == [
        (1, 6, 60, 30.0),
        (2, 7, 40, 60.0),
    ]


def test_small_groups_borrow_their_priority_figures() -> None:
    rows = [(2, 7, 60.0)] * 40 + [(2, 9, 10.0)] * 3
    table = ServiceTimeEstimator(min_calls=30).fit(incidents(rows)).table_
    small = table.filter(pl.col("cluster") == 9).row(0, named=True)
    assert small["pooled"] and small["mean_minutes"] == pytest.approx((40 * 60 + 3 * 10) / 43)


def test_missing_negative_and_absurd_durations_are_dropped_and_counted() -> None:
    rows = [(1, None, 30.0), (1, None, None), (1, None, -5.0), (1, None, 2000.0)]
    fitted = ServiceTimeEstimator().fit(incidents(rows))
    assert fitted.dropped_ == 3
    assert fitted.profile_.mean_hours == pytest.approx(0.5)


def test_profile_carries_the_priority_one_share() -> None:
    rows = [(1, None, 30.0)] * 10 + [(3, None, 30.0)] * 30
    assert ServiceTimeEstimator().fit(incidents(rows)).profile_.p1_share == pytest.approx(0.25)


def test_profile_of_a_subset() -> None:
    rows = [(1, 6, 20.0)] * 5 + [(2, 7, 80.0)] * 5
    fitted = ServiceTimeEstimator().fit(incidents(rows))
    assert fitted.profile(priorities=[2]).mean_hours == pytest.approx(80 / 60)
    with pytest.raises(InputError, match="no calls"):
        fitted.profile(clusters=[3])


def test_without_dispatch_columns_the_estimator_says_what_to_import() -> None:
    frame = incidents([(1, None, 30.0)]).drop("cleared_at")
    with pytest.raises(InputError, match="dispatch-center"):
        ServiceTimeEstimator().fit(frame)


def test_no_usable_duration_is_an_error() -> None:
    with pytest.raises(InputError, match="none of 1 calls"):
        ServiceTimeEstimator().fit(incidents([(1, None, None)]))


def test_empirical_kernel_of_a_fixed_ninety_minutes() -> None:
    kernel = ServiceProfile.from_minutes(np.array([90.0]), p1_share=0.1).kernel
    assert kernel[:3] == pytest.approx([1.0, 0.5, 0.0])


def test_exponential_kernel_sums_to_the_mean() -> None:
    profile = ServiceProfile.exponential(45.0)
    assert profile.kernel.sum() == pytest.approx(0.75, rel=1e-6)


@pytest.mark.parametrize("minutes", [0.0, -3.0])
def test_non_positive_service_time_is_refused(minutes: float) -> None:
    with pytest.raises(InputError, match="minutes"):
        ServiceProfile.exponential(minutes)


def test_priority_share_outside_zero_one_is_refused() -> None:
    with pytest.raises(InputError, match="1.5"):
        ServiceProfile.exponential(30.0, p1_share=1.5)
