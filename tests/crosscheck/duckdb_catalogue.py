"""The whole KPI catalogue, implemented a second time in DuckDB SQL.

Written from shared/kpi-catalogue.md and the house conventions alone, to cross-check
the Polars engine (transforms/compute.py): two readings of the catalogue catch what
one misses. The frames are registered in an in-memory DuckDB connection (Arrow, zero
copy) and every formula parameter sits in the one-row table ``p``. Each family of KPIs
is aggregated once into a small table with a ``segment`` column (GROUPING SETS give
the "all" row and the "dim=value" rows); every KPI id is then a pair of SQL
expressions, its value and its n, over one of those tables (:data:`KPI_SQL`).
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl
from polars import CompatLevel

from transforms.catalogue import KPIS
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import METRIC_SCHEMA
from transforms.schema import ENTITIES, empty_frame

MICROS_PER_MINUTE = 60_000_000
MICROS_PER_DAY = 24 * 60 * MICROS_PER_MINUTE

# Every parameter of the formulas as one row, so that the SQL below has no literals.
SETTINGS_SQL = """
CREATE TABLE p AS SELECT
    $start::TIMESTAMPTZ AS start_ts,
    $end::TIMESTAMPTZ AS end_ts,
    $previous_start::TIMESTAMPTZ AS previous_start,
    $lookback_start::TIMESTAMPTZ AS lookback_start,
    $months::INTEGER AS months,
    $cost_months::VARCHAR[] AS cost_months,
    $tz::VARCHAR AS tz,
    $business_days::INTEGER[] AS business_days,
    $business_start::TIME AS business_start,
    $business_end::TIME AS business_end,
    $csat_satisfied::INTEGER AS csat_satisfied,
    $ces_low_effort::INTEGER AS ces_low_effort,
    $ces_higher_is_more_effort::BOOLEAN AS ces_higher_is_more_effort,
    $gross_margin::DOUBLE AS gross_margin,
    $tenure_us::BIGINT AS new_agent_tenure_us
"""

MACROS_SQL = """
CREATE MACRO safe_div(a, b) AS CASE WHEN b <> 0 THEN CAST(a AS DOUBLE) / b END;
CREATE MACRO in_p(ts, lo, hi) AS coalesce(ts >= lo AND ts < hi, false);
CREATE MACRO active_at(since, until, t) AS since < t AND (until IS NULL OR until >= t);
CREATE MACRO churn_pct(start_base, retained) AS 100 * safe_div(start_base - retained, start_base);
CREATE MACRO lifetime(start_base, retained, months) AS
    safe_div(1, churn_pct(start_base, retained) / 100) * months;
CREATE MACRO ticket_segment(by_channel, channel, by_stage, cjm_stage, by_team, team) AS CASE
    WHEN by_channel = 0 THEN 'channel=' || coalesce(channel, '(none)')
    WHEN by_stage = 0 THEN 'cjm_stage=' || coalesce(cjm_stage, '(none)')
    WHEN by_team = 0 THEN 'team=' || coalesce(team, '(none)')
    ELSE 'all'
END;
CREATE MACRO nps(promoters, detractors, n) AS 100 * safe_div(promoters - detractors, n);
CREATE MACRO nps_moe(promoters, detractors, n) AS 1.96 * 100 * sqrt(safe_div(
    safe_div(promoters, n) + safe_div(detractors, n)
    - pow(safe_div(promoters, n) - safe_div(detractors, n), 2), n));
"""

FINANCIAL_SQL = """
CREATE TABLE financial AS
SELECT
    'all' AS segment,
    coalesce(sum(o.amount) FILTER (WHERE o.status = 'paid'), 0)
        - coalesce(sum(o.amount) FILTER (WHERE o.status = 'refunded'), 0) AS net_revenue,
    count(*) FILTER (WHERE o.status IN ('paid', 'refunded')) AS revenue_orders,
    sum(o.amount) FILTER (WHERE o.status = 'paid') AS paid_amount,
    count(*) FILTER (WHERE o.status = 'paid') AS paid_orders,
    count(DISTINCT o.customer_id) FILTER (WHERE o.status = 'paid') AS paying_customers,
    -- The service cost of P is known only when every month of P has cost rows.
    (SELECT CASE WHEN count(DISTINCT c.period) = any_value(len(p.cost_months)) THEN sum(c.amount) END
     FROM costs c, p WHERE list_contains(p.cost_months, c.period)) AS service_cost
