"""The KPI catalogue in plain pandas: the baseline the Polars engine is timed against.

Written the way a competent analyst would write it from shared/kpi-catalogue.md:
boolean masks, one ``groupby(...).agg(...)`` per segment dimension, vectorised
ratios. It covers the **whole catalogue** — every KPI id of the four levels,
its "all" row and its segment rows (channel, cjm_stage, team for ticket KPIs;
channel for survey KPIs; customer_segment for the customer base) — so the timing
compares equal work. The benchmark checks on every run that its rows equal the
Polars engine's (within 1e-9), so it is a second reading of the catalogue, not a
source of truth.

    rows = pandas_metrics({entity: pd.read_parquet(...)}, period, MetricParams(...))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from transforms.catalogue import BY_ID, TICKET_DIMS
from transforms.params import MetricParams
from transforms.periods import Period

ALL = "all"
Rows = list[tuple[str, str, float | None, int]]
# KPI id -> (value, n), each a function of the aggregated table (one row per segment).
Metrics = dict[str, tuple[Callable[[pd.DataFrame], pd.Series], Callable[[pd.DataFrame], pd.Series]]]


def pandas_metrics(
    frames: Mapping[str, pd.DataFrame], period: Period, params: MetricParams
) -> pd.DataFrame:
    """All metric rows ``(kpi, segment, value, n)`` of ``period``, sorted by kpi and segment."""
    rows = (
        financial_rows(frames, period, params)
        + customer_rows(frames, period, params)
        + operational_rows(frames["tickets"], period, params)
        + growth_rows(frames, period, params)
    )
    table = pd.DataFrame(rows, columns=["kpi", "segment", "value", "n"])
    return table.sort_values(["kpi", "segment"], ignore_index=True)


# --- shared helpers -------------------------------------------------------------------------
def in_period(times: pd.Series, start, end) -> pd.Series:
    """``start <= time < end``; a missing time is in no period."""
    return (times >= start) & (times < end)


def active_at(since: pd.Series, until: pd.Series, instant) -> pd.Series:
    """The catalogue's rule: ``since < t`` and (``until`` is missing or ``until >= t``)."""
    return (since < instant) & (until.isna() | (until >= instant))


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN (null) where the denominator is zero."""
    return numerator / denominator.where(denominator != 0)


def p90(values: pd.Series) -> float:
    return values.quantile(0.9)


def aggregate(
    frame: pd.DataFrame, dims: tuple[str, ...], spec: dict[str, tuple[str, object]]
) -> pd.DataFrame:
    """``spec`` (name -> (column, aggregation)) over the whole frame and per value of each dim.

    One row per segment, indexed by the segment label ("all" or "dim=value"), with a
    ``dim`` column. A missing dimension value is labelled ``dim=(none)``.
    """
    whole = pd.DataFrame(
        {name: [frame[column].agg(how)] for name, (column, how) in spec.items()}, index=[ALL]
    )
    parts = [whole.assign(dim=ALL)]
    for dim in dims:
        grouped = frame.groupby(dim, dropna=False).agg(**spec)
        grouped.index = [
            f"{dim}=(none)" if pd.isna(value) else f"{dim}={value}" for value in grouped.index
        ]
        parts.append(grouped.assign(dim=dim))
    return pd.concat(parts)


def emit(table: pd.DataFrame, metrics: Metrics) -> Rows:
    """Rows of each KPI: its "all" row, and its catalogue segments where n >= 1."""
    rows: Rows = []
    for kpi, (value_of, n_of) in metrics.items():
        values, counts = value_of(table), n_of(table)
        for segment, dim, value, n in zip(table.index, table["dim"], values, counts):
            if dim == ALL or (dim in BY_ID[kpi].dims and n >= 1):
                rows.append((kpi, segment, None if pd.isna(value) else float(value), int(n)))
    return rows


# --- the customer base (customer and financial levels) ---------------------------------------
def customer_flags(customers: pd.DataFrame, period: Period) -> pd.DataFrame:
    start, end = period.start_utc, period.end_utc
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"],
            "customer_segment": customers["segment"],
            "at_start": active_at(customers["created_at"], customers["churned_at"], start),
            "at_end": active_at(customers["created_at"], customers["churned_at"], end),
            "churned_in_period": in_period(customers["churned_at"], start, end),
        }
    )


def add_base_columns(flags: pd.DataFrame) -> pd.DataFrame:
    return flags.assign(
        retained=flags["at_start"] & flags["at_end"], either=flags["at_start"] | flags["at_end"]
    )


BASE_SPEC = {
    "start_n": ("at_start", "sum"),
    "retained_n": ("retained", "sum"),
    "end_n": ("at_end", "sum"),
    "either_n": ("either", "sum"),
}


def churn_pct(t: pd.DataFrame) -> pd.Series:
    return ratio((t["start_n"] - t["retained_n"]) * 100.0, t["start_n"])


def avg_base(t: pd.DataFrame) -> pd.Series:
    return (t["start_n"] + t["end_n"]) / 2


def lifetime(churn: pd.Series, months: int) -> pd.Series:
    return ratio(pd.Series(100.0 * months, index=churn.index), churn)


# --- financial ------------------------------------------------------------------------------
def financial_rows(
    frames: Mapping[str, pd.DataFrame], period: Period, params: MetricParams
) -> Rows:
    orders, tickets = frames["orders"], frames["tickets"]
    start, end = period.start_utc, period.end_utc
    previous = period.previous()
    lookback_start = period.months_before_start_utc(params.churned_revenue_months)

    counted = orders[orders["status"].isin(["paid", "refunded"])]
    signed = counted["amount"].where(counted["status"] == "paid", -counted["amount"])
    in_p = in_period(counted["ordered_at"], start, end)
    paid = in_p & (counted["status"] == "paid")
    refunded = in_p & (counted["status"] == "refunded")

    revenue = (
        pd.DataFrame(
            {
                "customer_id": counted["customer_id"],
                "revenue": signed.where(in_p, 0.0),
                "previous_revenue": signed.where(
                    in_period(counted["ordered_at"], previous.start_utc, previous.end_utc), 0.0
                ),
                "lookback_revenue": signed.where(
                    in_period(counted["ordered_at"], lookback_start, start), 0.0
                ),
            }
        )
        .groupby("customer_id")
        .sum()
    )
    base = add_base_columns(customer_flags(frames["customers"], period)).join(
        revenue, on="customer_id"
    )
    base[["revenue", "previous_revenue", "lookback_revenue"]] = base[
        ["revenue", "previous_revenue", "lookback_revenue"]
    ].fillna(0.0)
    base["start_base_revenue"] = base["revenue"].where(base["at_start"], 0.0)
    base["start_base_previous_revenue"] = base["previous_revenue"].where(base["at_start"], 0.0)
    base["churned_revenue"] = base["lookback_revenue"].where(base["churned_in_period"], 0.0)
    table = aggregate(
        base,
        ("customer_segment",),
        {
            **BASE_SPEC,
            "revenue": ("revenue", "sum"),
            "start_base_revenue": ("start_base_revenue", "sum"),
            "start_base_previous_revenue": ("start_base_previous_revenue", "sum"),
            "churned_n": ("churned_in_period", "sum"),
            "churned_revenue": ("churned_revenue", "sum"),
        },
    )

    months = [month.label for month in period.month_periods()]
    costs = frames.get("costs", pd.DataFrame({"period": [], "amount": []}))
    costs = costs[costs["period"].isin(months)]
    cost = costs["amount"].sum() if costs["period"].nunique() == len(months) else np.nan
    paid_sum, paid_n = counted.loc[paid, "amount"].sum(), int(paid.sum())
    refunded_sum, refunded_n = counted.loc[refunded, "amount"].sum(), int(refunded.sum())
    payers = counted.loc[paid, "customer_id"].nunique()
    created = int(in_period(tickets["created_at"], start, end).sum())
    aov = paid_sum / paid_n if paid_n else np.nan
    frequency = paid_n / payers if payers else np.nan
    margin = params.gross_margin

    def const(value: float) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda t: pd.Series(value, index=t.index, dtype="float64")

    return emit(
        table,
        {
            "financial.net_revenue": (const(paid_sum - refunded_sum), const(paid_n + refunded_n)),
            "financial.aov": (const(aov), const(paid_n)),
            "financial.purchase_frequency": (const(frequency), const(payers)),
            "financial.arpu": (lambda t: ratio(t["revenue"], avg_base(t)), lambda t: t["either_n"]),
            "financial.ltv": (
                lambda t: aov * frequency * lifetime(churn_pct(t), period.months) * margin,
                const(paid_n),
            ),
            "financial.nrr": (
                lambda t: ratio(t["start_base_revenue"] * 100.0, t["start_base_previous_revenue"]),
                lambda t: t["start_n"],
            ),
            "financial.churned_revenue": (lambda t: t["churned_revenue"], lambda t: t["churned_n"]),
            "financial.cost_per_ticket": (
                const(cost / created if created else np.nan),
                const(created),
            ),
        },
    )


# --- customer -------------------------------------------------------------------------------
def customer_rows(frames: Mapping[str, pd.DataFrame], period: Period, params: MetricParams) -> Rows:
    tickets = frames["tickets"]
    start, end = period.start_utc, period.end_utc
    base = aggregate(
        add_base_columns(customer_flags(frames["customers"], period)),
        ("customer_segment",),
        BASE_SPEC,
    )
    everyone = base.loc[ALL]

    complaints = tickets[in_period(tickets["created_at"], start, end) & tickets["is_complaint"]]
    complaint_table = aggregate(complaints, TICKET_DIMS, {"complaints": ("ticket_id", "size")})

    responses = survey_responses_in(frames["survey_responses"], tickets, period)
    survey = responses["survey"]
    score = responses["score"]
    csat, ces, nps = survey == "csat", survey == "ces", survey == "nps"
    low_effort = (
        score <= params.ces_low_effort_threshold
        if params.ces_higher_is_more_effort
        else score >= params.ces_low_effort_threshold
    )
    measures = pd.DataFrame(
        {
            "channel": responses["channel"],
            "csat": csat,
            "csat_score": score.where(csat, 0),
            "csat_satisfied": csat & (score >= params.csat_satisfied_threshold),
            "csat_naming_ticket": csat & responses["ticket_id"].notna(),
            "nps": nps,
            "promoters": nps & (score >= 9),
            "detractors": nps & (score <= 6),
            "ces": ces,
            "ces_score": score.where(ces, 0),
            "ces_low_effort": ces & low_effort,
        }
    )
    survey_table = aggregate(
        measures,
        ("channel",),
        {name: (name, "sum") for name in measures.columns if name != "channel"},
    )
    resolved = int(in_period(tickets["resolved_at"], start, end).sum())

    def base_n(t: pd.DataFrame) -> pd.Series:
        return t["start_n"]

    return (
        emit(
            base,
            {
                "customer.churn_rate": (churn_pct, base_n),
                "customer.retention_rate": (lambda t: 100.0 - churn_pct(t), base_n),
                "customer.lifetime_months": (
                    lambda t: lifetime(churn_pct(t), period.months),
                    base_n,
                ),
            },
        )
        + emit(
            complaint_table,
            {
                "customer.complaints": (lambda t: t["complaints"], lambda t: t["complaints"]),
                "customer.complaint_rate": (
                    lambda t: ratio(
                        t["complaints"] * 1000.0, pd.Series(avg_base(everyone), index=t.index)
                    ),
                    lambda t: pd.Series(everyone["either_n"], index=t.index),
                ),
            },
        )
        + emit(
            survey_table,
            {
                "customer.csat_mean": (
                    lambda t: ratio(t["csat_score"], t["csat"]),
                    lambda t: t["csat"],
                ),
                "customer.csat_pct": (
                    lambda t: ratio(t["csat_satisfied"] * 100.0, t["csat"]),
                    lambda t: t["csat"],
                ),
                "customer.nps": (
                    lambda t: nps_score(t["promoters"], t["detractors"], t["nps"]),
                    lambda t: t["nps"],
                ),
                "customer.nps_moe": (
                    lambda t: nps_moe(t["promoters"], t["detractors"], t["nps"]),
                    lambda t: t["nps"],
                ),
                "customer.ces_mean": (
                    lambda t: ratio(t["ces_score"], t["ces"]),
                    lambda t: t["ces"],
                ),
                "customer.low_effort_pct": (
                    lambda t: ratio(t["ces_low_effort"] * 100.0, t["ces"]),
                    lambda t: t["ces"],
                ),
                "customer.survey_response_rate": (
                    lambda t: ratio(
                        t["csat_naming_ticket"] * 100.0, pd.Series(resolved, index=t.index)
                    ),
                    lambda t: pd.Series(resolved, index=t.index),
                ),
            },
        )
    )


def survey_responses_in(
    responses: pd.DataFrame, tickets: pd.DataFrame, period: Period
) -> pd.DataFrame:
    """csat, ces and nps responses submitted in P; a response without a channel takes its ticket's."""
    picked = responses[
        in_period(responses["submitted_at"], period.start_utc, period.end_utc)
        & responses["survey"].isin(["csat", "ces", "nps"])
    ]
    ticket_channel = tickets.set_index("ticket_id")["channel"]
    channel = picked["channel"].fillna(picked["ticket_id"].map(ticket_channel))
    return picked[["survey", "score", "ticket_id"]].assign(channel=channel)


