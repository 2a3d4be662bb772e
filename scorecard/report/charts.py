"""Vector charts as small SVG documents: sparklines, a 12-period trend, bars by segment.

Pure functions from numbers to SVG text. Every label is escaped here, because
segment names come from the data; the report embeds each chart as a
``data:image/svg+xml`` image, which WeasyPrint draws faster than inline SVG.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from html import escape

STATUS_COLOURS: dict[str, str] = {
    "green": "#2e7d32", "amber": "#d98c00", "red": "#c62828", "grey": "#8a939c",
}
INK = "#1d2b3a"
LINE = "#1f5a8a"
GRID = "#dde3ea"
MUTED = "#66737f"
FONT = "Scorecard Sans, DejaVu Sans Condensed, DejaVu Sans, sans-serif"

Point = tuple[float, float]


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URL: besides packaged assets, the only URLs the renderer loads."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def sparkline(
    values: Sequence[float | None], status: str, width: int = 72, height: int = 18
) -> str:
    """A line over the periods with gaps where one has no value; the last point in status colour."""
    pad = 2.5
    points = _scale(values, width, height, pad, _bounds(values, None))
    body = "".join(_polyline(run, LINE, 1.2) for run in _runs(points))
    last = points[-1] if points else None
    if last is not None:
        colour = STATUS_COLOURS.get(status, STATUS_COLOURS["grey"])
        body += f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2.2" fill="{colour}"/>'
    if not any(p is not None for p in points):
        body = _line((pad, height / 2), (width - pad, height / 2), GRID, 1, dash=True)
    return _svg(width, height, body)


def trend_chart(
    values: Sequence[float | None],
    x_labels: Sequence[str],
    *,
    target: float | None,
    target_label: str,
    format_tick: Callable[[float], str],
    width: int = 340,
    height: int = 150,
) -> str:
    """A line chart of the last periods with gridlines, tick labels and a dashed target line."""
    left, right, top, bottom = 58, 10, 10, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = _bounds(values, target)
    ticks = _nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    def x_of(index: int) -> float:
        step = plot_w / max(len(values) - 1, 1)
        return left + index * step

    parts: list[str] = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(_line((left, y), (width - right, y), GRID, 0.8))
        parts.append(_text(left - 6, y + 3.5, format_tick(tick), anchor="end", size=9))
    label_size = 8.5 if len(values) < 10 else 7.5
    for index, label in enumerate(x_labels[-len(values):]):
        parts.append(_text(x_of(index), height - 6, label, anchor="middle", size=label_size))
    if target is not None:
        y = y_of(target)
        parts.append(_line((left, y), (width - right, y), STATUS_COLOURS["red"], 1, dash=True))
        parts.append(_text(width - right, y - 3, target_label, anchor="end", size=8,
                           colour=STATUS_COLOURS["red"]))
    points = [None if v is None else (x_of(i), y_of(v)) for i, v in enumerate(values)]
    parts.extend(_polyline(run, LINE, 2) for run in _runs(points))
    parts.extend(
        f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="2.4" fill="{LINE}"/>' for p in points if p
    )
    return _svg(width, height, "".join(parts))


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    statuses: Sequence[str],
    *,
    format_value: Callable[[float | None], str],
    width: int = 340,
    row_height: int = 20,
) -> str:
    """Horizontal bars, one per segment, in the segment's status colour, value at the bar's end."""
    label_w, value_w, top = 118, 62, 4
    height = top * 2 + row_height * len(labels)
    present = [v for v in values if v is not None]
    high = max([0.0, *present])
    low = min([0.0, *present])
    span = (high - low) or 1.0
    bar_area = width - label_w - value_w

    def x_of(value: float) -> float:
        return label_w + (value - low) / span * bar_area

    parts: list[str] = []
    for index, (label, value, status) in enumerate(zip(labels, values, statuses, strict=True)):
        y = top + index * row_height
        parts.append(_text(label_w - 6, y + row_height * 0.65, _clip(label, 22), anchor="end",
                           size=9, colour=INK))
        if value is not None:
            x0, x1 = sorted((x_of(0.0), x_of(value)))
            colour = STATUS_COLOURS.get(status, STATUS_COLOURS["grey"])
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 3:.1f}" width="{max(x1 - x0, 0.8):.1f}" '
                f'height="{row_height - 6}" rx="2" fill="{colour}"/>'
            )
        parts.append(_text(width - value_w + 4, y + row_height * 0.65, format_value(value),
                           size=9, colour=INK))
    parts.append(_line((x_of(0.0), top), (x_of(0.0), height - top), MUTED, 0.8))
    return _svg(width, height, "".join(parts))


# --- geometry -------------------------------------------------------------------------
def _bounds(values: Sequence[float | None], target: float | None) -> tuple[float, float]:
    present = [v for v in values if v is not None and math.isfinite(v)]
    if target is not None:
        present.append(target)
    if not present:
        return 0.0, 1.0
    low, high = min(present), max(present)
    if low == high:
        margin = abs(low) * 0.1 or 1.0
        return low - margin, high + margin
    return low, high


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of ten."""
    raw_step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    steps = round((last - first) / step)
    return [first + i * step for i in range(steps + 1)]


def _scale(
    values: Sequence[float | None], width: float, height: float, pad: float,
    bounds: tuple[float, float],
) -> list[Point | None]:
    low, high = bounds
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    scale = (height - 2 * pad) / (high - low)
    return [
        None if v is None else (pad + i * step, pad + (high - v) * scale)
        for i, v in enumerate(values)
    ]


def _runs(points: Sequence[Point | None]) -> list[list[Point]]:
    """Consecutive present points; a missing period breaks the line."""
    runs: list[list[Point]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


# --- SVG text -------------------------------------------------------------------------
def _svg(width: float, height: float, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{body}</svg>'
    )


def _polyline(points: Sequence[Point], colour: str, stroke: float) -> str:
    if len(points) == 1:
        x, y = points[0]
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{stroke}" fill="{colour}"/>'
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{stroke}" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _line(a: Point, b: Point, colour: str, stroke: float, dash: bool = False) -> str:
    dashes = ' stroke-dasharray="4 3"' if dash else ""
    return (
        f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
        f'stroke="{colour}" stroke-width="{stroke}"{dashes}/>'
    )


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: float = 9,
    colour: str = MUTED,
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'fill="{colour}" text-anchor="{anchor}">{escape(text)}</text>'
    )


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
