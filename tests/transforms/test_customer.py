"""Customer KPIs on small hand-written sets; expected values worked out in comments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms._fc_fixtures import (
    customer,
    frames,
    local,
    response,
    row,
    run,
    segments,
    ticket,
)
from transforms import customer as customer_level
from transforms.catalogue import kpis_of
from transforms.params import MetricParams
from transforms.periods import Period

OCT = Period.parse("2026-10")  # [2026-10-01 00:00Z, 2026-11-01 00:00Z)
OCT_MSK = Period.parse("2026-10", "Europe/Moscow")  # [2026-09-30 21:00Z, 2026-10-31 21:00Z)
Q4 = Period.parse("2026Q4")
MSK = "Europe/Moscow"


def run_customer(data: dict, period: Period = OCT, params: MetricParams | None = None):
    return run(customer_level, data, period, params)


# --- the customer base ----------------------------------------------------------------


def _base() -> list[dict]:
    return [
        customer("a", segment="b2c"),  # start and end
        customer("b", churned="2026-10-10 00:00", segment="b2c"),  # start, churned in P
        customer(
            "c", created="2026-10-01 00:00", segment="b2b"
        ),  # created at P.start: acquired in P
        customer(
            "d", churned="2026-10-01 00:00", segment="b2b"
        ),  # churned at P.start: in start base
        customer("e", churned="2026-09-30 23:59", segment="vip"),  # gone before P
        customer("f", churned="2026-11-01 00:00"),  # churned at P.end: still active at the end
    ]


def test_churn_retention_and_lifetime_follow_the_start_base():
    rows = run_customer(frames(customers=_base()))
    # start base {a, b, d, f} = 4, retained {a, f} = 2 → churn 50 %, lifetime 1/0.5 × 1 month
    assert row(rows, "customer.churn_rate") == (50.0, 4)
    assert row(rows, "customer.retention_rate") == (50.0, 4)
    assert row(rows, "customer.lifetime_months") == (2.0, 4)


def test_churn_and_retention_by_customer_segment_only_where_the_start_base_is_not_empty():
    rows = run_customer(frames(customers=_base()))
    assert segments(rows, "customer.churn_rate") == {
        "customer_segment=b2c": (50.0, 2),  # {a, b}, b churned
        "customer_segment=b2b": (100.0, 1),  # {d} churned; c was acquired in P
        "customer_segment=(none)": (0.0, 1),  # {f}
    }
    assert segments(rows, "customer.retention_rate") == {
        "customer_segment=b2c": (50.0, 2),
        "customer_segment=b2b": (0.0, 1),
        "customer_segment=(none)": (100.0, 1),
    }
    assert segments(rows, "customer.lifetime_months") == {}


def test_the_articles_worked_example_250_customers_150_left_gives_30_months():
    year = Period.parse("2026")
    stayed = [customer(f"s{i}", created="2025-06-01 00:00") for i in range(150)]
    left = [
        customer(f"l{i}", created="2025-06-01 00:00", churned="2026-06-15 00:00")
        for i in range(100)
    ]
    joined = [customer(f"j{i}", created="2026-03-01 00:00") for i in range(20)]  # acquired in P
    joined_and_left = [
        customer(f"k{i}", created="2026-03-01 00:00", churned="2026-05-01 00:00") for i in range(5)
    ]
    rows = run_customer(frames(customers=stayed + left + joined + joined_and_left), year)
    # churn (250 − 150) / 250 = 40 %; lifetime 1 / 0.40 = 2.5 years = 30 months
    assert row(rows, "customer.churn_rate") == (40.0, 250)
    assert row(rows, "customer.lifetime_months") == (pytest.approx(30.0), 250)


def test_lifetime_is_null_when_nobody_churns():
    rows = run_customer(frames(customers=[customer("a")]))
    assert row(rows, "customer.churn_rate") == (0.0, 1)
    assert row(rows, "customer.lifetime_months") == (None, 1)


def test_a_customer_churned_at_moscow_midnight_belongs_to_the_moscow_month():
    data = frames(
        customers=[customer("a", churned=local("2026-10-01 00:00", MSK))]
    )  # 2026-09-30 21:00Z
    assert row(run_customer(data, OCT_MSK), "customer.churn_rate") == (
        100.0,
        1,
    )  # in the base, churned
    assert row(run_customer(data, OCT), "customer.churn_rate") == (
        None,
        0,
    )  # gone before the UTC month


# --- surveys --------------------------------------------------------------------------


def _csat() -> dict:
    return frames(
        tickets=[ticket(ticket_id="t1", channel="email")],
        survey_responses=[
            response("csat", 5, channel="chat"),
            response("csat", 4, ticket_id="t1"),  # no channel: its ticket's (email)
            response("csat", 3, channel="phone"),
            response("csat", 1),  # no channel, no ticket
            response("csat", 2, channel="social", ticket_id="t1"),  # its own channel wins
            response("csat", 5, submitted="2026-09-30 23:59"),  # September
            response("nps", 10),  # another survey
        ],
    )


def test_csat_mean_and_pct_over_the_responses_submitted_in_the_period():
    rows = run_customer(_csat())
    assert row(rows, "customer.csat_mean") == (3.0, 5)  # (5 + 4 + 3 + 1 + 2) / 5
    assert row(rows, "customer.csat_pct") == (40.0, 5)  # {5, 4} of 5


def test_csat_by_channel_uses_the_tickets_channel_when_the_response_has_none():
    rows = run_customer(_csat())
    assert segments(rows, "customer.csat_mean") == {
        "channel=chat": (5.0, 1),
        "channel=email": (4.0, 1),
        "channel=phone": (3.0, 1),
        "channel=(none)": (1.0, 1),
        "channel=social": (2.0, 1),
    }
    assert segments(rows, "customer.csat_pct") == {
        "channel=chat": (100.0, 1),
        "channel=email": (100.0, 1),
        "channel=phone": (0.0, 1),
        "channel=(none)": (0.0, 1),
        "channel=social": (0.0, 1),
    }


def test_csat_satisfied_threshold_is_a_parameter():
    rows = run_customer(_csat(), params=MetricParams(csat_satisfied_threshold=3))
    assert row(rows, "customer.csat_pct") == (60.0, 5)  # {5, 4, 3} of 5


def test_nps_and_its_margin_of_error():
    scores = [10, 10, 9, 8, 6, 0]
    rows = run_customer(
        frames(survey_responses=[response("nps", s, channel="chat") for s in scores])
    )
    # promoters 3, detractors 2 of 6: 100 × (3 − 2) / 6
    assert row(rows, "customer.nps") == (pytest.approx(100 / 6), 6)
    # p = 1/2, d = 1/3: p + d − (p − d)² = 5/6 − 1/36 = 29/36; 1.96 × 100 × sqrt(29/36 / 6)
    assert row(rows, "customer.nps_moe") == (pytest.approx(71.81715466170812), 6)
    assert segments(rows, "customer.nps") == {"channel=chat": (pytest.approx(100 / 6), 6)}


def test_nps_goes_negative_when_detractors_outnumber_promoters():
    rows = run_customer(frames(survey_responses=[response("nps", s) for s in (0, 3, 6, 9)]))
    assert row(rows, "customer.nps") == (-50.0, 4)  # 100 × (1 − 3) / 4
    # p = 1/4, d = 3/4: 1 − 1/4 = 3/4; 1.96 × 100 × sqrt(3/4 / 4)
    assert row(rows, "customer.nps_moe") == (pytest.approx(84.87048957087498), 4)


def test_ces_mean_and_low_effort_share():
    data = frames(survey_responses=[response("ces", s) for s in (0, 1, 2, 5)])
    rows = run_customer(data)
    assert row(rows, "customer.ces_mean") == (2.0, 4)  # (0 + 1 + 2 + 5) / 4
    assert row(rows, "customer.low_effort_pct") == (50.0, 4)  # {0, 1} ≤ 1
    reversed_scale = MetricParams(ces_low_effort_threshold=4, ces_higher_is_more_effort=False)
    assert row(run_customer(data, params=reversed_scale), "customer.low_effort_pct") == (
        25.0,
        4,
    )  # {5} ≥ 4


def test_survey_responses_minutes_either_side_of_moscow_midnight():
    data = frames(
        survey_responses=[
            response("csat", 5, submitted=local("2026-10-01 00:05", MSK)),  # 2026-09-30 21:05Z
            response("csat", 1, submitted=local("2026-11-01 00:05", MSK)),  # 2026-10-31 21:05Z
        ]
    )
    assert row(run_customer(data, OCT_MSK), "customer.csat_mean") == (5.0, 1)
    assert row(run_customer(data, OCT), "customer.csat_mean") == (1.0, 1)


def test_a_quarters_csat_comes_from_raw_responses_not_from_the_mean_of_its_months():
    data = frames(
        survey_responses=[
            response("csat", 5, submitted="2026-10-10 00:00"),
            *[response("csat", 1, submitted="2026-11-10 00:00") for _ in range(3)],
        ]
    )
    monthly = [
        row(run_customer(data, month), "customer.csat_pct")[0] for month in Q4.month_periods()
    ]
    assert monthly == [100.0, 0.0, None]  # their mean would be 50
    assert row(run_customer(data, Q4), "customer.csat_pct") == (25.0, 4)  # 1 of 4


# --- complaints and response rate --------------------------------------------------------


def _complaints() -> list[dict]:
    return [
        ticket(channel="chat", is_complaint=True, cjm_stage="purchase", team="A"),
        ticket(channel="email", is_complaint=True, team="A"),
        ticket(channel="chat", is_complaint=True, cjm_stage="purchase"),
        ticket(channel="chat"),  # not a complaint
        ticket("2026-09-30 23:59", channel="email", is_complaint=True),  # September
    ]


def test_complaints_by_channel_stage_and_team():
    rows = run_customer(frames(tickets=_complaints()))
    assert row(rows, "customer.complaints") == (3.0, 3)
    assert segments(rows, "customer.complaints") == {
        "channel=chat": (2.0, 2),
        "channel=email": (1.0, 1),
        "cjm_stage=purchase": (2.0, 2),
        "cjm_stage=(none)": (1.0, 1),
        "team=A": (2.0, 2),
        "team=(none)": (1.0, 1),
    }


def test_complaint_rate_per_thousand_customers_of_the_average_base():
    rows = run_customer(frames(customers=_base(), tickets=_complaints()))
    # start {a, b, d, f} = 4, end {a, c, f} = 3 → avg 3.5; 3 / 3.5 × 1000; n = |{a, b, c, d, f}|
    assert row(rows, "customer.complaint_rate") == (pytest.approx(857.1428571428571), 5)
    assert segments(rows, "customer.complaint_rate") == {}


def test_survey_response_rate_is_csat_responses_naming_a_ticket_over_tickets_resolved():
    data = frames(
        tickets=[
            ticket("2026-10-02 00:00", resolved="2026-10-03 00:00"),
            ticket("2026-10-02 00:00", resolved="2026-10-31 23:59"),
            ticket("2026-09-20 00:00", resolved="2026-10-01 00:00"),  # opened in September
            ticket("2026-10-05 00:00", resolved="2026-10-06 00:00"),
            ticket("2026-10-05 00:00", resolved="2026-11-01 00:00"),  # resolved in November
            ticket("2026-10-05 00:00"),  # open
        ],
        survey_responses=[
            response("csat", 5, ticket_id="t1"),
            response("csat", 3, ticket_id="t2"),
            response("csat", 4),  # names no ticket
            response("nps", 9, ticket_id="t3"),  # not csat
            response("csat", 5, submitted="2026-09-30 00:00", ticket_id="t3"),  # September
        ],
    )
    assert row(run_customer(data), "customer.survey_response_rate") == (50.0, 4)  # 2 / 4 × 100


def test_an_empty_period_gives_null_rates_and_zero_complaints_without_error():
    rows = run_customer(frames())
    assert sorted(rows["kpi"]) == sorted(k.id for k in kpis_of("customer"))
    assert row(rows, "customer.complaints") == (0.0, 0)
    for kpi in kpis_of("customer"):
        if kpi.id != "customer.complaints":
            assert row(rows, kpi.id) == (None, 0), kpi.id


# --- properties -----------------------------------------------------------------------

NPS_SCORES = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=40)


def _nps(scores: list[int]) -> tuple[float, float]:
    rows = run_customer(frames(survey_responses=[response("nps", s) for s in scores]))
    return row(rows, "customer.nps")[0], row(rows, "customer.nps_moe")[0]


@settings(max_examples=40, deadline=None)
@given(NPS_SCORES)
def test_nps_lies_between_minus_100_and_100(scores):
    nps, moe = _nps(scores)
    assert -100.0 <= nps <= 100.0
    assert moe >= 0.0


@settings(max_examples=40, deadline=None)
@given(NPS_SCORES, st.sampled_from([9, 10]))
def test_adding_a_promoter_never_lowers_nps(scores, promoter):
    assert _nps([*scores, promoter])[0] >= _nps(scores)[0]


DAYS = st.integers(min_value=-60, max_value=60)  # days from OCT's start
CUSTOMERS = st.lists(
    st.tuples(DAYS, st.none() | st.integers(0, 90), st.sampled_from(["b2c", "b2b", None])),
    min_size=1,
    max_size=20,
)


@settings(max_examples=40, deadline=None)
@given(CUSTOMERS)
def test_churn_and_retention_add_up_to_100(people):
    """Each person: created ``days`` from OCT's start, churned ``lived`` days later (or never)."""
    day = timedelta(days=1)
    data = frames(
        customers=[
            customer(
                f"c{number}",
                created=OCT.start_utc + days * day,
                churned=None if lived is None else OCT.start_utc + (days + lived) * day,
                segment=segment,
            )
            for number, (days, lived, segment) in enumerate(people)
        ]
    )
    rows = run_customer(data)
    churn = dict(rows.filter(kpi="customer.churn_rate").select("segment", "value").rows())
    retention = dict(rows.filter(kpi="customer.retention_rate").select("segment", "value").rows())
    assert churn.keys() == retention.keys()
    for segment, value in churn.items():
        if value is None:
            assert retention[segment] is None
        else:
            assert value + retention[segment] == pytest.approx(100.0)
