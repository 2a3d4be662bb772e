"""Customer level KPIs (shared/kpi-catalogue.md, "Customer level").

Also home of the customer base the catalogue shares between levels ("Customer
base"): who was active at the period's start and end. The financial level
reuses ``customer_flags``, ``BASE_AGGS`` and the churn expressions.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms.base import active_at, in_period
from transforms.catalogue import BASE_DIMS, SURVEY_DIMS, TICKET_DIMS
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import ALL, kpi_rows, safe_div, segment_frames

# --- the customer base ----------------------------------------------------------------

# Aggregations of ``customer_flags`` rows: |start_base|, |retained|, active at the end,
# and the distinct customers active at the start or at the end (the n of avg_base KPIs).
BASE_AGGS: tuple[pl.Expr, ...] = (
    pl.col("at_start").sum().alias("start_n"),
    (pl.col("at_start") & pl.col("at_end")).sum().alias("retained_n"),
    pl.col("at_end").sum().alias("end_n"),
    (pl.col("at_start") | pl.col("at_end")).sum().alias("either_n"),
)

AVG_BASE: pl.Expr = (pl.col("start_n") + pl.col("end_n")) / 2
CHURN_PCT: pl.Expr = safe_div((pl.col("start_n") - pl.col("retained_n")) * 100.0, pl.col("start_n"))


def customer_flags(customers: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """One row per customer: id, customer_segment, at_start, at_end, churned_in_period."""
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

PROMOTER_MIN = 9  # NPS bands on a 0–10 scale: promoters 9–10, detractors 0–6
DETRACTOR_MAX = 6


def nps_score(promoters: pl.Expr, detractors: pl.Expr, responses: pl.Expr) -> pl.Expr:
    """NPS = 100 × (promoters − detractors) / responses; null without responses."""
    return safe_div(100.0 * (promoters - detractors), responses)


def nps_margin_of_error(promoters: pl.Expr, detractors: pl.Expr, responses: pl.Expr) -> pl.Expr:
    """95 % margin of error of NPS: 1.96 × 100 × sqrt((p + d − (p − d)²) / n)."""
    p = safe_div(promoters.cast(pl.Float64), responses)
    d = safe_div(detractors.cast(pl.Float64), responses)
    return 1.96 * 100.0 * safe_div(p + d - (p - d) ** 2, responses).sqrt()


def survey_responses_in(responses: pl.LazyFrame, tickets: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """csat, ces and nps responses submitted in ``period``: survey, score, ticket_id, channel.

    ``channel`` is the response's channel or, when that is null, its ticket's channel.
    """
    submitted = responses.filter(
        in_period("submitted_at", period.start_utc, period.end_utc)
        & pl.col("survey").is_in(["csat", "ces", "nps"])
    )
    ticket_channels = tickets.select("ticket_id", pl.col("channel").alias("ticket_channel"))
    return submitted.join(ticket_channels, on="ticket_id", how="left").select(
        "survey",
        "score",
        "ticket_id",
        pl.coalesce("channel", "ticket_channel").alias("channel"),
    )


def _survey_frames(responses: pl.LazyFrame, survey: str, *aggs: pl.Expr) -> list[pl.LazyFrame]:
    """Responses of one survey aggregated for "all" and per channel (always with ``responses``)."""
    return segment_frames(
        responses.filter(pl.col("survey") == survey),
        SURVEY_DIMS,
        [pl.len().alias("responses"), *aggs],
    )


def _survey_rows(responses: pl.LazyFrame, params: MetricParams) -> list[pl.LazyFrame]:
    n = pl.col("responses")
    score = pl.col("score")
    low_effort = (
        score <= params.ces_low_effort_threshold
        if params.ces_higher_is_more_effort
        else score >= params.ces_low_effort_threshold
    )
    csat = _survey_frames(
        responses, "csat",
        score.mean().alias("mean"),
        (score >= params.csat_satisfied_threshold).sum().alias("satisfied"),
    )
    ces = _survey_frames(responses, "ces", score.mean().alias("mean"), low_effort.sum().alias("low_effort"))
    nps = _survey_frames(
        responses, "nps",
        (score >= PROMOTER_MIN).sum().alias("promoters"),
        (score <= DETRACTOR_MAX).sum().alias("detractors"),
    )
    promoters, detractors = pl.col("promoters"), pl.col("detractors")
    return [
        kpi_rows(csat, "customer.csat_mean", pl.col("mean"), n),
        kpi_rows(csat, "customer.csat_pct", safe_div(pl.col("satisfied") * 100.0, n), n),
        kpi_rows(nps, "customer.nps", nps_score(promoters, detractors, n), n),
        kpi_rows(nps, "customer.nps_moe", nps_margin_of_error(promoters, detractors, n), n),
        kpi_rows(ces, "customer.ces_mean", pl.col("mean"), n),
        kpi_rows(ces, "customer.low_effort_pct", safe_div(pl.col("low_effort") * 100.0, n), n),
    ]


# --- the level ------------------------------------------------------------------------


def kpis(frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams) -> list[pl.LazyFrame]:
    """Every customer.* KPI of ``period`` as lazy metric rows."""
    start, end = period.start_utc, period.end_utc
    tickets = frames["tickets"]

    base = segment_frames(customer_flags(frames["customers"], period), BASE_DIMS, BASE_AGGS)
    responses = survey_responses_in(frames["survey_responses"], tickets, period)
    complaints = segment_frames(
        tickets.filter(in_period("created_at", start, end) & pl.col("is_complaint")),
        TICKET_DIMS,
        [pl.len().alias("complaints")],
    )
    complaints_and_base = pl.concat([complaints[0], base[0].drop("segment")], how="horizontal")
    responses_and_resolved = pl.concat(
        [
            responses.filter((pl.col("survey") == "csat") & pl.col("ticket_id").is_not_null())
            .select(pl.lit(ALL).alias("segment"), pl.len().alias("named")),
            tickets.filter(in_period("resolved_at", start, end)).select(pl.len().alias("resolved")),
        ],
        how="horizontal",
    )

    start_n = pl.col("start_n")
    return [
        kpi_rows(base, "customer.churn_rate", CHURN_PCT, start_n),
        kpi_rows(base, "customer.retention_rate", 100.0 - CHURN_PCT, start_n),
        kpi_rows(base[:1], "customer.lifetime_months", lifetime_months(CHURN_PCT, period.months), start_n),
        *_survey_rows(responses, params),
        kpi_rows(complaints, "customer.complaints", pl.col("complaints"), pl.col("complaints")),
        kpi_rows(
            [complaints_and_base],
            "customer.complaint_rate",
            safe_div(pl.col("complaints") * 1000.0, AVG_BASE),
            pl.col("either_n"),
        ),
        kpi_rows(
            [responses_and_resolved],
            "customer.survey_response_rate",
            safe_div(pl.col("named") * 100.0, pl.col("resolved")),
            pl.col("resolved"),
        ),
    ]