FROM orders o, p
WHERE in_p(o.ordered_at, p.start_ts, p.end_ts)
"""

CUSTOMER_BASE_SQL = """
CREATE VIEW customer_revenue AS
SELECT
    o.customer_id,
    sum(o.signed_amount) FILTER (WHERE in_p(o.ordered_at, p.start_ts, p.end_ts)) AS revenue_p,
    sum(o.signed_amount) FILTER (WHERE in_p(o.ordered_at, p.previous_start, p.start_ts)) AS revenue_previous,
    sum(o.signed_amount) FILTER (WHERE in_p(o.ordered_at, p.lookback_start, p.start_ts)) AS revenue_lookback
FROM (
    SELECT customer_id, ordered_at,
           CASE status WHEN 'paid' THEN amount WHEN 'refunded' THEN -amount END AS signed_amount
    FROM orders WHERE status IN ('paid', 'refunded')
) o, p
GROUP BY o.customer_id;

CREATE TABLE customer_base AS
SELECT
    CASE WHEN grouping(c.customer_segment) = 0
         THEN 'customer_segment=' || coalesce(c.customer_segment, '(none)') ELSE 'all' END AS segment,
    count(*) FILTER (WHERE c.at_start) AS start_base,
    count(*) FILTER (WHERE c.at_start AND c.at_end) AS retained,
    count(*) FILTER (WHERE c.at_end) AS end_base,
    count(*) FILTER (WHERE c.at_start OR c.at_end) AS customers_either,
    coalesce(sum(r.revenue_p), 0) AS segment_revenue,
    coalesce(sum(r.revenue_p) FILTER (WHERE c.at_start), 0) AS start_base_revenue,
    coalesce(sum(r.revenue_previous) FILTER (WHERE c.at_start), 0) AS start_base_revenue_previous,
    count(*) FILTER (WHERE c.churned_in_p) AS churned,
    coalesce(sum(r.revenue_lookback) FILTER (WHERE c.churned_in_p), 0) AS churned_revenue
FROM (
    SELECT cu.customer_id, cu.segment AS customer_segment,
           active_at(cu.created_at, cu.churned_at, p.start_ts) AS at_start,
           active_at(cu.created_at, cu.churned_at, p.end_ts) AS at_end,
           in_p(cu.churned_at, p.start_ts, p.end_ts) AS churned_in_p
    FROM customers cu, p
) c LEFT JOIN customer_revenue r USING (customer_id)
GROUP BY GROUPING SETS ((), (c.customer_segment))
"""

TICKETS_SQL = """
CREATE VIEW ticket_facts AS
SELECT
    t.channel, t.cjm_stage, t.team, t.agent_id, t.is_complaint, t.contacts, t.reopens,
    t.handle_seconds,
    in_p(t.created_at, p.start_ts, p.end_ts) AS created_in_p,
    in_p(t.resolved_at, p.start_ts, p.end_ts) AS resolved_in_p,
    t.created_at < p.end_ts AND (t.resolved_at IS NULL OR t.resolved_at >= p.end_ts) AS open_at_end,
    (epoch_us(t.first_response_at) - epoch_us(t.created_at)) / 60e6 AS frt_min,
    (epoch_us(t.resolved_at) - epoch_us(t.created_at)) / 3600e6 AS resolution_h,
    CASE
        WHEN t.first_response_at IS NOT NULL
            THEN epoch_us(t.first_response_at) - epoch_us(t.created_at) <= s.target_us
        WHEN epoch_us(t.created_at) + s.target_us <= epoch_us(p.end_ts) THEN false
    END AS met_sla,  -- null: outcome not known yet (or no target for the channel)
    NOT (list_contains(p.business_days, isodow(timezone(p.tz, t.created_at)))
         AND CAST(timezone(p.tz, t.created_at) AS TIME) >= p.business_start
         AND CAST(timezone(p.tz, t.created_at) AS TIME) < p.business_end) AS off_hours
