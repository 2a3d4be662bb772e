"""The metric rows the report reads, as plain values, and which way each change points."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from scorecard.report.glossary import Direction, kpi_text

if TYPE_CHECKING:  # polars is a type here; importing it costs the renderer child ~1 s
    import polars as pl

Tone = Literal["good", "bad", "neutral"]
STATUSES = ("green", "amber", "red", "grey")

REQUIRED_COLUMNS = (
    "kpi", "segment", "value", "n", "prev_value", "prev_n", "yoy_value", "baseline_value",
    "trend", "change_prev", "significant", "low_sample", "target", "direction", "status",
)


@dataclass(frozen=True)
class MetricRow:
    """One (kpi, segment) row with its comparisons; NaN is read as null."""

    kpi: str
    segment: str
    value: float | None
    n: int | None
    prev_value: float | None
    yoy_value: float | None
    baseline_value: float | None
    trend: tuple[float | None, ...]
    significant: bool | None
    low_sample: bool
    target: float | None
    direction: Direction | None
    status: str

    @property
    def better(self) -> Direction | None:
        """The configured direction, else the KPI's natural one."""
        return self.direction or kpi_text(self.kpi).better

    def tone(self, reference: float | None) -> Tone:
        """Whether moving from ``reference`` to the current value is good news."""
        if self.value is None or reference is None or self.value == reference:
            return "neutral"
        if self.better is None:
            return "neutral"
        rose = self.value > reference
        return "good" if rose == (self.better == "higher") else "bad"


def read_metric_rows(metrics: pl.DataFrame) -> dict[tuple[str, str], MetricRow]:
    """Index the comparison frame by (kpi, segment)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in metrics.columns]
    if missing:
        raise ValueError(f"the metrics frame lacks column(s) {', '.join(missing)}")
    rows: dict[tuple[str, str], MetricRow] = {}
    for record in metrics.select(REQUIRED_COLUMNS).iter_rows(named=True):
        status = record["status"] if record["status"] in STATUSES else "grey"
        direction = record["direction"] if record["direction"] in ("higher", "lower") else None
        row = MetricRow(
            kpi=record["kpi"],
            segment=record["segment"],
            value=_number(record["value"]),
            n=record["n"],
            prev_value=_number(record["prev_value"]),
            yoy_value=_number(record["yoy_value"]),
            baseline_value=_number(record["baseline_value"]),
            trend=tuple(_number(v) for v in (record["trend"] or [])),
            significant=record["significant"],
            low_sample=bool(record["low_sample"]),
            target=_number(record["target"]),
            direction=direction,
            status=status,
        )
        rows[(row.kpi, row.segment)] = row
    return rows


def _number(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return float(value)