def nps_score(promoters: pd.Series, detractors: pd.Series, n: pd.Series) -> pd.Series:
    return ratio(100.0 * (promoters - detractors), n)


def nps_moe(promoters: pd.Series, detractors: pd.Series, n: pd.Series) -> pd.Series:
    p, d = ratio(promoters * 1.0, n), ratio(detractors * 1.0, n)
    return 1.96 * 100.0 * np.sqrt(ratio(p + d - (p - d) ** 2, n))


# --- operational ----------------------------------------------------------------------------
def operational_rows(tickets: pd.DataFrame, period: Period, params: MetricParams) -> Rows:
    start, end = period.start_utc, period.end_utc
    window = tickets[
        (tickets["created_at"] < end)
        & (
            (tickets["created_at"] >= start)
            | tickets["resolved_at"].isna()
            | (tickets["resolved_at"] >= start)
        )
    ]
    created = in_period(window["created_at"], start, end)
    resolved = in_period(window["resolved_at"], start, end)
    answered = window["first_response_at"].notna()
    frt = window["first_response_at"] - window["created_at"]
    frt_min = (frt / pd.Timedelta(minutes=1)).where(created)
    business = in_business_hours(window["created_at"], params)

    target = pd.to_timedelta(window["channel"].map(params.sla_frt_minutes), unit="min")
    # met (1), breached (0), or unknown (NaN): no target for the channel, or unanswered and still in time
    sla_met = np.select(
        [target.isna(), answered, (end - window["created_at"]) >= target],
        [np.nan, (frt <= target).astype(float), 0.0],
        default=np.nan,
    )

    facts = pd.DataFrame(
        {
            "channel": window["channel"],
            "cjm_stage": window["cjm_stage"],
            "team": window["team"],
            "created": created,
            "resolved": resolved,
            "open_at_end": window["resolved_at"].isna() | (window["resolved_at"] >= end),
            "frt_min": frt_min,
            "frt_business_min": frt_min.where(business),
            "frt_off_hours_min": frt_min.where(~business),
            "sla_met": pd.Series(sla_met, index=window.index).where(created),
            "resolution_h": (
                (window["resolved_at"] - window["created_at"]) / pd.Timedelta(hours=1)
            ).where(resolved),
            "first_contact": ((window["contacts"] == 1) & (window["reopens"] == 0))
            .astype(float)
            .where(resolved),
            "reopened": (window["reopens"] >= 1).astype(float).where(resolved),
            "handle_min": (window["handle_seconds"] / 60).where(resolved),
            "resolved_contacts": window["contacts"].astype(float).where(resolved),
            "bot_contained": window["agent_id"]
            .isna()
            .astype(float)
            .where(resolved & (window["channel"] == "chatbot")),
        }
    )
    table = aggregate(
        facts,
        TICKET_DIMS,
        {
            "created_n": ("created", "sum"),
            "resolved_n": ("resolved", "sum"),
            "open_n": ("open_at_end", "sum"),
            "answered_n": ("frt_min", "count"),
            "frt_median": ("frt_min", "median"),
            "frt_p90": ("frt_min", p90),
            "frt_off_hours_median": ("frt_off_hours_min", "median"),
            "frt_business_median": ("frt_business_min", "median"),
            "sla_share": ("sla_met", "mean"),
            "sla_n": ("sla_met", "count"),
            "resolution_median": ("resolution_h", "median"),
            "resolution_p90": ("resolution_h", p90),
            "fcr_share": ("first_contact", "mean"),
            "reopen_share": ("reopened", "mean"),
            "handle_min_mean": ("handle_min", "mean"),
            "handled_n": ("handle_min", "count"),
            "contacts_mean": ("resolved_contacts", "mean"),
            "bot_share": ("bot_contained", "mean"),
            "bot_n": ("bot_contained", "count"),
        },
    )

    def column(name: str) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda t: t[name]

    def pct(name: str) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda t: t[name] * 100

    resolved_n = column("resolved_n")
    return emit(
        table,
        {
            "operational.tickets_created": (column("created_n"), column("created_n")),
            "operational.tickets_resolved": (resolved_n, resolved_n),
            "operational.backlog_end": (column("open_n"), column("open_n")),
            "operational.frt_median_min": (column("frt_median"), column("answered_n")),
            "operational.frt_p90_min": (column("frt_p90"), column("answered_n")),
            "operational.sla_frt_pct": (pct("sla_share"), column("sla_n")),
            "operational.resolution_median_h": (column("resolution_median"), resolved_n),
            "operational.resolution_p90_h": (column("resolution_p90"), resolved_n),
            "operational.fcr_pct": (pct("fcr_share"), resolved_n),
            "operational.reopen_pct": (pct("reopen_share"), resolved_n),
            "operational.aht_min": (column("handle_min_mean"), column("handled_n")),
            "operational.contacts_per_resolution": (column("contacts_mean"), resolved_n),
            "operational.off_hours_frt_ratio": (
                lambda t: ratio(t["frt_off_hours_median"], t["frt_business_median"]),
                column("answered_n"),
            ),
            "operational.bot_containment_pct": (pct("bot_share"), column("bot_n")),
        },
    )


