"""Small explicit fixtures for the operational and growth KPI tests.

Rows are written as dicts with only the columns a test cares about; every
other canonical column gets a neutral default (null, or the contract's minimum).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from tests.transforms._metric_rows import row, run, segments  # noqa: F401 (re-exported)
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
    for number, given in enumerate(rows, start=1):
        full = {column: None for column in schema}
        full[id_column] = f"{name[0]}{number}"
        full.update(DEFAULTS.get(name, {}))
        full.update(given)
        filled.append(full)
    return pl.DataFrame(filled, schema=schema).lazy()


def frames(**rows_by_entity: list[Row]) -> dict[str, pl.LazyFrame]:
    """Every canonical entity as a lazy frame; entities not given are empty."""
    return {name: entity(name, rows_by_entity.get(name, [])) for name in ENTITIES}
