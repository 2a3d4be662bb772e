"""Small explicit fixtures for the operational and growth KPI tests.

Rows are written as dicts with only the columns a test cares about; every
other canonical column gets a neutral default (null, or the contract's minimum).
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import polars as pl

from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import conform
from transforms.schema import ENTITIES, polars_schema

Row = dict[str, Any]

DEFAULTS: dict[str, Row] = {
    "tickets": {"channel": "chat", "is_complaint": False, "contacts": 1, "reopens": 0},
    "agents": {},
    "trainings": {},
    "survey_responses": {},
}


def utc(text: str) -> datetime:
    """An aware UTC instant from ``"2026-10-01 09:00"`` (seconds and fractions allowed)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def entity(name: str, rows: list[Row]) -> pl.LazyFrame:
    """A canonical frame of ``name``; ids are numbered when a row does not give one."""
    schema = polars_schema(name)
    id_column = next(iter(schema))
    filled = []
    for number, row in enumerate(rows, start=1):
        full = {column: None for column in schema}
        full[id_column] = f"{name[0]}{number}"
        full.update(DEFAULTS.get(name, {}))
        full.update(row)
        filled.append(full)
    return pl.DataFrame(filled, schema=schema).lazy()


def frames(**rows_by_entity: list[Row]) -> dict[str, pl.LazyFrame]:
    """Every canonical entity as a lazy frame; entities not given are empty."""
    return {name: entity(name, rows_by_entity.get(name, [])) for name in ENTITIES}


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
    return {seg: (value, n) for seg, value, n in found.select("segment", "value", "n").rows()}
