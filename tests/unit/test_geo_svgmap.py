"""The SVG zone map: accessible, offline, escaped, polygons when there are boundaries."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from zonal.errors import InputError
from zonal.geo import (
    Municipality,
    Zone,
    ZoneRegistry,
    default_registry,
    load_flemish_open_data,
    render_zone_map,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def zone_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.attrib["data-zone"]: g for g in root.iter(f"{SVG}g") if "data-zone" in g.attrib}


def test_the_map_is_an_accessible_image_with_title_and_description() -> None:
    root = parse(render_zone_map(default_registry(), title="Police zones of Brussels"))
    assert root.attrib["role"] == "img"
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    assert root.find(f"{SVG}title").attrib["id"] == title_id
    assert root.find(f"{SVG}title").text == "Police zones of Brussels"
    assert root.find(f"{SVG}desc").attrib["id"] == desc_id
    assert "6 police zones and 19 municipalities" in root.find(f"{SVG}desc").text


def test_the_six_brussels_zones_appear_with_their_names_as_a_schematic_map() -> None:
    root = parse(render_zone_map(default_registry(), title="Brussels"))
    groups = zone_groups(root)
    assert set(groups) == {"5339", "5340", "5341", "5342", "5343", "5344"}
    assert groups["5343"].attrib["aria-label"] == "Montgomery: 3 municipalities"
    assert len(groups["5340"].findall(f"{SVG}circle")) == 5  # one circle per municipality
    assert not list(root.iter(f"{SVG}path"))
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert "Brussels-North" in texts and "Uccle/Watermael-Boitsfort/Auderghem" in texts


def test_names_follow_the_language() -> None:
    groups = zone_groups(parse(render_zone_map(default_registry(), language="nl", title="Zones")))
    assert groups["5344"].attrib["aria-label"].startswith("Brussel-Noord:")


def test_circle_area_follows_population() -> None:
    groups = zone_groups(parse(render_zone_map(default_registry(), title="Brussels")))
    radius = {
        c.find(f"{SVG}title").text: float(c.attrib["r"])
        for g in groups.values()
        for c in g.iter(f"{SVG}circle")
    }
    # Schaerbeek has about five times as many inhabitants as Koekelberg
    ratio = (radius["Schaerbeek"] / radius["Koekelberg"]) ** 2
    assert 5.0 < ratio < 7.0


def test_values_shade_the_zones_and_are_read_out() -> None:
    values = {"5339": 12.5, "5340": 3.0, "5341": math.nan}
    root = parse(
        render_zone_map(default_registry(), values, title="Incidents", value_label="Incidents")
    )
    groups = zone_groups(root)
    assert groups["5339"].attrib["aria-label"] == "Brussels-Capital/Ixelles: 12.5"
    assert groups["5341"].attrib["aria-label"] == "Midi: no data"
    fills = {n: g.find(f"{SVG}circle").attrib["fill"] for n, g in groups.items()}
    assert fills["5339"] != fills["5340"]
    assert fills["5341"] == fills["5342"]  # both without data
    description = root.find(f"{SVG}desc").text
    assert "shaded by Incidents, from 3 (dark) to 12.5 (light)" in description
    assert "no data" in {t.text for t in root.iter(f"{SVG}text")}  # the legend explains grey


FAKE_DUTCH = {
    "Police zones": "Politiezones",
    "Circle area: population": "Oppervlakte van de cirkel: bevolking",
    "no data": "geen gegevens",
    "%(count)s municipalities": "%(count)s gemeenten",
    "Each zone has its own colour.": "Elke zone heeft een eigen kleur.",
    "Zones are shaded by %(what)s, from %(low)s (dark) to %(high)s (light).": (
        "Kleur volgens %(what)s, van %(low)s (donker) tot %(high)s (licht)."
    ),
}


def fake_dutch(message: str) -> str:
    """A stand-in translator: known messages in Dutch, the rest marked so leaks show."""
    return FAKE_DUTCH.get(message, f"NL[{message}]")


def all_text(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def test_the_maps_own_words_are_translated() -> None:
    root = parse(render_zone_map(default_registry(), title="Zones", gettext=fake_dutch))
    shown = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Politiezones", "Oppervlakte van de cirkel: bevolking"} <= shown
    assert zone_groups(root)["5340"].attrib["aria-label"] == "Brussels-West: 5 gemeenten"
    description = root.find(f"{SVG}desc").text
    assert "Elke zone heeft een eigen kleur." in description
    assert "NL[Map of 6 police zones and 19 municipalities, drawn schematically" in description
    english = render_zone_map(default_registry(), title="Zones")
    assert "Police zones" in english and "Politiezones" not in english


def test_placeholders_are_filled_after_translation() -> None:
    values = {"5339": 12.5, "5340": 3.0, "5341": math.nan}
    root = parse(
        render_zone_map(
            default_registry(), values, title="x", value_label="Incidenten", gettext=fake_dutch
        )
    )
    description = root.find(f"{SVG}desc").text
    assert "Kleur volgens Incidenten, van 3 (donker) tot 12.5 (licht)." in description
    assert zone_groups(root)["5341"].attrib["aria-label"] == "Midi: geen gegevens"
    assert "geen gegevens" in all_text(root) and "no data" not in all_text(root)


def legend_labels(root: ET.Element) -> list[str]:
    legend = next(g for g in root.iter(f"{SVG}g") if g.attrib.get("class") == "legend")
    return [t.text or "" for t in legend.findall(f"{SVG}text")][1:]  # after the heading


def test_a_legend_of_counts_shows_whole_numbers() -> None:
    counts = dict(
        zip(default_registry().zones, [9000, 12000, 25999, 31000, 40383, 18231], strict=True)
    )
    root = parse(render_zone_map(default_registry(), counts, title="x"))
    assert legend_labels(root) == ["9,000", "16,846", "24,692", "32,537", "40,383"]


def test_a_narrow_range_of_counts_lists_each_whole_number_once() -> None:
    root = parse(render_zone_map(default_registry(), {"5339": 0, "5340": 2}, title="x"))
    assert legend_labels(root) == ["0", "1", "2", "no data"]


def test_a_legend_of_rates_keeps_its_decimals() -> None:
    root = parse(render_zone_map(default_registry(), {"5339": 0.5, "5340": 2.5}, title="x"))
    assert legend_labels(root) == ["0.5", "1", "1.5", "2", "2.5", "no data"]


def test_no_circle_is_drawn_over_a_zone_label() -> None:
    svg = render_zone_map(default_registry(), title="Brussels")
    last_circle = svg.rindex("<circle")
    labels = [svg.index(f">{name}</text>") for name in ("Brussels-North", "Midi", "Montgomery")]
    assert all(position > last_circle for position in labels)


def test_values_for_unknown_zones_are_refused() -> None:
    with pytest.raises(InputError, match="zone\\(s\\) 9999 that the registry does not have"):
        render_zone_map(default_registry(), {"9999": 1.0}, title="x")


def test_all_text_is_escaped() -> None:
    zone = Zone("1", "<b>&", "<b>&", None, None, "federal", ("21004",), (), None)
    town = Municipality("21004", 'A "quoted" <town>', "A", None, "1", 50.8, 4.3, 100, 1.0)
    svg = render_zone_map(
        ZoneRegistry([zone], [town]), title="<script>alert(1)</script>", language="nl"
    )
    root = parse(svg)  # well-formed despite the markup in the names
    assert "<script>" not in svg and "<b>" not in svg
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    assert zone_groups(root)["1"].attrib["aria-label"] == "<b>&: 1 municipality"


def test_the_map_needs_no_internet() -> None:
    svg = render_zone_map(default_registry(), title="Brussels")
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_registry_without_any_location_still_renders() -> None:
    zone = Zone("1", "A", "A", None, None, "federal", ("21004",), (), None)
    town = Municipality("21004", "A", "A", None, "1", None, None, None, None)
    root = parse(render_zone_map(ZoneRegistry([zone], [town]), title="Empty"))
    assert set(zone_groups(root)) == {"1"}


@pytest.mark.parametrize(("width", "height"), [(100, 560), (720, 10)])
def test_a_tiny_map_is_refused(width: int, height: int) -> None:
    with pytest.raises(InputError, match="too small"):
        render_zone_map(default_registry(), width=width, height=height, title="x")


@pytest.mark.shared_data
def test_polygons_are_drawn_for_the_flemish_registry(shared_data: Path) -> None:
    registry = load_flemish_open_data(shared_data / "belgium")
    values = {number: float(i) for i, number in enumerate(registry.zones)}
    root = parse(render_zone_map(registry, values, width=900, height=500, title="Flanders"))
    groups = zone_groups(root)
    assert len(groups) == 107
    assert all(g.find(f"{SVG}path") is not None for g in groups.values())
    assert not list(root.iter(f"{SVG}circle"))
    for path in root.iter(f"{SVG}path"):
        numbers = [
            float(v)
            for token in path.attrib["d"].replace("M", " ").replace("Z", " ").split()
            for v in token.split(",")
        ]
        assert 0 <= min(numbers) and max(numbers) <= 900  # inside the canvas
