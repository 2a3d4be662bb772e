"""Growth & learning level KPIs (shared/kpi-catalogue.md, "Growth & learning level").

Headcount uses the catalogue's "active at t" rule with ``hired_at`` / ``left_at``;
the average headcount of P is (active at ``P.start`` + active at ``P.end``) / 2.
Each source table is reduced to one row of totals; the KPIs are computed from
those totals. Growth KPIs have only the "all" row.

A choice the catalogue leaves open: for ``new_agent_csat_gap`` a response whose
ticket's agent is not in the agents table has no known tenure and is left out.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms.base import active_at, in_period
from transforms.operational import kpi_struct, metric_rows
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import ALL, safe_div

NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6


def kpis(
    frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams
) -> list[pl.LazyFrame]:
    """Metric rows of every growth KPI (segment "all" only)."""
    totals = pl.concat(
        [
            _headcount_totals(frames["agents"], period),
            _training_totals(frames["trainings"], period),
            _resolved_totals(frames["tickets"], period),
            _enps_totals(frames["survey_responses"], period),
            _tenure_csat_totals(frames, period, params),
        ],
        how="horizontal",
    )
    average_headcount = (pl.col("at_start") + pl.col("at_end")) / 2
    agents_in_base = pl.col("in_base")
    measures = {
        "growth.headcount_end": kpi_struct(pl.col("at_end"), pl.col("at_end")),
        "growth.hires": kpi_struct(pl.col("hires"), pl.col("hires")),
        "growth.leavers": kpi_struct(pl.col("leavers"), pl.col("leavers")),
        "growth.attrition_pct": kpi_struct(
            safe_div(pl.col("leavers"), average_headcount) * 100, agents_in_base
        ),
        "growth.training_hours_per_agent": kpi_struct(
            safe_div(pl.col("training_hours"), average_headcount), agents_in_base
        ),
        "growth.enps": kpi_struct(
            nps(pl.col("enps_promoters"), pl.col("enps_detractors"), pl.col("enps_n")),
            pl.col("enps_n"),
        ),
        "growth.tickets_per_agent": kpi_struct(
            safe_div(pl.col("resolved"), average_headcount), agents_in_base
        ),
        "growth.new_agent_csat_gap": kpi_struct(
            _pct(pl.col("new_satisfied"), pl.col("new_n"))
            - _pct(pl.col("experienced_satisfied"), pl.col("experienced_n")),
            pl.col("new_n") + pl.col("experienced_n"),
        ),
    }
    return [metric_rows(totals.select(**measures), pl.lit(ALL), list(measures))]


def nps(promoters: pl.Expr, detractors: pl.Expr, responses: pl.Expr) -> pl.Expr:
    """Net promoter score: 100 × (promoters − detractors) / responses; null without responses."""
    difference = promoters.cast(pl.Int64) - detractors.cast(pl.Int64)  # counts may be unsigned
    return safe_div(difference * 100, responses)


def _pct(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    return safe_div(part * 100, whole)


def _headcount_totals(agents: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    at_start = active_at("hired_at", "left_at", period.start_utc)
    at_end = active_at("hired_at", "left_at", period.end_utc)
    return agents.select(
        at_start=at_start.sum(),
        at_end=at_end.sum(),
        in_base=(at_start | at_end).sum(),
        hires=in_period("hired_at", period.start_utc, period.end_utc).sum(),
        leavers=in_period("left_at", period.start_utc, period.end_utc).sum(),
    )


def _training_totals(trainings: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    completed = in_period("completed_at", period.start_utc, period.end_utc)
    return trainings.select(training_hours=pl.col("hours").filter(completed).sum())


def _resolved_totals(tickets: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    return tickets.select(
        resolved=in_period("resolved_at", period.start_utc, period.end_utc).sum()
    )


def _enps_totals(responses: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    score = pl.col("score")
    return responses.filter(
        (pl.col("survey") == "enps")
        & in_period("submitted_at", period.start_utc, period.end_utc)
    ).select(
        enps_promoters=(score >= NPS_PROMOTER_MIN).sum(),
        enps_detractors=(score <= NPS_DETRACTOR_MAX).sum(),
        enps_n=pl.len(),
    )


def _tenure_csat_totals(
    frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams
) -> pl.LazyFrame:
    """csat responses of P on a ticket with an agent, split by the agent's tenure at ticket creation."""
    responses = frames["survey_responses"].filter(
        (pl.col("survey") == "csat")
        & in_period("submitted_at", period.start_utc, period.end_utc)
        & pl.col("ticket_id").is_not_null()
    )
    tickets = frames["tickets"].filter(pl.col("agent_id").is_not_null())
    agents = frames["agents"]
    rated = (
        responses.select("ticket_id", "score")
        .join(tickets.select("ticket_id", "agent_id", "created_at"), on="ticket_id")
        .join(agents.select("agent_id", "hired_at"), on="agent_id")
    )
    new = (pl.col("created_at") - pl.col("hired_at")) < pl.duration(
        days=params.new_agent_tenure_days
    )
    satisfied = pl.col("score") >= params.csat_satisfied_threshold
    return rated.select(
        new_n=new.sum(),
        new_satisfied=(new & satisfied).sum(),
        experienced_n=(~new).sum(),
        experienced_satisfied=(~new & satisfied).sum(),
    )
