"""Axes of the pages' SVG charts: round tick values, a count scale, one labelled tick per day.

Pure geometry (no web framework): the routes compute it, the templates draw it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

STEPS = (1, 2, 5, 10)  # a tick step is one of these times a power of ten


@dataclass(frozen=True)
class Tick:
    """A value on the count axis and its height in the chart (0 is the top)."""

    y: float
    value: float


@dataclass(frozen=True)
class DayTick:
    """Where a day starts on the time axis, how wide it is, and what to call it."""

    x: float
    width: float
    weekday: int  # 0 = Monday, for a translated name
    date: str  # dd/mm


def nice_ticks(top: float, most: int = 5, least_step: float = 0.0) -> list[float]:
    """Tick values from 0 to the first round value at or above `top`.

    Args:
        top: the largest value the axis must show (0 or less: an axis up to 1).
        most: at most this many intervals between ticks (more on a fractional step of 1).
        least_step: the smallest step, e.g. 1 for counts that are whole numbers.

    Returns:
        0, step, 2 x step, ... with a step of 1, 2 or 5 x 10^k, the last at or above `top`.
    """
    top = top if top > 0 else 1.0
    step = max(_round_step(top / most), least_step)
    count = math.ceil(top / step - 1e-9)
    return [_clean(i * step) for i in range(count + 1)]


def count_axis(top: float, height: float, least_step: float = 0.0) -> tuple[float, list[Tick]]:
    """The axis's highest value (its last tick) and the ticks placed on a chart `height` high."""
    values = nice_ticks(top, least_step=least_step)
    scale_top = values[-1]
    return scale_top, [Tick(round(height - v * height / scale_top, 1), v) for v in values]


def day_ticks(times: Sequence[datetime], step: float) -> list[DayTick]:
    """One tick at the first point and at each local midnight after it, `step` wide per point."""
    starts = [i for i, t in enumerate(times) if i == 0 or (t.hour == 0 and t.minute == 0)]
    ends = [*starts[1:], len(times)]
    return [
        DayTick(
            x=round(i * step, 1),
            width=round((end - i) * step, 1),
            weekday=times[i].weekday(),
            date=f"{times[i]:%d/%m}",
        )
        for i, end in zip(starts, ends, strict=True)
    ]


def _round_step(raw: float) -> float:
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in STEPS if m * power >= raw * (1 - 1e-9))


def _clean(value: float) -> float:
    # 3 x 0.1 is 0.30000000000000004 in binary floating point; ticks must print as 0.3
    return round(value, 10)
