"""Financial KPIs on small hand-written sets; expected values worked out in comments."""

from __future__ import annotations

import pytest

from tests.transforms._fc_fixtures import customer, frames, local, order, row, run, segments, ticket
from transforms import financial
from transforms.catalogue import kpis_of
from transforms.params import MetricParams
from transforms.periods import Period

OCT = Period.parse("2026-10")  # [2026-10-01 00:00Z, 2026-11-01 00:00Z)
OCT_MSK = Period.parse("2026-10", "Europe/Moscow")  # [2026-09-30 21:00Z, 2026-10-31 21:00Z)
Q4 = Period.parse("2026Q4")
MSK = "Europe/Moscow"


def test_net_revenue_aov_and_purchase_frequency_count_paid_and_refunded_orders_in_the_period():
    data = frames(
        orders=[
            order("a", "2026-10-02 10:00", 100),
            order("a", "2026-10-20 10:00", 50),
            order("b", "2026-10-05 10:00", 30),
            order("b", "2026-10-06 10:00", 40, "refunded"),
            order("c", "2026-10-07 10:00", 999, "cancelled"),  # ignored
            order("a", "2026-09-30 23:59", 1000),  # September
            order("a", "2026-11-01 00:00", 1000),  # November: the end is exclusive
        ]
    )
    rows = run(financial, data, OCT)
    # net = 100 + 50 + 30 − 40 = 140 over 3 paid + 1 refunded orders
    assert row(rows, "financial.net_revenue") == (140.0, 4)
    # aov = (100 + 50 + 30) / 3 paid orders = 60
    assert row(rows, "financial.aov") == (60.0, 3)
    # frequency = 3 paid orders / 2 paying customers (a, b)
    assert row(rows, "financial.purchase_frequency") == (1.5, 2)


def test_arpu_divides_net_revenue_by_the_average_base_per_customer_segment():
    data = frames(
        customers=[
            customer("a", segment="b2c"),  # active at start and end
            customer("b", churned="2026-10-10 00:00", segment="b2c"),  # start only
            customer("c", created="2026-10-05 00:00", segment="b2b"),  # end only
            customer("d", churned="2026-09-01 00:00", segment="b2b"),  # neither
            customer("e"),  # no segment: start and end
            customer("f", churned="2026-01-01 00:00", segment="vip"),  # neither: no vip row
        ],
        orders=[
            order("a", "2026-10-02 00:00", 100),
            order("b", "2026-10-03 00:00", 60),
            order("c", "2026-10-06 00:00", 40),
            order("d", "2026-10-07 00:00", 10),
            order("e", "2026-10-08 00:00", 20, "refunded"),
        ],
    )
    rows = run(financial, data, OCT)
    # revenue 100 + 60 + 40 + 10 − 20 = 190; start {a, b, e} = 3, end {a, c, e} = 3,
    # avg 3 → 190 / 3; n = |{a, b, c, e}| = 4
    assert row(rows, "financial.arpu") == (pytest.approx(190 / 3), 4)
    assert segments(rows, "financial.arpu") == {
        "customer_segment=b2c": (pytest.approx(160 / 1.5), 2),  # (100 + 60) / ((2 + 1) / 2)
        "customer_segment=b2b": (100.0, 1),  # (40 + 10) / ((0 + 1) / 2)
        "customer_segment=(none)": (-20.0, 1),  # −20 / ((1 + 1) / 2)
    }


def test_only_arpu_has_segment_rows_and_every_financial_kpi_has_one_all_row():
    data = frames(
        customers=[customer("a", segment="b2c")], orders=[order("a", "2026-10-02 00:00", 10)]
    )
    rows = run(financial, data, OCT)
    assert sorted(rows.filter(segment="all")["kpi"]) == sorted(k.id for k in kpis_of("financial"))
    assert set(rows.filter(rows["segment"] != "all")["kpi"]) == {"financial.arpu"}


def _one_of_four_churns() -> dict:
    return frames(
        customers=[
            customer("a"),
            customer("b"),
            customer("c"),
            customer("d", churned="2026-10-20 00:00"),
        ],
        orders=[
            order("a", "2026-10-02 00:00", 100),
            order("a", "2026-10-03 00:00", 50),
            order("b", "2026-10-04 00:00", 30),
        ],
    )


