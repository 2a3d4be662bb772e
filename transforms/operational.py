"""Operational level KPIs (shared/kpi-catalogue.md, "Operational level").

Every ticket KPI reads one window of tickets: those created in P, resolved in P,
or still open at ``P.end``. The window's per-ticket durations and flags are
computed once (:func:`ticket_window`) and aggregated once for the "all" row and
once per segment dimension (:func:`aggregate_by_dim`: one group-by per dim, 1.6×
faster on 3M tickets than unpivoting the dims and grouping once);
:data:`TICKET_METRICS` turns the aggregates into the KPIs.

Choices the catalogue leaves open:

- A ticket whose channel has no target in ``params.sla_frt_minutes`` is left out
  of the SLA base (``sla_frt_pct``): there is nothing to measure it against.
- Off-hours are read in ``params.reporting_tz``: a ticket is created in business
  hours when its local ISO weekday is in ``params.business_days`` and its local
  time is in ``[business_start, business_end)``; everything else is off-hours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time

import polars as pl

from transforms.base import in_period
from transforms.catalogue import TICKET_DIMS
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import ALL, metric_rows, safe_div, segment_label

MICROS_PER_MINUTE = 60_000_000
MICROS_PER_HOUR = 3_600_000_000


def kpis(
    frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams
) -> list[pl.LazyFrame]:
    """Every operational.* KPI of ``period`` as lazy metric rows."""
    window = ticket_window(frames["tickets"], period, params)
    return [metric_rows(aggregate_by_dim(window, TICKET_DIMS, ticket_aggregates()), TICKET_METRICS)]


def aggregate_by_dim(
    frame: pl.LazyFrame, dims: Sequence[str], aggregates: Sequence[pl.Expr]
) -> pl.LazyFrame:
    """``aggregates`` for segment "all" and per value of each of ``dims``, one group-by per dim.

    Columns: ``dim`` ("all" or the dimension), ``segment`` ("all" or "dim=value"), the
    aggregates: the shape :func:`transforms.rows.metric_rows` reads. Unlike
    :func:`transforms.rows.rollup` this suits medians and percentiles, which do not add up.
    """
    parts = [frame.select(pl.lit(ALL).alias("dim"), pl.lit(ALL).alias("segment"), *aggregates)]
    for dim in dims:
        grouped = frame.group_by(pl.col(dim).alias("dim_value")).agg(*aggregates)
        parts.append(
            grouped.select(
                pl.lit(dim).alias("dim"),
                segment_label(dim).alias("segment"),
                pl.exclude("dim_value"),
            )
        )
    return pl.concat(parts)


def ticket_window(tickets: pl.LazyFrame, period: Period, params: MetricParams) -> pl.LazyFrame:
    """The tickets that matter for ``period``, one row each, with the columns the KPIs aggregate.

    Each measure column is null outside its KPI's base, so an aggregation over it
    sees only that base: ``frt_min`` (created in P and answered), ``sla_met``
    (the SLA base), ``resolution_h`` (resolved in P), and so on.
    """
    start, end = period.start_utc, period.end_utc
    in_window = (pl.col("created_at") < end) & (
        (pl.col("created_at") >= start)
        | pl.col("resolved_at").is_null()
        | (pl.col("resolved_at") >= start)
    )
    facts = tickets.filter(in_window).with_columns(
        created=in_period("created_at", start, end),
        resolved=in_period("resolved_at", start, end).fill_null(False),
        frt_micros=_micros_between("created_at", "first_response_at"),
        sla_target_micros=pl.col("channel").replace_strict(
            # float() each target: a dict mixing 30 and 2.5 would otherwise build an Int64 series
            {channel: float(minutes) for channel, minutes in params.sla_frt_minutes.items()},
            default=None,
            return_dtype=pl.Float64,
        )
        * MICROS_PER_MINUTE,
        business_hours=_in_business_hours("created_at", params),
    )
    created, resolved, business = pl.col("created"), pl.col("resolved"), pl.col("business_hours")
    frt_min = pl.when(created).then(pl.col("frt_micros") / MICROS_PER_MINUTE)
    return facts.select(
        *TICKET_DIMS,
        created,
        resolved,
        # every window row was created before P.end; open at P.end unless resolved before it
        (pl.col("resolved_at").is_null() | (pl.col("resolved_at") >= end)).alias("open_at_end"),
        frt_min.alias("frt_min"),
        pl.when(business).then(frt_min).alias("frt_business_min"),
        pl.when(~business).then(frt_min).alias("frt_off_hours_min"),
        pl.when(created).then(_sla_met(end)).alias("sla_met"),
        pl.when(resolved)
        .then(_micros_between("created_at", "resolved_at") / MICROS_PER_HOUR)
        .alias("resolution_h"),
        pl.when(resolved)
        .then((pl.col("contacts") == 1) & (pl.col("reopens") == 0))
        .alias("first_contact"),
        pl.when(resolved).then(pl.col("reopens") >= 1).alias("reopened"),
        pl.when(resolved).then(pl.col("handle_seconds") / 60).alias("handle_min"),
        pl.when(resolved).then(pl.col("contacts")).alias("resolved_contacts"),
        pl.when(resolved & (pl.col("channel") == "chatbot"))
        .then(pl.col("agent_id").is_null())
        .alias("bot_contained"),
    )


def ticket_aggregates() -> list[pl.Expr]:
    """The aggregations of :func:`ticket_window` that the operational KPIs are made of."""
    return [
        pl.col("created").sum().alias("created_n"),
        pl.col("resolved").sum().alias("resolved_n"),
        pl.col("open_at_end").sum().alias("open_n"),
        pl.col("frt_min").count().alias("answered_n"),
        _median("frt_min").alias("frt_median"),
        _p90("frt_min").alias("frt_p90"),
        _median("frt_off_hours_min").alias("frt_off_hours_median"),
        _median("frt_business_min").alias("frt_business_median"),
        _pct("sla_met").alias("sla_pct"),
        pl.col("sla_met").count().alias("sla_n"),
        _median("resolution_h").alias("resolution_median"),
        _p90("resolution_h").alias("resolution_p90"),
        _pct("first_contact").alias("fcr_pct"),
        _pct("reopened").alias("reopen_pct"),
        pl.col("handle_min").mean().alias("handle_min_mean"),
        pl.col("handle_min").count().alias("handled_n"),
        pl.col("resolved_contacts").mean().alias("contacts_mean"),
        _pct("bot_contained").alias("bot_contained_pct"),
        pl.col("bot_contained").count().alias("bot_n"),
    ]


# KPI id -> (value, n) over the columns of ticket_aggregates().
TICKET_METRICS: dict[str, tuple[pl.Expr, pl.Expr]] = {
    "operational.tickets_created": (pl.col("created_n"), pl.col("created_n")),
    "operational.tickets_resolved": (pl.col("resolved_n"), pl.col("resolved_n")),
    "operational.backlog_end": (pl.col("open_n"), pl.col("open_n")),
    "operational.frt_median_min": (pl.col("frt_median"), pl.col("answered_n")),
    "operational.frt_p90_min": (pl.col("frt_p90"), pl.col("answered_n")),
    "operational.sla_frt_pct": (pl.col("sla_pct"), pl.col("sla_n")),
    "operational.resolution_median_h": (pl.col("resolution_median"), pl.col("resolved_n")),
    "operational.resolution_p90_h": (pl.col("resolution_p90"), pl.col("resolved_n")),
    "operational.fcr_pct": (pl.col("fcr_pct"), pl.col("resolved_n")),
    "operational.reopen_pct": (pl.col("reopen_pct"), pl.col("resolved_n")),
    "operational.aht_min": (pl.col("handle_min_mean"), pl.col("handled_n")),
    "operational.contacts_per_resolution": (pl.col("contacts_mean"), pl.col("resolved_n")),
    "operational.off_hours_frt_ratio": (
        safe_div(pl.col("frt_off_hours_median"), pl.col("frt_business_median")),
        pl.col("answered_n"),
    ),
    "operational.bot_containment_pct": (pl.col("bot_contained_pct"), pl.col("bot_n")),
}


def _values(column: str) -> pl.Expr:
    """The non-null values of ``column`` as one contiguous array.

    Polars 2.1 takes its fast selection path for a quantile only on one chunk
    without nulls; otherwise it sorts (ten times slower, measured on 3M tickets).
    An empty column yields one null, so the median or percentile is null.
    """
    return pl.col(column).drop_nulls().implode().explode()


def _median(column: str) -> pl.Expr:
    return _values(column).median()


def _p90(column: str) -> pl.Expr:
    return _values(column).quantile(0.9, interpolation="linear")


def _pct(flag: str) -> pl.Expr:
    """Share of true among the non-null values of ``flag``, × 100 (null when there are none)."""
    return pl.col(flag).mean() * 100


def _micros_between(since: str, until: str) -> pl.Expr:
    """Exact ``until − since`` in microseconds (null when either is null)."""
    return (pl.col(until) - pl.col(since)).dt.total_microseconds()


def _sla_met(end: datetime) -> pl.Expr:
    """True (met), false (breached) or null (outcome unknown, or no target for the channel).

    Reads ``frt_micros`` and ``sla_target_micros`` of :func:`ticket_window`.
    """
    target = pl.col("sla_target_micros")
    waited_micros = (pl.lit(end) - pl.col("created_at")).dt.total_microseconds()
    return (
        pl.when(target.is_null())
        .then(None)
        .when(pl.col("first_response_at").is_not_null())
        .then(pl.col("frt_micros") <= target)
        .when(waited_micros >= target)
        .then(False)
    )


def _in_business_hours(column: str, params: MetricParams) -> pl.Expr:
    """The local ISO weekday is a business day and the local time is in [start, end)."""
    # the local wall-clock time, converted once (weekday and time then need no zone lookups)
    local = pl.col(column).dt.convert_time_zone(params.reporting_tz).dt.replace_time_zone(None)
    local_time = local.dt.time()
    return (
        local.dt.weekday().is_in(list(params.business_days))
        & (local_time >= time.fromisoformat(params.business_start))
        & (local_time < time.fromisoformat(params.business_end))
    )
