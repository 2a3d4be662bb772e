"""Which rows of an export can count in a period: the rows validation checks.

Validating only these keeps large exports fast without weakening any KPI of
the period: a row outside the window cannot enter any of the period's numbers.

- tickets: created in P, resolved in P, still open at P.end (backlog), referenced
  by a survey response submitted in P (its channel and agent are used), or with
  no created_at (it cannot be placed, so it is checked — and quarantined).
- survey_responses: submitted in P, or with no submitted_at.
- trainings: completed in P, or with no completed_at.
- orders: ordered from ``orders_lookback_months`` months before P (at least the
  previous period: NRR; churned revenue looks back 12 months by default) to
  P.end, or with no ordered_at.
- customers, agents, costs: every row (the customer base and headcount need all
  history; costs are a few rows).

Rows outside the window pass through to the clean frame unchecked.
"""

from __future__ import annotations

import polars as pl

from transforms.base import in_period
from transforms.periods import Period

_SINGLE_TIME_COLUMN = {"survey_responses": "submitted_at", "trainings": "completed_at"}


def window(
    entity: str,
    frame: pl.DataFrame,
    period: Period,
    responses: pl.DataFrame | None,
    orders_lookback_months: int,
) -> pl.Expr | None:
    """A filter for the rows of ``entity`` to validate in ``period``; None means every row."""
    start, end = period.start_utc, period.end_utc
    if entity == "orders":
        if "ordered_at" not in frame.columns:
            return None
        first_month = Period(period.first_month, "month", period.tz)
        since = first_month.shift(-max(orders_lookback_months, period.months)).start_utc
        return pl.col("ordered_at").is_null() | in_period("ordered_at", since, end)
    if entity in _SINGLE_TIME_COLUMN:
        column = _SINGLE_TIME_COLUMN[entity]
        if column not in frame.columns:
            return None
        return pl.col(column).is_null() | in_period(column, start, end)
    if entity == "tickets":
        if not {"ticket_id", "created_at", "resolved_at"} <= set(frame.columns):
            return None
        created, resolved = pl.col("created_at"), pl.col("resolved_at")
        open_at_end = (created < end) & (resolved.is_null() | (resolved >= end))
        touches_period = (
            created.is_null()
            | in_period("created_at", start, end)
            | in_period("resolved_at", start, end)
            | open_at_end
        )
        return touches_period.fill_null(False) | pl.col("ticket_id").is_in(
            _tickets_answered_in(responses, period).implode()
        )
    return None


def _tickets_answered_in(responses: pl.DataFrame | None, period: Period) -> pl.Series:
    """Ticket ids named by survey responses submitted in ``period``."""
    if responses is None or not {"ticket_id", "submitted_at"} <= set(responses.columns):
        return pl.Series("ticket_id", [], dtype=pl.String)
    return (
        responses.filter(in_period("submitted_at", period.start_utc, period.end_utc))
        .get_column("ticket_id")
        .drop_nulls()
        .unique()
    )