FROM tickets t CROSS JOIN p LEFT JOIN sla_target s ON s.channel = t.channel;

-- Three bases (created in P, resolved in P, open at P.end), each aggregated over its own rows.
CREATE TABLE tickets_created AS
SELECT
    ticket_segment(grouping(channel), channel, grouping(cjm_stage), cjm_stage, grouping(team), team)
        AS segment,
    count(*) AS created,
    count(*) FILTER (WHERE is_complaint) AS complaints,
    count(frt_min) AS answered,
    quantile_cont(frt_min, 0.5) AS frt_median,
    quantile_cont(frt_min, 0.9) AS frt_p90,
    quantile_cont(frt_min, 0.5) FILTER (WHERE off_hours) AS frt_median_off_hours,
    quantile_cont(frt_min, 0.5) FILTER (WHERE NOT off_hours) AS frt_median_business,
    count(met_sla) AS sla_base,
    count(*) FILTER (WHERE met_sla) AS sla_met
FROM ticket_facts WHERE created_in_p
GROUP BY GROUPING SETS ((), (channel), (cjm_stage), (team));

CREATE TABLE tickets_resolved AS
SELECT
    ticket_segment(grouping(channel), channel, grouping(cjm_stage), cjm_stage, grouping(team), team)
        AS segment,
    count(*) AS resolved,
    quantile_cont(resolution_h, 0.5) AS resolution_median,
    quantile_cont(resolution_h, 0.9) AS resolution_p90,
    count(*) FILTER (WHERE contacts = 1 AND reopens = 0) AS first_contact,
    count(*) FILTER (WHERE reopens >= 1) AS reopened,
    count(handle_seconds) AS handled,
    avg(handle_seconds) / 60 AS aht_min,
    avg(contacts) AS contacts_mean,
    count(*) FILTER (WHERE channel = 'chatbot') AS bot_resolved,
    count(*) FILTER (WHERE channel = 'chatbot' AND agent_id IS NULL) AS bot_contained
FROM ticket_facts WHERE resolved_in_p
GROUP BY GROUPING SETS ((), (channel), (cjm_stage), (team));

CREATE TABLE tickets_open AS
SELECT
    ticket_segment(grouping(channel), channel, grouping(cjm_stage), cjm_stage, grouping(team), team)
        AS segment,
    count(*) AS backlog
FROM ticket_facts WHERE open_at_end
GROUP BY GROUPING SETS ((), (channel), (cjm_stage), (team));

-- A segment missing from a base has null columns there, so its rows of that base are dropped.
CREATE TABLE ticket_kpis AS
SELECT *
FROM tickets_created
FULL JOIN tickets_resolved USING (segment)
FULL JOIN tickets_open USING (segment)
"""

SURVEYS_SQL = """
CREATE TABLE responses_in_p AS
SELECT
    r.survey, r.score, r.ticket_id,
    coalesce(r.channel, t.channel) AS channel,
    t.agent_id AS ticket_agent_id,
    t.created_at AS ticket_created_at,
    r.survey = 'csat' AND r.score >= p.csat_satisfied AS satisfied,
    r.survey = 'ces' AND CASE WHEN p.ces_higher_is_more_effort THEN r.score <= p.ces_low_effort
                              ELSE r.score >= p.ces_low_effort END AS low_effort
FROM survey_responses r CROSS JOIN p LEFT JOIN tickets t ON t.ticket_id = r.ticket_id
WHERE in_p(r.submitted_at, p.start_ts, p.end_ts);

