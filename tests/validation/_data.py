"""A small, valid canonical data set for period 2026-10 (UTC), and helpers to break it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from transforms.periods import Period
from transforms.schema import polars_schema

PERIOD = Period.parse("2026-10")
FILES = {
    "customers": "customers.csv",
    "orders": "orders.csv",
    "tickets": "tickets.csv",
    "agents": "agents.csv",
    "trainings": "trainings.csv",
    "survey_responses": "survey.csv",
    "costs": "costs.csv",
}


def ts(day: str, clock: str = "10:00") -> datetime:
    """2026-10-05 10:00 UTC from ("2026-10-05", "10:00")."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=UTC)


def _frame(entity: str, rows: list[tuple]) -> pl.DataFrame:
    schema = polars_schema(entity)
    return pl.DataFrame(rows, schema=schema, orient="row")


def valid_frames() -> dict[str, pl.DataFrame]:
    """Every entity, every rule met.

    Tickets t9 and t10 were created and resolved before the period: t9 is still
    checked (survey response r6 names it), t10 lies outside the period's window.
    """
    return {
        "customers": _frame("customers", [
            ("c1", ts("2025-03-01"), None, "b2c"),
            ("c2", ts("2025-06-10"), None, "b2b"),
            ("c3", ts("2026-02-01"), ts("2026-10-15"), "vip"),
            ("c4", ts("2026-10-03"), None, None),
        ]),
        "orders": _frame("orders", [
            ("o1", "c1", ts("2026-10-02"), 1200.0, "RUB", "paid"),
            ("o2", "c2", ts("2026-10-05"), 300.0, "RUB", "refunded"),
            ("o3", "c3", ts("2026-09-20"), 800.0, "RUB", "paid"),
            ("o4", "c4", ts("2026-10-21"), 50.0, "RUB", "cancelled"),
            ("o5", "c1", ts("2026-10-25"), 0.0, "RUB", "paid"),
        ]),
        "tickets": _frame("tickets", [
            ("t1", "c1", "email", ts("2026-10-01", "09:00"), ts("2026-10-01", "11:00"), ts("2026-10-02"), "a1", "l1", "billing", "purchase", False, 1, 0, 600),
            ("t2", "c2", "phone", ts("2026-10-03"), ts("2026-10-03"), ts("2026-10-03", "10:30"), "a2", "l1", None, None, True, 2, 1, 0),
            ("t3", None, "chat", ts("2026-10-07"), ts("2026-10-07", "10:01"), None, "a1", None, None, "experience", False, 1, 0, None),
            ("t4", "c3", "chatbot", ts("2026-10-09"), ts("2026-10-09"), ts("2026-10-09", "10:05"), None, None, "faq", "awareness", False, 1, 0, None),
            ("t5", "c4", "social", ts("2026-09-28"), ts("2026-09-28", "12:00"), ts("2026-10-04"), "a2", "l2", None, "loyalty", False, 3, 0, 1200),
            ("t6", "c1", "messenger", ts("2026-10-20"), None, None, None, None, None, "evaluation", True, 1, 0, None),
            ("t7", "c2", "email", ts("2026-10-22"), ts("2026-10-23"), ts("2026-10-24"), "a1", "l1", None, None, False, 1, 0, 300),
            ("t8", "c3", "phone", ts("2026-08-15"), ts("2026-08-15"), None, "a2", "l2", None, None, False, 1, 0, None),
            ("t9", "c1", "chat", ts("2026-03-02"), ts("2026-03-02"), ts("2026-03-03"), "a1", "l1", None, None, False, 1, 0, 60),
            ("t10", "c2", "email", ts("2026-02-02"), ts("2026-02-02"), ts("2026-02-03"), "a1", "l1", None, None, False, 1, 0, 60),
        ]),
        "agents": _frame("agents", [
            ("a1", "l1", ts("2025-01-10"), None),
            ("a2", "l2", ts("2026-08-01"), ts("2026-10-20")),
            ("a3", "l1", ts("2026-10-12"), None),
        ]),
        "trainings": _frame("trainings", [
            ("a1", ts("2026-10-06"), 2.0, "empathy"),
            ("a3", ts("2026-10-14"), 1.5, None),
            ("a2", ts("2026-09-01"), 4.0, "onboarding"),
        ]),
        "survey_responses": _frame("survey_responses", [
            ("r1", "csat", 5, ts("2026-10-02", "12:00"), "c1", "t1", "a1", "email", "спасибо"),
            ("r2", "csat", 0, ts("2026-10-04"), "c2", "t2", "a2", None, None),
            ("r3", "ces", 1, ts("2026-10-05"), "c4", "t5", None, None, None),
            ("r4", "nps", 10, ts("2026-10-10"), "c3", None, None, "chat", None),
            ("r5", "enps", 0, ts("2026-10-11"), None, None, "a1", None, "<b>ok</b>"),
            ("r6", "csat", 4, ts("2026-10-12"), "c1", "t9", "a1", None, None),
        ]),
        "costs": _frame("costs", [
            ("2026-09", "support", 90000.0),
            ("2026-10", "support", 95000.0),
        ]),
    }


def with_value(frames: dict[str, pl.DataFrame], entity: str, row: int, column: str, value: Any) -> dict[str, pl.DataFrame]:
    """A copy of ``frames`` with one cell of ``entity`` changed."""
    frame = frames[entity]
    dtype = frame.schema[column]
    changed = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value, dtype=dtype)).otherwise(pl.col(column)).alias(column)
    )
    return {**frames, entity: changed}


def with_rows(frames: dict[str, pl.DataFrame], entity: str, extra: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """A copy of ``frames`` with rows appended to ``entity``."""
    return {**frames, entity: pl.concat([frames[entity], extra])}


def copy_of(frames: dict[str, pl.DataFrame], entity: str, row: int, **changes: Any) -> pl.DataFrame:
    """One row of ``entity`` as a new one-row frame, with some columns changed."""
    frame = frames[entity]
    return frame[row].with_columns(
        pl.lit(value, dtype=frame.schema[column]).alias(column) for column, value in changes.items()
    )
