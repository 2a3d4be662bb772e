"""Operational level KPIs (shared/kpi-catalogue.md, "Operational level").

Every ticket KPI reads one window of tickets: those created in P, resolved in P,
or still open at ``P.end``. The window's per-ticket durations and flags are
computed once (:func:`ticket_window`); each KPI is then one aggregation over it
(:func:`ticket_measures`), run once for the "all" row and once per segment
dimension the catalogue lists. ``pl.collect_all`` computes the shared window once.

Choices the catalogue leaves open:

- A ticket whose channel has no target in ``params.sla_frt_minutes`` is left out
  of the SLA base (``sla_frt_pct``): there is nothing to measure it against.
- Off-hours are read in ``params.reporting_tz``: a ticket is created in business
  hours when its local ISO weekday is in ``params.business_days`` and its local
  time is in ``[business_start, business_end)``; everything else is off-hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time

import polars as pl

from transforms.base import in_period
from transforms.catalogue import BY_ID, TICKET_DIMS
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import ALL, segment_label

MICROS_PER_MINUTE = 60_000_000
MICROS_PER_HOUR = 3_600_000_000


def kpis(
    frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams
) -> list[pl.LazyFrame]:
    """Metric rows of every operational KPI: the "all" rows, then one frame per dimension."""
    window = ticket_window(frames["tickets"], period, params)
    measures = ticket_measures()
    parts = [metric_rows(window.select(**measures), pl.lit(ALL), list(measures))]
    for dim in TICKET_DIMS:
        ids = [kpi_id for kpi_id in measures if dim in BY_ID[kpi_id].dims]
        grouped = window.group_by(pl.col(dim).alias("dim_value")).agg(
            **{kpi_id: measures[kpi_id] for kpi_id in ids}
        )
        rows = metric_rows(grouped, segment_label(dim), ids)
        parts.append(rows.filter(pl.col("n") >= 1))
    return parts


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
            params.sla_frt_minutes, default=None, return_dtype=pl.Float64
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


def ticket_measures() -> dict[str, pl.Expr]:
    """One aggregation per operational KPI over :func:`ticket_window`: a struct ``{value, n}``."""
    resolved = pl.col("resolved").sum()
    answered = pl.col("frt_min").count()
    business_median = _median("frt_business_min").replace(0.0, None)  # ratio undefined at 0
    return {
        "operational.tickets_created": _count("created"),
        "operational.tickets_resolved": _count("resolved"),
        "operational.backlog_end": _count("open_at_end"),
        "operational.frt_median_min": kpi_struct(_median("frt_min"), answered),
        "operational.frt_p90_min": kpi_struct(_p90("frt_min"), answered),
        "operational.sla_frt_pct": kpi_struct(_pct("sla_met"), pl.col("sla_met").count()),
        "operational.resolution_median_h": kpi_struct(_median("resolution_h"), resolved),
        "operational.resolution_p90_h": kpi_struct(_p90("resolution_h"), resolved),
        "operational.fcr_pct": kpi_struct(_pct("first_contact"), resolved),
        "operational.reopen_pct": kpi_struct(_pct("reopened"), resolved),
        "operational.aht_min": kpi_struct(pl.col("handle_min").mean(), pl.col("handle_min").count()),
        "operational.contacts_per_resolution": kpi_struct(
            pl.col("resolved_contacts").mean(), resolved
        ),
        "operational.off_hours_frt_ratio": kpi_struct(
            _median("frt_off_hours_min") / business_median, answered
        ),
        "operational.bot_containment_pct": kpi_struct(
            _pct("bot_contained"), pl.col("bot_contained").count()
        ),
    }


def kpi_struct(value: pl.Expr, n: pl.Expr) -> pl.Expr:
    """One KPI's aggregation as a struct ``{value: Float64, n: Int64}`` (see :func:`metric_rows`)."""
    return pl.struct(value.cast(pl.Float64).alias("value"), n.cast(pl.Int64).alias("n"))


def metric_rows(measured: pl.LazyFrame, segment: pl.Expr, kpi_ids: list[str]) -> pl.LazyFrame:
    """Turn a frame with one ``{value, n}`` struct column per KPI into rows (kpi, segment, value, n)."""
    return (
        measured.select(segment.alias("segment"), *kpi_ids)
        .unpivot(index="segment", variable_name="kpi", value_name="row")
        .unnest("row")
        .select("kpi", "segment", "value", "n")
    )


def _count(flag: str) -> pl.Expr:
    return kpi_struct(pl.col(flag).sum(), pl.col(flag).sum())


def _values(column: str) -> pl.Expr:
    """The non-null values of ``column`` as one contiguous array.

    Polars 2.1 takes its fast selection path for a quantile only on one chunk
    without nulls; otherwise it sorts, about ten times slower on 10M tickets.
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
