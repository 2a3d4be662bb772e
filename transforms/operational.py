"""operational level KPIs (shared/kpi-catalogue.md). Placeholder: being implemented."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms.params import MetricParams
from transforms.periods import Period


def kpis(frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams) -> list[pl.LazyFrame]:
    return []
