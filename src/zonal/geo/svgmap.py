"""An accessible, self-contained SVG map of a registry's zones, optionally shaded by a value.

With boundaries the zones are drawn as projected polygons; without (the shipped Brussels
registry has none we may ship) the map is schematic: one circle per municipality at its
centroid, area proportional to its population, coloured by zone or by the zone's value. No
fonts, tiles or scripts are fetched, so the map works offline and in e-mails.

Every word the map shows passes through the caller's `gettext` as a literal call, so Babel's
extractor finds the messages while this module stays free of any web import.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pyproj import Transformer

from zonal.errors import InputError
from zonal.geo._geojson import polygons
from zonal.geo._svgparts import (
    category_colour,
    esc,
    fmt,
    swatches,
    value_colour,
    value_legend,
)
from zonal.geo.grid import choose_crs
from zonal.geo.model import Municipality, Zone, check_language
from zonal.geo.registry import ZoneRegistry

Floats = npt.NDArray[np.float64]
LEGEND_WIDTH = 210
MARGIN = 14
TITLE_HEIGHT = 34
MAX_LABELLED_ZONES = 20  # beyond this, labels cover the map: names stay in tooltips and aria
MAX_LISTED_ZONES = 30  # zones spelled out in <desc>
BOLD_CHARACTER_WIDTH = 7.2  # pixels, a generous average for 12 px bold sans-serif
Box = tuple[float, float, float, float]
Translate = Callable[[str], str]


def _english(message: str) -> str:
    return message


@dataclass(frozen=True)
class _Style:
    """What every layer needs: the registry, a fill and an accessible label per zone."""

    registry: ZoneRegistry
    shades: dict[str, str]
    labels: dict[str, str]
    language: str
    gettext: Translate

    def group(self, number: str, inner: str) -> str:
        label = esc(self.labels[number])
        return (
            f'<g aria-label="{label}" data-zone="{esc(number)}"><title>{label}</title>{inner}</g>'
        )


@dataclass(frozen=True)
class _Frame:
    """Projects lon/lat to SVG pixels: metres in a local projection, scaled to the map box."""

    transformer: Transformer
    scale: float
    offset_x: float
    offset_y: float

    @classmethod
    def fit(cls, lon: Floats, lat: Floats, box: Box) -> _Frame:
        transformer = Transformer.from_crs(4326, choose_crs(lon, lat), always_xy=True)
        x, y = transformer.transform(lon, lat)
        left, top, right, bottom = box
        span_x, span_y = float(np.ptp(x)), float(np.ptp(y))
        scale = min((right - left) / max(span_x, 1.0), (bottom - top) / max(span_y, 1.0))
        offset_x = (left + right) / 2 - scale * (float(x.min()) + span_x / 2)
        offset_y = (top + bottom) / 2 + scale * (float(y.min()) + span_y / 2)
        return cls(transformer, scale, offset_x, offset_y)

    def px(self, lon: Floats, lat: Floats) -> tuple[Floats, Floats]:
        x, y = self.transformer.transform(lon, lat)
        return self.offset_x + self.scale * x, self.offset_y - self.scale * y


def render_zone_map(
    registry: ZoneRegistry,
    values: Mapping[str, float] | None = None,
    *,
    language: str = "en",
    width: int = 720,
    height: int = 560,
    title: str,
    value_label: str = "Value",
    gettext: Translate | None = None,
) -> str:
    """An SVG map of the registry's zones, shaded by `values` (zone number -> number) if given.

    Args:
        registry: the zones to draw; polygons when it has boundaries, else a schematic map.
        values: a number per zone (missing or NaN: "no data"); keys must be zone numbers.
        language: nl, fr, de or en, for zone and municipality names.
        width, height: size in pixels (at least 320 x 240).
        title: the map's title, shown and read out by screen readers.
        value_label: what the values are, for the legend ("Incidents per 1,000"); pass it
            translated, like `title`.
        gettext: translates the map's own words (legend, "no data", the description);
            None keeps them in English. Placeholders are filled after translation.

    Returns:
        The SVG document as text, with role="img", <title>, <desc> and one labelled <g> per zone.
    """
    check_language(language)
    if width < 320 or height < 240:
        raise InputError(f"map size {width}x{height} is too small; use at least 320x240 pixels")
    gettext = gettext or _english
    labels = _labels(registry, values, language, gettext)
    style = _Style(registry, _shades(registry, values), labels, language, gettext)
    box = (MARGIN, TITLE_HEIGHT + MARGIN, width - LEGEND_WIDTH - MARGIN, height - MARGIN)
    if registry.has_geometry():
        body = _polygon_layer(style, box)
    else:
        body = _schematic_layer(style, box)
    legend = _legend(style, values, width - LEGEND_WIDTH + 4, value_label)
    desc = _description(style, values, value_label)
    return _document(title, desc, body + legend, width, height)


def _shades(registry: ZoneRegistry, values: Mapping[str, float] | None) -> dict[str, str]:
    if values is None:
        return {number: category_colour(i) for i, number in enumerate(registry.zones)}
    unknown = sorted(set(values) - set(registry.zones))
    if unknown:
        raise InputError(
            f"values for zone(s) {', '.join(unknown)} that the registry does not have;"
            " key the values by zone number"
        )
    low, high = _range(values)
    return {n: value_colour(_value(values, n), low, high) for n in registry.zones}


def _range(values: Mapping[str, float]) -> tuple[float, float]:
    known = [v for v in (_value(values, n) for n in values) if v is not None]
    return (min(known), max(known)) if known else (0.0, 0.0)


def _value(values: Mapping[str, float] | None, number: str) -> float | None:
    value = None if values is None else values.get(number)
    return float(value) if value is not None and math.isfinite(value) else None


def _labels(
    registry: ZoneRegistry,
    values: Mapping[str, float] | None,
    language: str,
    gettext: Translate,
) -> dict[str, str]:
    labels = {}
    for number, zone in registry.zones.items():
        if values is None:
            shown = _municipality_count(len(zone.municipalities), gettext)
        else:
            value = _value(values, number)
            shown = gettext("no data") if value is None else fmt(value)
        labels[number] = f"{zone.name(language)}: {shown}"
    return labels


def _municipality_count(count: int, gettext: Translate) -> str:
    # Many Walloon and Flemish zones are a single municipality: say so in the singular.
    if count == 1:
        return gettext("1 municipality")
    return gettext("%(count)s municipalities") % {"count": fmt(count)}


def _polygon_layer(style: _Style, box: Box) -> str:
    zones = style.registry.zones.values()
    points = np.concatenate([ring for zone in zones for part in _parts(zone) for ring in part])
    frame = _Frame.fit(points[:, 0], points[:, 1], box)
    labelled = len(style.registry.zones) <= MAX_LABELLED_ZONES
    groups, texts = [], []
    for zone in zones:
        paths, anchor = _zone_paths(zone, frame)
        shape = (
            f'<path d="{paths}" fill="{style.shades[zone.number]}" fill-rule="evenodd"'
            ' stroke="#FFFFFF" stroke-width="0.8"/>'
            if paths
            else ""
        )
        groups.append(style.group(zone.number, shape))
        if labelled:
            texts.append(_text_label(zone.name(style.language), anchor, box))
    return "".join(groups) + _label_layer(texts)


def _parts(zone: Zone) -> list[list[Floats]]:
    return polygons(zone.geometry) if zone.geometry is not None else []


def _zone_paths(zone: Zone, frame: _Frame) -> tuple[str, tuple[float, float] | None]:
    commands: list[str] = []
    best, anchor = 0.0, None
    for part in _parts(zone):
        x, y = frame.px(part[0][:, 0], part[0][:, 1])
        area, centre = _area_centre(x, y)
        if area > best:
            best, anchor = area, centre
        for ring in part:
            points = _thin(*frame.px(ring[:, 0], ring[:, 1]))
            if len(points) >= 3:
                commands.append("M" + " ".join(f"{a:.1f},{b:.1f}" for a, b in points) + "Z")
    return "".join(commands), anchor


def _thin(x: Floats, y: Floats) -> list[tuple[float, float]]:
    # Vertices closer than half a pixel are invisible and only make the file heavy.
    kept: list[tuple[float, float]] = []
    for a, b in zip(np.round(x, 1).tolist(), np.round(y, 1).tolist(), strict=True):
        if not kept or abs(a - kept[-1][0]) + abs(b - kept[-1][1]) >= 0.5:
            kept.append((a, b))
    return kept


def _area_centre(x: Floats, y: Floats) -> tuple[float, tuple[float, float]]:
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    area = float(cross.sum()) / 2
    if abs(area) < 1e-9:
        return 0.0, (float(x.mean()), float(y.mean()))
    centre_x = float(((x[:-1] + x[1:]) * cross).sum()) / (6 * area)
    centre_y = float(((y[:-1] + y[1:]) * cross).sum()) / (6 * area)
    return abs(area), (centre_x, centre_y)


def _schematic_layer(style: _Style, box: Box) -> str:
    located = [m for m in style.registry.municipalities.values() if m.lon is not None]
    if not located:
        centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        note = esc(style.gettext("No boundaries or centroids to draw."))
        empty = "".join(style.group(number, "") for number in style.registry.zones)
        return (
            f'<text x="{centre_x:.1f}" y="{centre_y:.1f}" text-anchor="middle">{note}</text>{empty}'
        )
    biggest = min(box[2] - box[0], box[3] - box[1]) * 0.07
    inner = (box[0] + biggest, box[1] + biggest, box[2] - biggest, box[3] - biggest)
    lon = np.array([m.lon for m in located], dtype=np.float64)
    lat = np.array([m.lat for m in located], dtype=np.float64)
    x, y = _Frame.fit(lon, lat, inner).px(lon, lat)
    radii = _radii(located, biggest)
    groups, texts = [], []
    for number in style.registry.zones:
        members = [i for i, m in enumerate(located) if m.zone == number]
        circles = "".join(
            _circle(x[i], y[i], radii[i], style.shades[number], located[i].name(style.language))
            for i in members
        )
        groups.append(style.group(number, circles))
        anchor = _weighted_centre(x, y, radii, members)
        name = style.registry.zones[number].name(style.language)
        texts.append(_text_label(name, anchor, box))
    return "".join(groups) + _label_layer(texts)


def _circle(x: float, y: float, radius: float, fill: str, name: str) -> str:
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" stroke="#FFFFFF"'
        f' stroke-width="1"><title>{esc(name)}</title></circle>'
    )


def _radii(located: list[Municipality], biggest: float) -> Floats:
    # Circle area proportional to population; an unknown population gets a middle-sized circle.
    populations = np.array([m.population or 0 for m in located], dtype=np.float64)
    top = float(populations.max())
    if top <= 0:
        return np.full(len(located), biggest * 0.5)
    radii = np.maximum(biggest * np.sqrt(populations / top), 2.0)
    return np.where(populations > 0, radii, biggest * 0.5)


def _weighted_centre(
    x: Floats, y: Floats, radii: Floats, members: list[int]
) -> tuple[float, float] | None:
    if not members:
        return None
    weights = radii[members] ** 2
    centre_x = float(np.average(x[members], weights=weights))
    return centre_x, float(np.average(y[members], weights=weights))


def _label_layer(texts: list[str]) -> str:
    # Drawn after every zone's shapes, so no circle or polygon of a later zone hides a name.
    # Hidden from screen readers: each zone's group already carries its name as aria-label.
    return f'<g class="labels" aria-hidden="true">{"".join(texts)}</g>' if any(texts) else ""


def _text_label(name: str, anchor: tuple[float, float] | None, box: Box) -> str:
    if anchor is None:
        return ""
    # Shifted sideways so a long name near the edge stays on the map, out of the legend.
    half = len(name) * BOLD_CHARACTER_WIDTH / 2
    left, right = box[0] + half, box[2] - half
    x = min(max(anchor[0], left), right) if left <= right else (box[0] + box[2]) / 2
    return (
        f'<text x="{x:.1f}" y="{anchor[1]:.1f}" text-anchor="middle" font-weight="bold"'
        f' stroke="#FFFFFF" stroke-width="3" paint-order="stroke">{esc(name)}</text>'
    )


def _legend(style: _Style, values: Mapping[str, float] | None, x: float, heading: str) -> str:
    y = TITLE_HEIGHT + MARGIN + 12
    registry, gettext = style.registry, style.gettext
    if values is not None:
        low, high = _range(values)
        missing = any(_value(values, n) is None for n in registry.zones)
        no_data = gettext("no data") if missing else None
        legend, rows = value_legend(x, y, low, high, heading, no_data)
    elif len(registry.zones) <= MAX_LABELLED_ZONES:
        zones = registry.zones.values()
        entries = [(style.shades[z.number], f"{z.number} {z.name(style.language)}") for z in zones]
        legend, rows = swatches(x, y, gettext("Police zones"), entries), len(entries)
    else:
        legend, rows = "", 0
    if registry.has_geometry():
        return legend
    note_y = y + 30 + rows * 20
    note = esc(gettext("Circle area: population"))
    return legend + f'<text x="{x:.1f}" y="{note_y:.1f}">{note}</text>'


def _description(style: _Style, values: Mapping[str, float] | None, value_label: str) -> str:
    registry, gettext = style.registry, style.gettext
    counts = {
        "zones": fmt(len(registry.zones)),
        "municipalities": fmt(len(registry.municipalities)),
    }
    if registry.has_geometry():
        overview = gettext(
            "Map of %(zones)s police zones and %(municipalities)s municipalities,"
            " drawn with their boundaries."
        )
    else:
        overview = gettext(
            "Map of %(zones)s police zones and %(municipalities)s municipalities, drawn"
            " schematically (no boundaries): one circle per municipality at its centre,"
            " area proportional to its population."
        )
    sentences = [overview % counts, _shading(style, values, value_label)]
    if len(registry.zones) <= MAX_LISTED_ZONES:
        sentences.append("; ".join(style.labels[n] for n in registry.zones) + ".")
    undrawn = sum(1 for zone in registry.zones.values() if zone.geometry is None)
    if registry.has_geometry() and undrawn == 1:
        sentences.append(gettext("1 zone has no boundary and is not drawn."))
    elif registry.has_geometry() and undrawn:
        missing = gettext("%(count)s zones have no boundary and are not drawn.")
        sentences.append(missing % {"count": fmt(undrawn)})
    return " ".join(sentences)


def _shading(style: _Style, values: Mapping[str, float] | None, value_label: str) -> str:
    gettext = style.gettext
    if values is None:
        return gettext("Each zone has its own colour.")
    if any(_value(values, n) is not None for n in style.registry.zones):
        low, high = _range(values)
        sentence = gettext("Zones are shaded by %(what)s, from %(low)s (dark) to %(high)s (light).")
        return sentence % {"what": value_label, "low": fmt(low), "high": fmt(high)}
    return gettext("No zone has a value for %(what)s.") % {"what": value_label}


def _document(title: str, desc: str, body: str, width: int, height: int) -> str:
    # Ids derived from the title stay stable and differ between maps on one page.
    key = "zonemap-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" aria-labelledby="{key}-title {key}-desc"'
        ' font-family="sans-serif" font-size="12">'
        f'<title id="{key}-title">{esc(title)}</title><desc id="{key}-desc">{esc(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>'
        f'<text x="{MARGIN}" y="{TITLE_HEIGHT - 10}" font-size="16" font-weight="bold">'
        f"{esc(title)}</text>{body}</svg>"
    )
