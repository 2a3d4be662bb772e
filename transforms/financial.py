"""Financial level KPIs (shared/kpi-catalogue.md, "Financial level").

Orders are filtered once to the paid and refunded orders of one window that
covers the period, the previous period (NRR) and the churned-revenue look-back;
every revenue figure is a conditional sum over that window.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms.base import in_period
from transforms.catalogue import BASE_DIMS
from transforms.customer import AVG_BASE, BASE_AGGS, CHURN_PCT, customer_flags, lifetime_months
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import ALL, kpi_rows, safe_div, segment_frames
from transforms.schema import empty_frame

AOV: pl.Expr = safe_div(pl.col("paid_sum"), pl.col("paid_n"))
PURCHASE_FREQUENCY: pl.Expr = safe_div(pl.col("paid_n"), pl.col("payers"))


def revenue_window(orders: pl.LazyFrame, period: Period, params: MetricParams) -> pl.LazyFrame:
    """Paid and refunded orders from the earliest date any revenue KPI looks at up to ``period.end``.

    Adds ``signed``: the amount, negative for a refund (net revenue = Σ signed).
    """
    window_start = min(
        period.previous().start_utc,
        period.months_before_start_utc(params.churned_revenue_months),
    )
    return orders.filter(
        (pl.col("ordered_at") >= window_start)
        & (pl.col("ordered_at") < period.end_utc)
        & pl.col("status").is_in(["paid", "refunded"])
    ).select(
        "customer_id",
        "ordered_at",
        "amount",
        "status",
        pl.when(pl.col("status") == "refunded")
        .then(-pl.col("amount"))
        .otherwise(pl.col("amount"))
        .alias("signed"),
    )


def _order_summary(window: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """One row: paid and refunded sums and counts in ``period``, distinct paying customers."""
    in_p = in_period("ordered_at", period.start_utc, period.end_utc)
    paid = in_p & (pl.col("status") == "paid")
    refunded = in_p & (pl.col("status") == "refunded")
    return window.select(
        pl.lit(ALL).alias("segment"),
        pl.col("amount").filter(paid).sum().alias("paid_sum"),
        paid.sum().alias("paid_n"),
        pl.col("amount").filter(refunded).sum().alias("refunded_sum"),
        refunded.sum().alias("refunded_n"),
        pl.col("customer_id").filter(paid).n_unique().alias("payers"),
    )


def _customer_revenue(
    window: pl.LazyFrame, customers: pl.LazyFrame, period: Period, params: MetricParams
) -> pl.LazyFrame:
    """``customer_flags`` plus each customer's net revenue in P, in the previous period
    and in the churned-revenue look-back before P (0 without orders)."""
    previous = period.previous()
    by_customer = window.group_by("customer_id").agg(
        pl.col("signed").filter(in_period("ordered_at", period.start_utc, period.end_utc))
        .sum().alias("revenue"),
        pl.col("signed").filter(in_period("ordered_at", previous.start_utc, previous.end_utc))
        .sum().alias("previous_revenue"),
        pl.col("signed").filter(
            in_period(
                "ordered_at",
                period.months_before_start_utc(params.churned_revenue_months),
                period.start_utc,
            )
        ).sum().alias("lookback_revenue"),
    )
    return (
        customer_flags(customers, period)
        .join(by_customer, on="customer_id", how="left")
        .with_columns(pl.col("revenue", "previous_revenue", "lookback_revenue").fill_null(0.0))
    )


def _cost_and_tickets(
    costs: pl.LazyFrame, tickets: pl.LazyFrame, period: Period
) -> pl.LazyFrame:
    """One row: service cost of P, how many of P's months have cost rows, tickets created in P."""
    months = [month.label for month in period.month_periods()]
    cost = costs.filter(pl.col("period").is_in(months)).select(
        pl.lit(ALL).alias("segment"),
        pl.col("amount").sum().alias("cost"),
        pl.col("period").n_unique().alias("cost_months"),
    )
    created = tickets.filter(in_period("created_at", period.start_utc, period.end_utc)).select(
        pl.len().alias("created")
    )
    return pl.concat([cost, created], how="horizontal")


def kpis(frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams) -> list[pl.LazyFrame]:
    """Every financial.* KPI of ``period`` as lazy metric rows."""
    window = revenue_window(frames["orders"], period, params)
    orders = [_order_summary(window, period)]
    customer_revenue = _customer_revenue(window, frames["customers"], period, params)
    base = segment_frames(customer_revenue, BASE_DIMS, [*BASE_AGGS, pl.col("revenue").sum()])
    orders_and_base = [pl.concat([orders[0], base[0].drop("segment")], how="horizontal")]
    start_base = [
        customer_revenue.select(
            pl.lit(ALL).alias("segment"),
            pl.col("at_start").sum().alias("start_n"),
            pl.col("revenue").filter("at_start").sum().alias("revenue"),
            pl.col("previous_revenue").filter("at_start").sum().alias("previous_revenue"),
            pl.col("churned_in_period").sum().alias("churned_n"),
            pl.col("lookback_revenue").filter("churned_in_period").sum().alias("churned_revenue"),
        )
    ]
    costs = frames.get("costs", empty_frame("costs").lazy())
    cost = [_cost_and_tickets(costs, frames["tickets"], period)]

    paid_n, created = pl.col("paid_n"), pl.col("created")
    has_full_cost = pl.col("cost_months") == period.months
    return [
        kpi_rows(
            orders,
            "financial.net_revenue",
            pl.col("paid_sum") - pl.col("refunded_sum"),
            paid_n + pl.col("refunded_n"),
        ),
        kpi_rows(orders, "financial.aov", AOV, paid_n),
        kpi_rows(orders, "financial.purchase_frequency", PURCHASE_FREQUENCY, pl.col("payers")),
        kpi_rows(base, "financial.arpu", safe_div(pl.col("revenue"), AVG_BASE), pl.col("either_n")),
        kpi_rows(
            orders_and_base,
            "financial.ltv",
            AOV * PURCHASE_FREQUENCY * lifetime_months(CHURN_PCT, period.months) * params.gross_margin,
            paid_n,
        ),
        kpi_rows(
            start_base,
            "financial.nrr",
            safe_div(pl.col("revenue") * 100.0, pl.col("previous_revenue")),
            pl.col("start_n"),
        ),
        kpi_rows(start_base, "financial.churned_revenue", pl.col("churned_revenue"), pl.col("churned_n")),
        kpi_rows(
            cost,
            "financial.cost_per_ticket",
            pl.when(has_full_cost).then(safe_div(pl.col("cost"), created)),
            created,
        ),
    ]
