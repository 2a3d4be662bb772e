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
from transforms.customer import DETRACTOR_MAX, PROMOTER_MIN, nps_score
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import ALL, metric_rows, safe_div

AVERAGE_HEADCOUNT = (pl.col("at_start") + pl.col("at_end")) / 2


def kpis(
    frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams
) -> list[pl.LazyFrame]:
    """Every growth.* KPI of ``period`` as lazy metric rows (segment "all" only)."""
    totals = pl.concat(
        [
            pl.LazyFrame({"dim": [ALL], "segment": [ALL]}),
            _headcount_totals(frames["agents"], period),
            _training_totals(frames["trainings"], period),
            _resolved_totals(frames["tickets"], period),
            _enps_totals(frames["survey_responses"], period),
            _tenure_csat_totals(frames, period, params),
        ],
        how="horizontal",
    )
    agents_n = pl.col("agents_n")
    at_end, hires, leavers = pl.col("at_end"), pl.col("hires"), pl.col("leavers")
    enps_n = pl.col("enps_n")
    new_n, experienced_n = pl.col("new_n"), pl.col("experienced_n")
    metrics = {
        "growth.headcount_end": (at_end, at_end),
        "growth.hires": (hires, hires),
        "growth.leavers": (leavers, leavers),
        "growth.attrition_pct": (safe_div(leavers * 100.0, AVERAGE_HEADCOUNT), agents_n),
        "growth.training_hours_per_agent": (
            safe_div(pl.col("training_hours"), AVERAGE_HEADCOUNT),
            agents_n,
        ),
        "growth.enps": (nps_score(pl.col("promoters"), pl.col("detractors"), enps_n), enps_n),
        "growth.tickets_per_agent": (safe_div(pl.col("resolved"), AVERAGE_HEADCOUNT), agents_n),
        "growth.new_agent_csat_gap": (
            safe_div(pl.col("new_satisfied") * 100.0, new_n)
            - safe_div(pl.col("experienced_satisfied") * 100.0, experienced_n),
            new_n + experienced_n,
        ),
    }
    return [metric_rows(totals, metrics)]


def _headcount_totals(agents: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """Agents active at P.start, at P.end, at either (the n of per-agent KPIs), hires, leavers."""
    at_start = active_at("hired_at", "left_at", period.start_utc)
    at_end = active_at("hired_at", "left_at", period.end_utc)
    return agents.select(
        at_start=at_start.sum(),
        at_end=at_end.sum(),
        agents_n=(at_start | at_end).sum(),
        hires=in_period("hired_at", period.start_utc, period.end_utc).sum(),
        leavers=in_period("left_at", period.start_utc, period.end_utc).sum(),
    )


def _training_totals(trainings: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    completed = in_period("completed_at", period.start_utc, period.end_utc)
    return trainings.select(training_hours=pl.col("hours").filter(completed).sum())


def _resolved_totals(tickets: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    return tickets.select(resolved=in_period("resolved_at", period.start_utc, period.end_utc).sum())


def _enps_totals(responses: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    score = pl.col("score")
    enps = (pl.col("survey") == "enps") & in_period(
        "submitted_at", period.start_utc, period.end_utc
    )
    return responses.filter(enps).select(
        promoters=(score >= PROMOTER_MIN).sum(),
        detractors=(score <= DETRACTOR_MAX).sum(),
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
    rated = (
        responses.select("ticket_id", "score")
        .join(tickets.select("ticket_id", "agent_id", "created_at"), on="ticket_id")
        .join(frames["agents"].select("agent_id", "hired_at"), on="agent_id")
    )
    tenure = pl.col("created_at") - pl.col("hired_at")
    new = tenure < pl.duration(days=params.new_agent_tenure_days)
    satisfied = pl.col("score") >= params.csat_satisfied_threshold
    return rated.select(
        new_n=new.sum(),
        new_satisfied=(new & satisfied).sum(),
        experienced_n=(~new).sum(),
        experienced_satisfied=(~new & satisfied).sum(),
    )
