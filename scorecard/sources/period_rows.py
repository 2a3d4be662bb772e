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
- orders: ordered from ``recent_orders_since`` (the start of the period before the
  first period: NRR) to the span's end; older ones back to ``orders_since`` (the
  churned-revenue look-back) only for the customers who churned in the span, the
  only ones whose older orders count; and orders with no ordered_at.
- customers, agents, costs: every row (the customer base and headcount need all
  history; costs are a few rows).

Validation checks the rows of the same window (scorecard/validation/window.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    recent_orders_since: datetime
    orders_since: datetime

    @classmethod
    def for_periods(cls, periods: Sequence[Period], orders_lookback_months: int) -> RowWindow:
        """What the KPIs of ``periods`` read; the orders look back at least one period (NRR)."""
        return cls(
            start=min(p.start_utc for p in periods),
            end=max(p.end_utc for p in periods),
            recent_orders_since=min(p.months_before_start_utc(p.months) for p in periods),
            orders_since=min(
                p.months_before_start_utc(max(orders_lookback_months, p.months)) for p in periods
            ),
        )

    def keeps_every_row(self, entity: str) -> bool:
        return entity not in TIME_COLUMNS

    def related_ids(self, entity: str, frames: Mapping[str, pl.DataFrame]) -> pl.Series | None:
        """The ids the filter of ``entity`` needs from entities read before it: for tickets,
        those named by the window's survey responses; for orders, the customers who
        churned in the window."""
        if entity == "tickets" and "survey_responses" in frames:
            answered = frames["survey_responses"].filter(
                _between(pl.col("submitted_at"), self.start, self.end)
            )
            return answered.get_column("ticket_id").drop_nulls().unique()
        if entity == "orders" and "customers" in frames:
            churned = frames["customers"].filter(_between(pl.col("churned_at"), self.start, self.end))
            return churned.get_column("customer_id").drop_nulls().unique()
        return None

    def rows(
        self, entity: str, related_ids: pl.Series | None = None, col: Column = pl.col
    ) -> pl.Expr | None:
        """A filter for the rows of ``entity`` in the window; None: every row.

        ``related_ids`` come from :meth:`related_ids` (None: the filter keeps every row
        that could need them). ``col`` gives a column as a UTC timestamp (the canonical
        one by default; the reader passes a conversion of the source column to filter
        before casting).
        """
        if entity == "orders":
            ordered = col("ordered_at")
            since = self.orders_since if related_ids is None else self.recent_orders_since
            keep = ordered.is_null() | _between(ordered, since, self.end)
            if related_ids is not None and not related_ids.is_empty():
                keep = keep | (
                    _between(ordered, self.orders_since, self.end)
                    & col("customer_id").is_in(related_ids.implode())
                )
            return keep.fill_null(False)
        if entity in _SINGLE_TIME_COLUMN:
            time = col(_SINGLE_TIME_COLUMN[entity])
            return (time.is_null() | _between(time, self.start, self.end)).fill_null(False)
        if entity == "tickets":
            created, resolved = col("created_at"), col("resolved_at")
            open_at_end = (created < self.end) & (resolved.is_null() | (resolved >= self.end))
            touches = (
                created.is_null()
                | _between(created, self.start, self.end)
                | _between(resolved, self.start, self.end)
                | open_at_end
            ).fill_null(False)
            if related_ids is None or related_ids.is_empty():
                return touches
            return touches | col("ticket_id").is_in(related_ids.implode()).fill_null(False)
        return None


def _between(time: pl.Expr, start: datetime, end: datetime) -> pl.Expr:
    """``start <= time < end``; null for a null time."""
    return (time >= start) & (time < end)