def test_ltv_is_aov_times_frequency_times_lifetime_times_gross_margin():
    rows = run(financial, _one_of_four_churns(), OCT, MetricParams(gross_margin=0.5))
    # aov 180/3 = 60; frequency 3/2 = 1.5; churn 1/4 = 25 % → lifetime 1/0.25 × 1 month = 4;
    # 60 × 1.5 × 4 × 0.5 = 180
    assert row(rows, "financial.ltv") == (pytest.approx(180.0), 3)


def test_ltv_is_null_when_nobody_churns():
    data = frames(customers=[customer("a")], orders=[order("a", "2026-10-02 00:00", 100)])
    assert row(run(financial, data, OCT), "financial.ltv") == (None, 1)


def test_nrr_follows_the_start_base_from_the_previous_period_into_this_one():
    data = frames(
        customers=[
            customer("a"),
            customer("b"),
            customer("c", created="2026-10-05 00:00"),  # acquired in P: not in the start base
            customer("d", churned="2026-09-15 00:00"),  # gone before P
        ],
        orders=[
            order("a", "2026-09-10 00:00", 100),
            order("b", "2026-09-11 00:00", 100),
            order("b", "2026-09-12 00:00", 20, "refunded"),
            order("d", "2026-09-13 00:00", 500),
            order("a", "2026-10-10 00:00", 150),
            order("b", "2026-10-11 00:00", 10, "refunded"),
            order("c", "2026-10-12 00:00", 1000),
        ],
    )
    # start base {a, b}: September 100 + 100 − 20 = 180, October 150 − 10 = 140 → 140/180 × 100
    assert row(run(financial, data, OCT), "financial.nrr") == (pytest.approx(700 / 9), 2)


def test_nrr_of_a_quarter_compares_with_the_previous_quarter():
    data = frames(
        customers=[customer("a")],
        orders=[
            order("a", "2026-06-30 23:00", 1000),  # Q2: not compared
            order("a", "2026-07-10 00:00", 100),
            order("a", "2026-09-30 00:00", 100),
            order("a", "2026-10-02 00:00", 60),
            order("a", "2026-12-31 23:00", 90),
        ],
    )
    # Q3 100 + 100 = 200, Q4 60 + 90 = 150 → 75 %
    assert row(run(financial, data, Q4), "financial.nrr") == (75.0, 1)


def test_nrr_is_null_without_revenue_in_the_previous_period():
    data = frames(customers=[customer("a")], orders=[order("a", "2026-10-02 00:00", 60)])
    assert row(run(financial, data, OCT), "financial.nrr") == (None, 1)


def _churners() -> dict:
    return frames(
        customers=[
            customer("x", churned="2026-10-10 00:00"),
            customer("y", churned="2026-10-31 23:59"),
            customer("v", churned="2026-10-01 00:00"),  # churned exactly at P.start: churned in P
            customer("z", churned="2026-11-01 00:00"),  # churns in November
            customer("w", churned="2026-09-30 00:00"),  # churned in September
        ],
        orders=[
            order("x", "2025-09-30 23:59", 1000),  # 12 months and a minute before P.start
            order("x", "2025-10-01 00:00", 100),  # exactly 12 months before: inside
            order("x", "2026-03-01 00:00", 50),
            order("x", "2026-04-01 00:00", 20, "refunded"),
            order("x", "2026-10-05 00:00", 999),  # in P itself: not before P.start
            order("y", "2026-09-30 00:00", 70),
            order("v", "2026-08-01 00:00", 5),
            order("z", "2026-05-01 00:00", 500),
            order("w", "2026-05-01 00:00", 500),
        ],
    )


def test_churned_revenue_sums_the_twelve_months_before_the_period_of_customers_who_churned_in_it():
    # x: 100 + 50 − 20 = 130; y: 70; v: 5 → 205 over 3 churned customers
    assert row(run(financial, _churners(), OCT), "financial.churned_revenue") == (205.0, 3)


