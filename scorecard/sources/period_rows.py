"""Which rows of an export a run can use: only those are kept when reading.

A run computes one period, or several at once (``fill_history``). A row outside
the window below cannot enter any KPI of those periods, so the reader drops it
(and never decodes it, for a Parquet file with typed time columns: the filter
is pushed into the scan). That keeps the memory and the time of a monthly run
proportional to the month, not to the years of history in the exports.

- tickets: created in the span, resolved in it, still open at its end (backlog),
  named by a survey response submitted in it (its channel and agent are used), or
  with no created_at (it cannot be placed: validation quarantines it).
- survey_responses: submitted in the span, or with no submitted_at.
- trainings: completed in the span, or with no completed_at.
- orders: ordered from ``orders_since`` (the earliest month a revenue KPI of any of
  the periods looks back to) to the span's end, or with no ordered_at.
- customers, agents, costs: every row (the customer base and headcount need all
  history; costs are a few rows).

The same window is what validation checks (scorecard/validation/window.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from transforms.periods import Period

Column = Callable[[str], pl.Expr]  # a canonical column by name, as a UTC timestamp or text
_SINGLE_TIME_COLUMN = {"survey_responses": "submitted_at", "trainings": "completed_at"}
TIME_COLUMNS = {
    "tickets": ("created_at", "resolved_at"),
    "orders": ("ordered_at",),
    **{entity: (column,) for entity, column in _SINGLE_TIME_COLUMN.items()},
}


@dataclass(frozen=True)
class RowWindow:
    """The time span a run reads rows from, in UTC: [start, end), orders from ``orders_since``."""

    start: datetime
    end: datetime
    orders_since: datetime

    @classmethod
    def for_periods(cls, periods: Sequence[Period], orders_lookback_months: int) -> RowWindow:
        """What the KPIs of ``periods`` read; the orders look back at least one period (NRR)."""
        return cls(
            start=min(p.start_utc for p in periods),
            end=max(p.end_utc for p in periods),
            orders_since=min(
                p.months_before_start_utc(max(orders_lookback_months, p.months)) for p in periods
            ),
        )

    def keeps_every_row(self, entity: str) -> bool:
        return entity not in TIME_COLUMNS

    def rows(
        self, entity: str, answered_tickets: pl.Series | None = None, col: Column = pl.col
    ) -> pl.Expr | None:
        """A filter for the rows of ``entity`` in the window; None: every row.

        ``answered_tickets`` are the ticket ids of the window's survey responses.
        ``col`` gives a column as a UTC timestamp (the canonical one by default; the
        reader passes a conversion of the source column to filter before casting).
        """
        if entity == "orders":
            ordered = col("ordered_at")
            return (ordered.is_null() | _between(ordered, self.orders_since, self.end)).fill_null(True)
        if entity in _SINGLE_TIME_COLUMN:
            time = col(_SINGLE_TIME_COLUMN[entity])
            return (time.is_null() | _between(time, self.start, self.end)).fill_null(True)
        if entity == "tickets":
            created, resolved = col("created_at"), col("resolved_at")
            open_at_end = (created < self.end) & (resolved.is_null() | (resolved >= self.end))
            touches = (
                created.is_null()
                | _between(created, self.start, self.end)
                | _between(resolved, self.start, self.end)
                | open_at_end
            ).fill_null(False)
            if answered_tickets is None or answered_tickets.is_empty():
                return touches
            return touches | col("ticket_id").is_in(answered_tickets.implode())
        return None

    def answered_tickets(self, responses: pl.DataFrame | None) -> pl.Series | None:
        """The ticket ids named by survey responses submitted in the window."""
        if responses is None:
            return None
        return (
            responses.filter(_between(pl.col("submitted_at"), self.start, self.end))
            .get_column("ticket_id")
            .drop_nulls()
            .unique()
        )


def _between(time: pl.Expr, start: datetime, end: datetime) -> pl.Expr:
    """``start <= time < end``; null for a null time."""
    return (time >= start) & (time < end)
