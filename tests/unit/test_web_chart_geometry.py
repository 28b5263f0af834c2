"""The forecast and planning charts: a count axis to a round top, the days of their own week."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from zonal.web.routes.forecast import CHART_HEIGHT, chart
from zonal.web.routes.planning import chart_bars

BRUSSELS = ZoneInfo("Europe/Brussels")
THURSDAY = datetime(2025, 10, 2, tzinfo=BRUSSELS)


def hours(start: datetime, count: int) -> list[datetime]:
    return [start + timedelta(hours=h) for h in range(count)]


def test_the_plan_chart_starts_on_the_first_day_of_the_plans_week() -> None:
    week = hours(THURSDAY, 168)
    curve = pl.DataFrame(
        {"ds": week, "required": [h % 7 for h in range(168)], "planned": [6] * 168}
    )
    drawn = chart_bars(curve)
    assert [(day.weekday, day.date) for day in drawn.days][:2] == [(3, "02/10"), (4, "03/10")]
    assert len(drawn.days) == 7 and drawn.days[-1].weekday == 2  # Wednesday ends the week
    assert [tick.value for tick in drawn.counts] == [0, 2, 4, 6] and drawn.top == 6
    assert drawn.bars[0].planned_y == 0  # 6 teams reach the top tick


def test_the_forecast_chart_has_a_round_count_axis_over_history_and_forecast() -> None:
    history = pl.DataFrame({"ds": hours(THURSDAY - timedelta(days=14), 14 * 24), "y": [3.0] * 336})
    q = {
        name: [31.0 if name == "q-0.975" else 5.0] * 168
        for name in ("q-0.025", "q-0.1", "q-0.9", "q-0.975")
    }
    forecast = pl.DataFrame({"ds": hours(THURSDAY, 168), "mean": [5.0] * 168, **q})
    drawn = chart(history, forecast)
    assert drawn.top == 40 and [tick.value for tick in drawn.counts] == [0, 10, 20, 30, 40]
    assert drawn.counts[0].y == CHART_HEIGHT and drawn.counts[-1].y == 0
    assert len(drawn.days) == 21 and drawn.days[14].weekday == 3 and drawn.days[14].date == "02/10"
    assert drawn.days[14].x == drawn.split_x  # the forecast starts on its first day's tick