def in_business_hours(times: pd.Series, params: MetricParams) -> pd.Series:
    """Local ISO weekday in the business days and local clock time in [start, end)."""
    local = times.dt.tz_convert(params.reporting_tz)
    clock = (
        local.dt.hour * 3600 + local.dt.minute * 60 + local.dt.second + local.dt.microsecond / 1e6
    )
    opens, closes = (
        pd.Timedelta(f"{hhmm}:00").total_seconds()
        for hhmm in (params.business_start, params.business_end)
    )
    return (local.dt.weekday + 1).isin(params.business_days) & (clock >= opens) & (clock < closes)


# --- growth & learning ----------------------------------------------------------------------
def growth_rows(frames: Mapping[str, pd.DataFrame], period: Period, params: MetricParams) -> Rows:
    agents, tickets, responses = frames["agents"], frames["tickets"], frames["survey_responses"]
    trainings = frames["trainings"]
    start, end = period.start_utc, period.end_utc
    at_start = active_at(agents["hired_at"], agents["left_at"], start)
    at_end = active_at(agents["hired_at"], agents["left_at"], end)
    average_headcount = (at_start.sum() + at_end.sum()) / 2
    agents_n = int((at_start | at_end).sum())
    hires = int(in_period(agents["hired_at"], start, end).sum())
    leavers = int(in_period(agents["left_at"], start, end).sum())
    training_hours = trainings.loc[in_period(trainings["completed_at"], start, end), "hours"].sum()
    resolved = int(in_period(tickets["resolved_at"], start, end).sum())

    submitted = in_period(responses["submitted_at"], start, end)
    enps = responses.loc[submitted & (responses["survey"] == "enps"), "score"]
    promoters, detractors = int((enps >= 9).sum()), int((enps <= 6).sum())

    rated = (
        responses.loc[
            submitted & (responses["survey"] == "csat") & responses["ticket_id"].notna(),
            ["ticket_id", "score"],
        ]
        .merge(
            tickets.loc[tickets["agent_id"].notna(), ["ticket_id", "agent_id", "created_at"]],
            on="ticket_id",
        )
        .merge(agents[["agent_id", "hired_at"]], on="agent_id")
    )
    new = (rated["created_at"] - rated["hired_at"]) < pd.Timedelta(
        days=params.new_agent_tenure_days
    )
    satisfied = rated["score"] >= params.csat_satisfied_threshold
    new_n, experienced_n = int(new.sum()), int((~new).sum())

    def share(count: int, of: int) -> float:
        return count * 100.0 / of if of else np.nan

    def per_agent(total: float) -> float:
        return total / average_headcount if average_headcount else np.nan

    values = {
        "growth.headcount_end": (at_end.sum(), at_end.sum()),
        "growth.hires": (hires, hires),
        "growth.leavers": (leavers, leavers),
        "growth.attrition_pct": (per_agent(leavers * 100.0), agents_n),
        "growth.training_hours_per_agent": (per_agent(training_hours), agents_n),
        "growth.enps": (share(promoters - detractors, len(enps)), len(enps)),
        "growth.tickets_per_agent": (per_agent(resolved), agents_n),
        "growth.new_agent_csat_gap": (
            share(int((new & satisfied).sum()), new_n)
            - share(int((~new & satisfied).sum()), experienced_n),
            new_n + experienced_n,
        ),
    }
    return [
        (kpi, ALL, None if pd.isna(value) else float(value), int(n))
        for kpi, (value, n) in values.items()
    ]
