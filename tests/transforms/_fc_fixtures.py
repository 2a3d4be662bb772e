"""Small explicit fixtures for the financial, customer and comparison tests.

Rows are built by the helpers below with only the columns a test cares about;
every other canonical column gets a neutral default. Instants are written as
``"2026-10-01 00:00"`` in UTC unless a helper says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from tests.transforms._metric_rows import row, run, segments  # noqa: F401 (re-exported)
from transforms.schema import ENTITIES, polars_schema

Row = dict[str, Any]


def utc(text: str) -> datetime:
    """An aware UTC instant from ``"2026-10-01 09:00"``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, tz: str) -> datetime:
    """The UTC instant of a wall-clock time in ``tz``."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _instant(value: str | datetime | None) -> datetime | None:
    return utc(value) if isinstance(value, str) else value


def customer(
    customer_id: str,
    created: str | datetime = "2020-01-01 00:00",
    churned: str | datetime | None = None,
    segment: str | None = None,
) -> Row:
    return {
        "customer_id": customer_id,
        "created_at": _instant(created),
        "churned_at": _instant(churned),
        "segment": segment,
    }


def order(customer_id: str, ordered: str | datetime, amount: float, status: str = "paid") -> Row:
    return {
        "customer_id": customer_id,
        "ordered_at": _instant(ordered),
        "amount": amount,
        "currency": "RUB",
        "status": status,
    }


def response(
    survey: str,
    score: int,
    submitted: str | datetime = "2026-10-15 12:00",
    channel: str | None = None,
    ticket_id: str | None = None,
) -> Row:
    return {
        "survey": survey,
        "score": score,
        "submitted_at": _instant(submitted),
        "channel": channel,
        "ticket_id": ticket_id,
    }


def ticket(created: str | datetime = "2026-10-15 12:00", **columns: Any) -> Row:
    """A ticket; ``resolved`` (a text instant) sets ``resolved_at``, other keys are columns."""
    resolved = columns.pop("resolved", None)
    return {
        "created_at": _instant(created),
        "resolved_at": _instant(resolved),
        "channel": "chat",
        "is_complaint": False,
        "contacts": 1,
        "reopens": 0,
        **columns,
    }


def entity(name: str, rows: list[Row]) -> pl.LazyFrame:
    """A canonical frame of ``name``; the id column is numbered when a row does not give one."""
    schema = polars_schema(name)
    id_column = next(iter(schema))
    filled = []
    for number, given in enumerate(rows, start=1):
        full: Row = {column: None for column in schema}
        full[id_column] = f"{name[0]}{number}"
        full.update(given)
        filled.append(full)
    return pl.DataFrame(filled, schema=schema).lazy()


def frames(**rows_by_entity: list[Row]) -> dict[str, pl.LazyFrame]:
    """Every required entity as a lazy frame (empty when not given); ``costs`` only when given."""
    names = [name for name in ENTITIES if name != "costs" or name in rows_by_entity]
    return {name: entity(name, rows_by_entity.get(name, [])) for name in names}
