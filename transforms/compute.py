"""Every KPI of the catalogue for one period, collected once."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms import customer, financial, growth, operational
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import conform

Frames = Mapping[str, pl.LazyFrame]


def metric_plan(frames: Frames, period: Period, params: MetricParams) -> list[pl.LazyFrame]:
    """The lazy queries of all four levels; nothing is computed yet."""
    parts: list[pl.LazyFrame] = []
    for level in (financial, customer, operational, growth):
        parts.extend(level.kpis(frames, period, params))
    return [conform(part) for part in parts]


def compute_metrics(frames: Frames, period: Period, params: MetricParams) -> pl.DataFrame:
    """All metric rows ``(kpi, segment, value, n)`` of ``period``, sorted by kpi and segment."""
    plan = metric_plan(frames, period, params)
    collected = pl.collect_all(plan)
    return pl.concat(collected).sort("kpi", "segment")
