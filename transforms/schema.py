"""The canonical schema of every entity (see shared/data-contract.md).

This is the one place that says which columns an entity has and of which type.
Readers cast to it, validation checks against it, transforms rely on it.
Timestamps are always ``Datetime("us", "UTC")`` inside the pipeline; the
reporting time zone is applied only by :class:`transforms.periods.Period`.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

TIMESTAMP = pl.Datetime("us", "UTC")

POLARS_TYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "ts": TIMESTAMP,
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of POLARS_TYPES
    nullable: bool = False

    @property
    def dtype(self) -> pl.DataType:
        return POLARS_TYPES[self.type]


def _cols(*specs: tuple[str, str, bool]) -> tuple[Column, ...]:
    return tuple(Column(name, type_, nullable) for name, type_, nullable in specs)


CANONICAL: dict[str, tuple[Column, ...]] = {
    "customers": _cols(
        ("customer_id", "str", False),
        ("created_at", "ts", False),
        ("churned_at", "ts", True),
        ("segment", "str", True),
    ),
    "orders": _cols(
        ("order_id", "str", False),
        ("customer_id", "str", False),
        ("ordered_at", "ts", False),
        ("amount", "float", False),
        ("currency", "str", False),
        ("status", "str", False),
    ),
    "tickets": _cols(
        ("ticket_id", "str", False),
        ("customer_id", "str", True),
        ("channel", "str", False),
        ("created_at", "ts", False),
        ("first_response_at", "ts", True),
        ("resolved_at", "ts", True),
        ("agent_id", "str", True),
        ("team", "str", True),
        ("category", "str", True),
        ("cjm_stage", "str", True),
        ("is_complaint", "bool", False),
        ("contacts", "int", False),
        ("reopens", "int", False),
        ("handle_seconds", "int", True),
    ),
    "agents": _cols(
        ("agent_id", "str", False),
        ("team", "str", True),
        ("hired_at", "ts", False),
        ("left_at", "ts", True),
    ),
    "trainings": _cols(
        ("agent_id", "str", False),
        ("completed_at", "ts", False),
        ("hours", "float", False),
        ("course", "str", True),
    ),
    "survey_responses": _cols(
        ("response_id", "str", False),
        ("survey", "str", False),
        ("score", "int", False),
        ("submitted_at", "ts", False),
        ("customer_id", "str", True),
        ("ticket_id", "str", True),
        ("agent_id", "str", True),
        ("channel", "str", True),
        ("comment", "str", True),
    ),
    "costs": _cols(
        ("period", "str", False),
        ("cost_center", "str", True),
        ("amount", "float", False),
    ),
}

REQUIRED_ENTITIES = ("customers", "orders", "tickets", "agents", "trainings", "survey_responses")
OPTIONAL_ENTITIES = ("costs",)
ENTITIES = REQUIRED_ENTITIES + OPTIONAL_ENTITIES

CHANNELS = ("phone", "email", "chat", "social", "messenger", "chatbot")
CJM_STAGES = ("awareness", "evaluation", "purchase", "experience", "loyalty")
ORDER_STATUSES = ("paid", "refunded", "cancelled")
SURVEYS = ("csat", "ces", "nps", "enps")


def polars_schema(entity: str) -> pl.Schema:
    """The Polars schema of a canonical entity, columns in contract order."""
    return pl.Schema({c.name: c.dtype for c in CANONICAL[entity]})


def empty_frame(entity: str) -> pl.DataFrame:
    """A zero-row frame of a canonical entity (e.g. for an absent optional export)."""
    return pl.DataFrame(schema=polars_schema(entity))
