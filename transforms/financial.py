"""Financial level KPIs (shared/kpi-catalogue.md, "Financial level").

Orders are filtered to the paid and refunded orders of one window that covers
the period, the previous period (NRR) and the churned-revenue look-back. Each
customer's revenue in those three spans is summed once and joined to the
customer base; the financial KPIs are ratios of sums over that join and over
the window's orders in P, all turned into rows by one ``metric_rows``.

Choices the catalogue leaves open:

- ``arpu``, ``nrr`` and ``churned_revenue`` count the orders of customers present
  in the customers export (validation quarantines orders of unknown customers);
  ``net_revenue``, ``aov`` and ``purchase_frequency`` count every order.
- The service cost of P is known only when every month of P has cost rows;
  otherwise (and without a costs export) ``cost_per_ticket`` is null.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms.base import in_period
from transforms.catalogue import BASE_DIMS
from transforms.customer import AVG_BASE, BASE_MEASURES, CHURN_PCT, customer_flags, lifetime_months
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import metric_rows, rollup, safe_div
from transforms.schema import empty_frame


def _revenue_window(orders: pl.LazyFrame, period: Period, params: MetricParams) -> pl.LazyFrame:
    """Paid and refunded orders from the earliest instant a revenue KPI reads up to ``period.end``.

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


def _order_totals(window: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """One row: paid and refunded sums and counts in ``period``, distinct paying customers."""
    in_p = in_period("ordered_at", period.start_utc, period.end_utc)
    paid = in_p & (pl.col("status") == "paid")
    refunded = in_p & (pl.col("status") == "refunded")
    return window.select(
        pl.col("amount").filter(paid).sum().alias("paid_sum"),
        paid.sum().alias("paid_n"),
        pl.col("amount").filter(refunded).sum().alias("refunded_sum"),
        refunded.sum().alias("refunded_n"),
        pl.col("customer_id").filter(paid).n_unique().alias("payers"),
    )


def _customer_revenue(
    window: pl.LazyFrame, customers: pl.LazyFrame, period: Period, params: MetricParams
) -> pl.LazyFrame:
    """:func:`customer_flags` plus each customer's net revenue in P (``revenue``), in the
    previous period (``previous_revenue``) and in the churned-revenue look-back before P
    (``lookback_revenue``); 0 without orders."""
    previous = period.previous()
    lookback_start = period.months_before_start_utc(params.churned_revenue_months)
    signed = pl.col("signed")
    by_customer = window.group_by("customer_id").agg(
        signed.filter(in_period("ordered_at", period.start_utc, period.end_utc))
        .sum()
        .alias("revenue"),
        signed.filter(in_period("ordered_at", previous.start_utc, previous.end_utc))
        .sum()
        .alias("previous_revenue"),
        signed.filter(in_period("ordered_at", lookback_start, period.start_utc))
        .sum()
        .alias("lookback_revenue"),
    )
    return (
        customer_flags(customers, period)
        .join(by_customer, on="customer_id", how="left")
        .with_columns(pl.col("revenue", "previous_revenue", "lookback_revenue").fill_null(0.0))
    )


_REVENUE_MEASURES: tuple[pl.Expr, ...] = (
    pl.col("revenue").sum().alias("revenue"),
    pl.col("revenue").filter("at_start").sum().alias("start_base_revenue"),
    pl.col("previous_revenue").filter("at_start").sum().alias("start_base_previous_revenue"),
    pl.col("churned_in_period").sum().alias("churned_n"),
    pl.col("lookback_revenue").filter("churned_in_period").sum().alias("churned_revenue"),
)


def _cost_and_tickets(costs: pl.LazyFrame, tickets: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """One row: the service cost of P (null unless every month of P has cost rows)
    and the tickets created in P."""
    months = [month.label for month in period.month_periods()]
    cost = costs.filter(pl.col("period").is_in(months)).select(
        pl.when(pl.col("period").n_unique() == len(months))
        .then(pl.col("amount").sum())
        .alias("cost"),
    )
    created = tickets.filter(in_period("created_at", period.start_utc, period.end_utc)).select(
        pl.len().alias("created")
    )
    return cost.join(created, how="cross")


def kpis(
    frames: Mapping[str, pl.LazyFrame], period: Period, params: MetricParams
) -> list[pl.LazyFrame]:
    """Every financial.* KPI of ``period`` as lazy metric rows."""
    window = _revenue_window(frames["orders"], period, params)
    customer_revenue = _customer_revenue(window, frames["customers"], period, params)
    costs = frames.get("costs", empty_frame("costs").lazy())
    wide = (
        rollup(customer_revenue, BASE_DIMS, [*BASE_MEASURES, *_REVENUE_MEASURES])
        .join(_order_totals(window, period), how="cross")
        .join(_cost_and_tickets(costs, frames["tickets"], period), how="cross")
    )

    paid_n, created = pl.col("paid_n"), pl.col("created")
    aov = safe_div(pl.col("paid_sum"), paid_n)
    purchase_frequency = safe_div(paid_n, pl.col("payers"))
    ltv = aov * purchase_frequency * lifetime_months(CHURN_PCT, period.months) * params.gross_margin
    return [
        metric_rows(
            wide,
            {
                "financial.net_revenue": (
                    pl.col("paid_sum") - pl.col("refunded_sum"),
                    paid_n + pl.col("refunded_n"),
                ),
                "financial.aov": (aov, paid_n),
                "financial.purchase_frequency": (purchase_frequency, pl.col("payers")),
                "financial.arpu": (safe_div(pl.col("revenue"), AVG_BASE), pl.col("either_n")),
                "financial.ltv": (ltv, paid_n),
                "financial.nrr": (
                    safe_div(
                        pl.col("start_base_revenue") * 100.0, pl.col("start_base_previous_revenue")
                    ),
                    pl.col("start_n"),
                ),
                "financial.churned_revenue": (pl.col("churned_revenue"), pl.col("churned_n")),
                "financial.cost_per_ticket": (safe_div(pl.col("cost"), created), created),
            },
        )
    ]
