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

from scorecard.sources.period_rows import TIME_COLUMNS, RowWindow
from transforms.periods import Period


def window(
    entity: str,
    frame: pl.DataFrame,
    period: Period,
    responses: pl.DataFrame | None,
    orders_lookback_months: int,
) -> pl.Expr | None:
    """A filter for the rows of ``entity`` to validate in ``period``; None means every row.

    The rules are the reader's (scorecard/sources/period_rows.py), with every order of
    the look-back checked (not only those of customers who churned). A frame without
    the columns a rule reads gets None: its column-set rule reports them.
    """
    needed = {*TIME_COLUMNS.get(entity, ()), *(("ticket_id",) if entity == "tickets" else ())}
    if not needed or not needed <= set(frame.columns):
        return None
    rows = RowWindow.for_periods([period], orders_lookback_months)
    answered = None
    if entity == "tickets" and responses is not None and {"ticket_id", "submitted_at"} <= set(responses.columns):
        answered = rows.related_ids("tickets", {"survey_responses": responses})
    return rows.rows(entity, answered)
