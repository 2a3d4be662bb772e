"""Who is "in the base" at an instant: the catalogue's one rule for customers and agents.

Active at instant t: ``since < t`` and (``until`` is null or ``until >= t``).
With half-open periods this puts every boundary case in exactly one period.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl


def active_at(since: str, until: str, instant: datetime) -> pl.Expr:
    """Boolean expression: the row is active at ``instant``."""
    return (pl.col(since) < instant) & (pl.col(until).is_null() | (pl.col(until) >= instant))


def in_period(column: str, start: datetime, end: datetime) -> pl.Expr:
    """Boolean expression: ``start <= column < end`` (nulls are not in any period)."""
    return (pl.col(column) >= start) & (pl.col(column) < end)
