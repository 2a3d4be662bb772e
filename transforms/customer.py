"""Customer level KPIs (shared/kpi-catalogue.md, "Customer level").

Also home of the customer base the catalogue shares between levels ("Customer
base"): who was active at the period's start and end. The financial level
reuses :func:`customer_flags`, :data:`BASE_MEASURES` and the churn expressions.

Each family of KPIs is one :func:`~transforms.rows.rollup` of additive measures
(counts and sums; a mean is a sum over a count), turned into rows once, so that
every source frame is aggregated once per period.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms.base import active_at, in_period
from transforms.catalogue import BASE_DIMS, SURVEY_DIMS, TICKET_DIMS
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import metric_rows, rollup, safe_div

# --- the customer base ----------------------------------------------------------------

# Measures over customer_flags rows: |start_base|, |retained|, active at the end, and
# the distinct customers active at the start or at the end (the n of avg_base KPIs).
BASE_MEASURES: tuple[pl.Expr, ...] = (
    pl.col("at_start").sum().alias("start_n"),
    (pl.col("at_start") & pl.col("at_end")).sum().alias("retained_n"),
    pl.col("at_end").sum().alias("end_n"),
    (pl.col("at_start") | pl.col("at_end")).sum().alias("either_n"),
)

AVG_BASE: pl.Expr = (pl.col("start_n") + pl.col("end_n")) / 2
CHURN_PCT: pl.Expr = safe_div((pl.col("start_n") - pl.col("retained_n")) * 100.0, pl.col("start_n"))


def customer_flags(customers: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """One row per customer: customer_id, customer_segment, at_start, at_end, churned_in_period."""
    return customers.select(
        "customer_id",
        pl.col("segment").alias("customer_segment"),
        active_at("created_at", "churned_at", period.start_utc).alias("at_start"),
        active_at("created_at", "churned_at", period.end_utc).alias("at_end"),
        in_period("churned_at", period.start_utc, period.end_utc)
        .fill_null(False)
        .alias("churned_in_period"),
    )


def lifetime_months(churn_pct: pl.Expr, months: int) -> pl.Expr:
    """Expected lifetime ``1 / (churn/100) × months``; null when churn is 0 or null."""
    return safe_div(pl.lit(100.0 * months), churn_pct)


# --- surveys --------------------------------------------------------------------------

PROMOTER_MIN = 9  # NPS bands on the 0–10 scale: promoters 9–10, detractors 0–6
DETRACTOR_MAX = 6


def nps_score(promoters: pl.Expr, detractors: pl.Expr, responses: pl.Expr) -> pl.Expr:
    """NPS = 100 × (promoters − detractors) / responses; null without responses."""
    return safe_div(100.0 * (promoters.cast(pl.Float64) - detractors.cast(pl.Float64)), responses)


def nps_margin_of_error(promoters: pl.Expr, detractors: pl.Expr, responses: pl.Expr) -> pl.Expr:
    """95 % margin of error of NPS: 1.96 × 100 × sqrt((p + d − (p − d)²) / n)."""
    p = safe_div(promoters.cast(pl.Float64), responses)
    d = safe_div(detractors.cast(pl.Float64), responses)
    return 1.96 * 100.0 * safe_div(p + d - (p - d) ** 2, responses).sqrt()


def _survey_responses_in(
    responses: pl.LazyFrame, tickets: pl.LazyFrame, period: Period
) -> pl.LazyFrame:
    """csat, ces and nps responses submitted in ``period``: survey, score, ticket_id, channel.

    ``channel`` is the response's channel or, when that is null, its ticket's channel.
    Only the tickets such responses name are looked up.
    """
    submitted = responses.filter(
        in_period("submitted_at", period.start_utc, period.end_utc)
        & pl.col("survey").is_in(["csat", "ces", "nps"])
    ).select("survey", "score", "ticket_id", "channel")
    lookups = submitted.filter(pl.col("channel").is_null()).select("ticket_id").drop_nulls()
    ticket_channels = tickets.select("ticket_id", pl.col("channel").alias("ticket_channel")).join(
        lookups, on="ticket_id", how="semi"
    )
    return submitted.join(ticket_channels, on="ticket_id", how="left").select(
        "survey",
        "score",
        "ticket_id",
        pl.coalesce("channel", "ticket_channel").alias("channel"),
    )


def _survey_measures(params: MetricParams) -> list[pl.Expr]:
    """Counts and score sums per survey: a mean is a sum over a count, so channels add up."""
    score = pl.col("score")
    csat, ces, nps = (pl.col("survey") == kind for kind in ("csat", "ces", "nps"))
    low_effort = (
        score <= params.ces_low_effort_threshold
        if params.ces_higher_is_more_effort
        else score >= params.ces_low_effort_threshold
    )
    return [
        csat.sum().alias("csat_n"),
        score.filter(csat).sum().alias("csat_sum"),
        (csat & (score >= params.csat_satisfied_threshold)).sum().alias("csat_satisfied"),
        (csat & pl.col("ticket_id").is_not_null()).sum().alias("csat_naming_ticket"),
        nps.sum().alias("nps_n"),
        (nps & (score >= PROMOTER_MIN)).sum().alias("promoters"),
        (nps & (score <= DETRACTOR_MAX)).sum().alias("detractors"),
        ces.sum().alias("ces_n"),
        score.filter(ces).sum().alias("ces_sum"),
        (ces & low_effort).sum().alias("ces_low_effort"),
    ]


# --- the level ------------------------------------------------------------------------


def kpis(
    frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams
) -> list[pl.LazyFrame]:
    """Every customer.* KPI of ``period`` as lazy metric rows."""
    start, end = period.start_utc, period.end_utc
    tickets = frames["tickets"]
    flags = customer_flags(frames["customers"], period)

    base = rollup(flags, BASE_DIMS, BASE_MEASURES)
    complaints = rollup(
        tickets.filter(in_period("created_at", start, end) & pl.col("is_complaint")),
        TICKET_DIMS,
        [pl.len().alias("complaints")],
    ).join(flags.select(BASE_MEASURES), how="cross")
    surveys = rollup(
        _survey_responses_in(frames["survey_responses"], tickets, period),
        SURVEY_DIMS,
        _survey_measures(params),
    ).join(
        tickets.filter(in_period("resolved_at", start, end)).select(pl.len().alias("resolved")),
        how="cross",
    )

    start_n, complaint_n, resolved = pl.col("start_n"), pl.col("complaints"), pl.col("resolved")
    csat_n, nps_n, ces_n = pl.col("csat_n"), pl.col("nps_n"), pl.col("ces_n")
    promoters, detractors = pl.col("promoters"), pl.col("detractors")
    return [
        metric_rows(
            base,
            {
                "customer.churn_rate": (CHURN_PCT, start_n),
                "customer.retention_rate": (100.0 - CHURN_PCT, start_n),
                "customer.lifetime_months": (lifetime_months(CHURN_PCT, period.months), start_n),
            },
        ),
        metric_rows(
            complaints,
            {
                "customer.complaints": (complaint_n, complaint_n),
                "customer.complaint_rate": (
                    safe_div(complaint_n * 1000.0, AVG_BASE),
                    pl.col("either_n"),
                ),
            },
        ),
        metric_rows(
            surveys,
            {
                "customer.csat_mean": (safe_div(pl.col("csat_sum"), csat_n), csat_n),
                "customer.csat_pct": (safe_div(pl.col("csat_satisfied") * 100.0, csat_n), csat_n),
                "customer.nps": (nps_score(promoters, detractors, nps_n), nps_n),
                "customer.nps_moe": (nps_margin_of_error(promoters, detractors, nps_n), nps_n),
                "customer.ces_mean": (safe_div(pl.col("ces_sum"), ces_n), ces_n),
                "customer.low_effort_pct": (
                    safe_div(pl.col("ces_low_effort") * 100.0, ces_n),
                    ces_n,
                ),
                "customer.survey_response_rate": (
                    safe_div(pl.col("csat_naming_ticket") * 100.0, resolved),
                    resolved,
                ),
            },
        ),
    ]
