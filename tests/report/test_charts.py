"""SVG charts: gaps break lines, labels are escaped, ticks cover the data."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

from scorecard.report import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_a_missing_period_breaks_the_sparkline() -> None:
    svg = ET.fromstring(charts.sparkline([1.0, 2.0, None, 3.0, 4.0, 5.0], "red"))
    lines = svg.findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 3]
    last_dot = svg.findall(f"{SVG}circle")[-1]
    assert last_dot.get("fill") == charts.STATUS_COLOURS["red"]


def test_a_sparkline_without_values_is_a_dashed_baseline() -> None:
    svg = ET.fromstring(charts.sparkline([None, None], "grey"))
    assert svg.findall(f"{SVG}polyline") == []
    assert svg.find(f"{SVG}line").get("stroke-dasharray") == "4 3"


def test_bar_labels_from_the_data_are_text_not_markup() -> None:
    hostile = '<image href="http://127.0.0.1:9/x"/>'
    svg_text = charts.bar_chart(
        [hostile, "b2b"], [10.0, None], ["green", "grey"], format_value=lambda v: f"{v}"
    )
    svg = ET.fromstring(svg_text)  # still well-formed XML
    assert svg.findall(f".//{SVG}image") == []
    labels = [t.text for t in svg.findall(f"{SVG}text")]
    assert hostile[:21] + "…" in labels  # printed as text, clipped at 22 characters
    assert len(svg.findall(f"{SVG}rect")) == 1  # no bar for the missing value


def test_trend_ticks_cover_the_values_and_the_target() -> None:
    values = [41.0, 43.5, None, 44.0]
    svg = charts.trend_chart(
        values, ["a", "b", "c", "d"], target=45.0, target_label="target",
        format_tick=lambda v: f"{v:g}",
    )
    ticks = [float(t) for t in re.findall(r'text-anchor="end">([\d.]+)<', svg)]
    assert min(ticks) <= 41.0 and max(ticks) >= 45.0
    # range 41..45 over 4 steps: raw step 1, a nice step of 1 → ticks 41, 42, 43, 44, 45
    assert ticks == [41.0, 42.0, 43.0, 44.0, 45.0]


def test_data_uri_decodes_to_the_svg() -> None:
    svg = charts.sparkline([1.0, 2.0], "green")
    uri = charts.data_uri(svg)
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix):]).decode() == svg