def test_churned_revenue_look_back_is_a_parameter():
    rows = run(financial, _churners(), OCT, MetricParams(churned_revenue_months=6))
    # from 2026-04-01: x −20 (the refund on the first instant), y 70, v 5 → 55
    assert row(rows, "financial.churned_revenue") == (55.0, 3)


def _tickets() -> list[dict]:
    return [
        ticket("2026-10-01 00:00"),
        ticket("2026-10-15 00:00"),
        ticket("2026-10-31 23:59"),
        ticket("2026-09-30 23:59", resolved="2026-10-02 00:00"),  # created in September
        ticket("2026-11-01 00:00"),
    ]


def test_cost_per_ticket_divides_the_months_service_cost_by_tickets_created():
    costs = [
        {"period": "2026-10", "cost_center": "support", "amount": 400.0},
        {"period": "2026-10", "cost_center": "tools", "amount": 200.0},
        {"period": "2026-09", "cost_center": "support", "amount": 1000.0},
    ]
    rows = run(financial, frames(tickets=_tickets(), costs=costs), OCT)
    assert row(rows, "financial.cost_per_ticket") == (200.0, 3)  # (400 + 200) / 3


def test_cost_per_ticket_is_null_without_a_costs_export():
    rows = run(financial, frames(tickets=_tickets()), OCT)
    assert row(rows, "financial.cost_per_ticket") == (None, 3)


def test_cost_per_ticket_of_a_quarter_needs_the_cost_of_every_month():
    tickets = [
        ticket("2026-10-15 00:00"),
        ticket("2026-11-15 00:00"),
        ticket("2026-12-15 00:00"),
        ticket("2026-12-16 00:00"),
    ]
    two_months = [{"period": "2026-10", "amount": 300.0}, {"period": "2026-11", "amount": 300.0}]
    rows = run(financial, frames(tickets=tickets, costs=two_months), Q4)
    assert row(rows, "financial.cost_per_ticket") == (None, 4)
    three_months = [*two_months, {"period": "2026-12", "amount": 600.0}]
    rows = run(financial, frames(tickets=tickets, costs=three_months), Q4)
    assert row(rows, "financial.cost_per_ticket") == (300.0, 4)  # (300 + 300 + 600) / 4


def test_an_empty_period_gives_null_ratios_and_zero_sums_without_error():
    rows = run(financial, frames(costs=[]), OCT)
    assert rows.height == len(kpis_of("financial"))
    assert row(rows, "financial.net_revenue") == (0.0, 0)
    assert row(rows, "financial.churned_revenue") == (0.0, 0)
    for kpi in ("aov", "purchase_frequency", "arpu", "ltv", "nrr", "cost_per_ticket"):
        assert row(rows, f"financial.{kpi}") == (None, 0), kpi


def test_orders_minutes_either_side_of_moscow_midnight_fall_in_the_moscow_month():
    data = frames(
        orders=[
            order("a", local("2026-10-01 00:10", MSK), 100),  # 2026-09-30 21:10Z: October in Moscow
            order("a", local("2026-09-30 23:50", MSK), 1000),  # September everywhere
            order("a", local("2026-10-31 23:50", MSK), 10),  # 2026-10-31 20:50Z
            order("a", local("2026-11-01 00:10", MSK), 7),  # 2026-10-31 21:10Z: November in Moscow
        ]
    )
    assert row(run(financial, data, OCT_MSK), "financial.net_revenue") == (110.0, 2)  # 100 + 10
    assert row(run(financial, data, OCT), "financial.net_revenue") == (17.0, 2)  # 10 + 7 in UTC


def test_a_quarter_is_computed_from_raw_orders_not_averaged_from_months():
    data = frames(
        orders=[
            order("a", "2026-10-05 00:00", 100),
            order("a", "2026-11-05 00:00", 10),
            order("b", "2026-11-06 00:00", 10),
            order("c", "2026-11-07 00:00", 10),
        ]
    )
    monthly = [row(run(financial, data, month), "financial.aov")[0] for month in Q4.month_periods()]
    assert monthly == [100.0, 10.0, None]  # the mean of the months would be 55
    assert row(run(financial, data, Q4), "financial.aov") == (32.5, 4)  # 130 / 4
