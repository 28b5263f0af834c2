"""Colours, legend and text helpers of the SVG zone map.

Palettes are colour-blind safe: Okabe-Ito for zones (categories) and viridis for values
(a sequential scale that stays ordered in grey and for every common colour-vision deficiency).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

OKABE_ITO: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
)
_VIRIDIS: tuple[tuple[int, int, int], ...] = (
    (68, 1, 84),
    (59, 82, 139),
    (33, 145, 140),
    (94, 201, 98),
    (253, 231, 37),
)
NO_DATA = "#E0E0E0"
LEGEND_STEPS = 5
LEGEND_CHARACTERS = 30


def esc(text: object) -> str:
    """Text made safe for SVG element content and attribute values."""
    return html.escape(str(text), quote=True)


def fmt(value: float) -> str:
    """A value as people read it: 1,234 or 12.5."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def category_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def value_colour(value: float | None, low: float, high: float) -> str:
    """The viridis colour of `value` on the scale low..high; grey when there is no value."""
    if value is None or not math.isfinite(value):
        return NO_DATA
    share = 0.0 if high == low else (value - low) / (high - low)
    position = min(max(share, 0.0), 1.0) * (len(_VIRIDIS) - 1)
    below = min(int(position), len(_VIRIDIS) - 2)
    mix = position - below
    rgb = [
        round(a + (b - a) * mix) for a, b in zip(_VIRIDIS[below], _VIRIDIS[below + 1], strict=True)
    ]
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def value_legend(
    x: float, y: float, low: float, high: float, heading: str, no_data: str | None
) -> tuple[str, int]:
    """Swatches for the steps of the scale, and `no_data` (if given) for zones without a value.

    Returns the legend and its number of rows, so what follows it can be placed below.
    """
    rows = [(value_colour(step, low, high), fmt(step)) for step in legend_steps(low, high)]
    if no_data is not None:
        rows.append((NO_DATA, no_data))
    return swatches(x, y, heading, rows), len(rows)


def legend_steps(low: float, high: float) -> list[float]:
    """LEGEND_STEPS equal steps from low to high, whole numbers when both ends are whole.

    Counts read as "40,384", never "40,383.75"; steps that round to the same whole number
    are shown once, so a range of 0..2 gives 0, 1, 2 rather than five rows.
    """
    if high == low:
        return [low]
    exact = [low + (high - low) * i / (LEGEND_STEPS - 1) for i in range(LEGEND_STEPS)]
    if not (float(low).is_integer() and float(high).is_integer()):
        return [round(value, 2) for value in exact]
    # Half-up rather than round()'s half-to-even: 2.5 incidents reads as 3.
    return sorted({float(math.floor(value + 0.5)) for value in exact})


def swatches(x: float, y: float, heading: str, rows: Sequence[tuple[str, str]]) -> str:
    """A legend: a heading and one coloured square with its label per row."""
    parts = [
        f'<g class="legend"><text x="{x:.1f}" y="{y:.1f}" font-weight="bold">{esc(heading)}</text>'
    ]
    for i, (colour, label) in enumerate(rows):
        top = y + 10 + i * 20
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="14" height="14" fill="{colour}"'
            ' stroke="#333333"/>'
            f'<text x="{x + 20:.1f}" y="{top + 11:.1f}">{_fit(label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _fit(label: str) -> str:
    # The legend column is about 30 characters wide; the full name stays in a tooltip.
    if len(label) <= LEGEND_CHARACTERS:
        return esc(label)
    return f"{esc(label[: LEGEND_CHARACTERS - 1])}…<title>{esc(label)}</title>"