CREATE TABLE survey_kpis AS
SELECT
    CASE WHEN grouping(channel) = 0 THEN 'channel=' || coalesce(channel, '(none)') ELSE 'all' END AS segment,
    count(*) FILTER (WHERE survey = 'csat') AS csat_n,
    avg(score) FILTER (WHERE survey = 'csat') AS csat_mean,
    count(*) FILTER (WHERE satisfied) AS csat_satisfied,
    count(*) FILTER (WHERE survey = 'csat' AND ticket_id IS NOT NULL) AS csat_naming_ticket,
    count(*) FILTER (WHERE survey = 'nps') AS nps_n,
    count(*) FILTER (WHERE survey = 'nps' AND score >= 9) AS nps_promoters,
    count(*) FILTER (WHERE survey = 'nps' AND score <= 6) AS nps_detractors,
    count(*) FILTER (WHERE survey = 'ces') AS ces_n,
    avg(score) FILTER (WHERE survey = 'ces') AS ces_mean,
    count(*) FILTER (WHERE low_effort) AS ces_low_effort,
    count(*) FILTER (WHERE survey = 'enps') AS enps_n,
    count(*) FILTER (WHERE survey = 'enps' AND score >= 9) AS enps_promoters,
    count(*) FILTER (WHERE survey = 'enps' AND score <= 6) AS enps_detractors
FROM responses_in_p
GROUP BY GROUPING SETS ((), (channel))
"""

GROWTH_SQL = """
CREATE TABLE agent_base AS
SELECT
    'all' AS segment,
    count(*) FILTER (WHERE active_at(a.hired_at, a.left_at, p.end_ts)) AS headcount_end,
    count(*) FILTER (WHERE active_at(a.hired_at, a.left_at, p.start_ts)) AS headcount_start,
    count(*) FILTER (WHERE active_at(a.hired_at, a.left_at, p.start_ts)
                        OR active_at(a.hired_at, a.left_at, p.end_ts)) AS agents_either,
    count(*) FILTER (WHERE in_p(a.hired_at, p.start_ts, p.end_ts)) AS hires,
    count(*) FILTER (WHERE in_p(a.left_at, p.start_ts, p.end_ts)) AS leavers,
    (SELECT coalesce(sum(tr.hours), 0) FROM trainings tr, p
     WHERE in_p(tr.completed_at, p.start_ts, p.end_ts)) AS training_hours
FROM agents a, p;

CREATE TABLE tenure_groups AS
SELECT
    'all' AS segment,
    count(*) FILTER (WHERE is_new) AS new_n,
    count(*) FILTER (WHERE is_new AND satisfied) AS new_satisfied,
    count(*) FILTER (WHERE NOT is_new) AS tenured_n,
    count(*) FILTER (WHERE NOT is_new AND satisfied) AS tenured_satisfied
