"""Reading a level module's metric rows in tests: shared by the financial/customer and
operational/growth fixtures."""

from __future__ import annotations

from types import ModuleType

import polars as pl

from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import conform


def run(
    level: ModuleType,
    data: dict[str, pl.LazyFrame],
    period: Period,
    params: MetricParams | None = None,
) -> pl.DataFrame:
    """Collect a level module's metric rows the way transforms.compute does."""
    parts = level.kpis(data, period, params or MetricParams(reporting_tz=period.tz))
    return pl.concat(pl.collect_all([conform(part) for part in parts]))


def row(rows: pl.DataFrame, kpi: str, segment: str = "all") -> tuple[float | None, int]:
    """(value, n) of the one row of ``kpi`` and ``segment``."""
    found = rows.filter((pl.col("kpi") == kpi) & (pl.col("segment") == segment))
    assert found.height == 1, f"{found.height} rows for {kpi} / {segment}"
    return found["value"][0], found["n"][0]


def segments(rows: pl.DataFrame, kpi: str) -> dict[str, tuple[float | None, int]]:
    """Every segment row of ``kpi`` (not "all") as {segment: (value, n)}."""
    found = rows.filter((pl.col("kpi") == kpi) & (pl.col("segment") != "all"))
    return {
        segment: (value, n) for segment, value, n in found.select("segment", "value", "n").rows()
    }