FROM (
    SELECT r.satisfied,
           epoch_us(r.ticket_created_at) - epoch_us(a.hired_at) < p.new_agent_tenure_us AS is_new
    FROM responses_in_p r JOIN agents a ON a.agent_id = r.ticket_agent_id, p
    WHERE r.survey = 'csat'
)
"""

# The "all" rows of every family side by side, for KPIs that combine families.
OVERALL_SQL = """
CREATE TABLE overall AS
SELECT *
FROM financial
JOIN customer_base USING (segment)
JOIN ticket_kpis USING (segment)
JOIN survey_kpis USING (segment)
JOIN agent_base USING (segment)
JOIN tenure_groups USING (segment)
CROSS JOIN (SELECT gross_margin, months FROM p)
WHERE segment = 'all'
"""

AVG_CUSTOMERS = "(start_base + end_base) / 2"
AVG_HEADCOUNT = "(headcount_start + headcount_end) / 2"

# kpi id -> (table, value expression, n expression).
KPI_SQL: dict[str, tuple[str, str, str]] = {
    "financial.net_revenue": ("financial", "net_revenue", "revenue_orders"),
    "financial.aov": ("financial", "safe_div(paid_amount, paid_orders)", "paid_orders"),
    "financial.purchase_frequency": (
        "financial",
        "safe_div(paid_orders, paying_customers)",
        "paying_customers",
    ),
    "financial.arpu": (
        "customer_base",
        f"safe_div(segment_revenue, {AVG_CUSTOMERS})",
        "customers_either",
    ),
    "financial.ltv": (
        "overall",
        (
            "safe_div(paid_amount, paid_orders) * safe_div(paid_orders, paying_customers)"
            " * lifetime(start_base, retained, months) * gross_margin"
        ),
        "paid_orders",
    ),
    "financial.nrr": (
        "customer_base",
        "100 * safe_div(start_base_revenue, start_base_revenue_previous)",
        "start_base",
    ),
    "financial.churned_revenue": ("customer_base", "churned_revenue", "churned"),
    "financial.cost_per_ticket": ("overall", "safe_div(service_cost, created)", "created"),
    "customer.churn_rate": ("customer_base", "churn_pct(start_base, retained)", "start_base"),
    "customer.retention_rate": (
        "customer_base",
        "100 - churn_pct(start_base, retained)",
        "start_base",
    ),
    "customer.lifetime_months": ("overall", "lifetime(start_base, retained, months)", "start_base"),
    "customer.csat_mean": ("survey_kpis", "csat_mean", "csat_n"),
    "customer.csat_pct": ("survey_kpis", "100 * safe_div(csat_satisfied, csat_n)", "csat_n"),
    "customer.nps": ("survey_kpis", "nps(nps_promoters, nps_detractors, nps_n)", "nps_n"),
    "customer.nps_moe": ("survey_kpis", "nps_moe(nps_promoters, nps_detractors, nps_n)", "nps_n"),
    "customer.ces_mean": ("survey_kpis", "ces_mean", "ces_n"),
    "customer.low_effort_pct": ("survey_kpis", "100 * safe_div(ces_low_effort, ces_n)", "ces_n"),
    "customer.complaints": ("ticket_kpis", "complaints", "complaints"),
    "customer.complaint_rate": (
        "overall",
        f"1000 * safe_div(complaints, {AVG_CUSTOMERS})",
        "customers_either",
    ),
    "customer.survey_response_rate": (
        "overall",
        "100 * safe_div(csat_naming_ticket, resolved)",
        "resolved",
    ),
    "operational.tickets_created": ("ticket_kpis", "created", "created"),
    "operational.tickets_resolved": ("ticket_kpis", "resolved", "resolved"),
    "operational.backlog_end": ("ticket_kpis", "backlog", "backlog"),
    "operational.frt_median_min": ("ticket_kpis", "frt_median", "answered"),
    "operational.frt_p90_min": ("ticket_kpis", "frt_p90", "answered"),
    "operational.sla_frt_pct": ("ticket_kpis", "100 * safe_div(sla_met, sla_base)", "sla_base"),
    "operational.resolution_median_h": ("ticket_kpis", "resolution_median", "resolved"),
    "operational.resolution_p90_h": ("ticket_kpis", "resolution_p90", "resolved"),
    "operational.fcr_pct": ("ticket_kpis", "100 * safe_div(first_contact, resolved)", "resolved"),
    "operational.reopen_pct": ("ticket_kpis", "100 * safe_div(reopened, resolved)", "resolved"),
    "operational.aht_min": ("ticket_kpis", "aht_min", "handled"),
    "operational.contacts_per_resolution": ("ticket_kpis", "contacts_mean", "resolved"),
    "operational.off_hours_frt_ratio": (
        "ticket_kpis",
        "safe_div(frt_median_off_hours, frt_median_business)",
        "answered",
    ),
    "operational.bot_containment_pct": (
        "ticket_kpis",
        "100 * safe_div(bot_contained, bot_resolved)",
        "bot_resolved",
    ),
    "growth.headcount_end": ("agent_base", "headcount_end", "headcount_end"),
    "growth.hires": ("agent_base", "hires", "hires"),
    "growth.leavers": ("agent_base", "leavers", "leavers"),
    "growth.attrition_pct": (
        "agent_base",
        f"100 * safe_div(leavers, {AVG_HEADCOUNT})",
        "agents_either",
    ),
    "growth.training_hours_per_agent": (
        "agent_base",
        f"safe_div(training_hours, {AVG_HEADCOUNT})",
        "agents_either",
    ),
    "growth.enps": ("survey_kpis", "nps(enps_promoters, enps_detractors, enps_n)", "enps_n"),
    "growth.tickets_per_agent": (
        "overall",
        f"safe_div(resolved, {AVG_HEADCOUNT})",
        "agents_either",
    ),
    "growth.new_agent_csat_gap": (
        "tenure_groups",
        "100 * safe_div(new_satisfied, new_n) - 100 * safe_div(tenured_satisfied, tenured_n)",
        "new_n + tenured_n",
    ),
}

VIEWS_SQL = (FINANCIAL_SQL, CUSTOMER_BASE_SQL, TICKETS_SQL, SURVEYS_SQL, GROWTH_SQL, OVERALL_SQL)


def duckdb_metrics(
    frames: Mapping[str, pl.DataFrame | pl.LazyFrame], period: Period, params: MetricParams
) -> pl.DataFrame:
    """All metric rows ``(kpi, segment, value, n)`` of ``period``, sorted by kpi and segment."""
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("SET TimeZone = 'UTC'")
        _register_frames(connection, frames)
        _register_settings(connection, period, params)
        connection.execute(MACROS_SQL)
        for statement in VIEWS_SQL:
            connection.execute(statement)
        rows = connection.sql(rows_query()).pl()
    finally:
        connection.close()
    return rows.select(pl.col(name).cast(dtype) for name, dtype in METRIC_SCHEMA.items()).sort(
        "kpi", "segment"
    )


def rows_query() -> str:
    """One SELECT per KPI id, keeping the "all" row and the segment rows with n >= 1."""
    selects = []
    for kpi in KPIS:
        view, value, n = KPI_SQL[kpi.id]
        keep = "segment = 'all'"
        if kpi.dims:
            dims = ", ".join(f"'{dim}'" for dim in kpi.dims)
            keep += f" OR (split_part(segment, '=', 1) IN ({dims}) AND n >= 1)"
        selects.append(
            f"SELECT * FROM (SELECT '{kpi.id}' AS kpi, segment, CAST({value} AS DOUBLE) AS value,"
            f" CAST({n} AS BIGINT) AS n FROM {view}) WHERE {keep}"
        )
    return "\nUNION ALL\n".join(selects)


def _register_frames(
    connection: duckdb.DuckDBPyConnection, frames: Mapping[str, pl.DataFrame | pl.LazyFrame]
) -> None:
    """Each canonical entity as an Arrow-backed table; an absent optional export is empty.

    The newest Arrow compatibility level keeps Polars' string views, so nothing is copied.
    """
    for entity in ENTITIES:
        frame = frames.get(entity, empty_frame(entity))
        if isinstance(frame, pl.LazyFrame):
            frame = frame.collect()
        connection.register(entity, frame.to_arrow(compat_level=CompatLevel.newest()))


def _register_settings(
    connection: duckdb.DuckDBPyConnection, period: Period, params: MetricParams
) -> None:
    lookback = Period(period.first_month - params.churned_revenue_months, "month", period.tz)
    connection.execute(
        SETTINGS_SQL,
        {
            "start": period.start_utc,
            "end": period.end_utc,
            "previous_start": period.previous().start_utc,
            "lookback_start": lookback.start_utc,
            "months": period.months,
            "cost_months": [month.label for month in period.month_periods()],
            "tz": params.reporting_tz,
            "business_days": list(params.business_days),
            "business_start": params.business_start,
            "business_end": params.business_end,
            "csat_satisfied": params.csat_satisfied_threshold,
            "ces_low_effort": params.ces_low_effort_threshold,
            "ces_higher_is_more_effort": params.ces_higher_is_more_effort,
            "gross_margin": params.gross_margin,
            "tenure_us": params.new_agent_tenure_days * MICROS_PER_DAY,
        },
    )
    targets = pl.DataFrame(
        {
            "channel": list(params.sla_frt_minutes),
            "target_us": [
                round(minutes * MICROS_PER_MINUTE) for minutes in params.sla_frt_minutes.values()
            ],
        }
    )
    connection.register("sla_target", targets.to_arrow())
