"""The Polars engine against an independent DuckDB SQL reading of the KPI catalogue.

Both engines compute every KPI of the same random, edge-case-rich data (synthetic.py)
for months, quarters and years in UTC and Europe/Moscow; they must agree on the set
of (kpi, segment) rows, on every n, and on every value (nulls equal). A few small
hand-computed cases pin the DuckDB reading itself.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import polars as pl
import pytest

from transforms.catalogue import KPIS
from transforms.compute import compute_metrics
from transforms.params import DEFAULT_SLA_FRT_MINUTES, MetricParams
from transforms.periods import Period
from transforms.schema import ENTITIES, empty_frame, polars_schema

from .compare import disagreements
from .duckdb_catalogue import duckdb_metrics
from .synthetic import MICROS_PER_MINUTE, synthetic_frames

SEEDS = (1, 2, 3)
TICKETS = 20_000  # about 550 tickets and 110 survey responses a month over 2024-2026
PERIODS = ("2026-03", "2025Q4", "2025")
ZONES = ("UTC", "Europe/Moscow")


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def frames(request: pytest.FixtureRequest) -> dict[str, pl.DataFrame]:
    return synthetic_frames(TICKETS, request.param)


def assert_engines_agree(
    frames: dict[str, pl.DataFrame], period: Period, params: MetricParams
) -> None:
    polars_rows = compute_metrics(
        {name: frame.lazy() for name, frame in frames.items()}, period, params
    )
    duckdb_rows = duckdb_metrics(frames, period, params)
    problems = disagreements(polars_rows, duckdb_rows)
    assert not problems, f"{len(problems)} disagreements for {period!r}:\n" + "\n".join(problems)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("label", PERIODS)
def test_engines_agree(frames: dict[str, pl.DataFrame], label: str, zone: str) -> None:
    assert_engines_agree(frames, Period.parse(label, zone), MetricParams(reporting_tz=zone))


def test_engines_agree_across_a_daylight_saving_change(frames: dict[str, pl.DataFrame]) -> None:
    # New York moves its clocks on 2026-03-08: business hours shift against UTC mid-month.
    zone = "America/New_York"
    assert_engines_agree(frames, Period.parse("2026-03", zone), MetricParams(reporting_tz=zone))


def test_engines_agree_with_every_parameter_changed(frames: dict[str, pl.DataFrame]) -> None:
    params = MetricParams(
        reporting_tz="Europe/Moscow",
        csat_satisfied_threshold=5,
        ces_low_effort_threshold=4,
        ces_higher_is_more_effort=False,
        gross_margin=0.35,
        churned_revenue_months=6,
        # A fractional target among the integer defaults: the dict is typed float.
        sla_frt_minutes={**DEFAULT_SLA_FRT_MINUTES, "chat": 2.5, "email": 240},
        business_days=(1, 2, 3, 4, 5, 6),
        business_start="08:30",
        business_end="20:00",
        new_agent_tenure_days=30,
    )
    assert_engines_agree(frames, Period.parse("2025Q4", "Europe/Moscow"), params)


def test_engines_agree_on_an_empty_period_without_costs(frames: dict[str, pl.DataFrame]) -> None:
    without_costs = {**frames, "costs": empty_frame("costs")}
    assert_engines_agree(without_costs, Period.parse("2030-01"), MetricParams())


def test_disagreements_flag_presence_n_and_value_but_not_rounding() -> None:
    def rows(*data: tuple) -> pl.DataFrame:
        return pl.DataFrame(data, schema=["kpi", "segment", "value", "n"], orient="row")

    polars_rows = rows(
        ("a", "all", 1.0, 3), ("b", "all", None, 0), ("c", "all", 2.0, 5), ("d", "all", 7.0, 1)
    )
    duckdb_rows = rows(
        ("a", "all", 1.0 + 1e-12, 3),
        ("b", "all", 0.0, 0),
        ("c", "all", 2.0, 4),
        ("e", "all", 7.0, 1),
    )
    assert disagreements(polars_rows, duckdb_rows) == [
        "b [all]: value polars=None duckdb=0.0 (n=0)",
        "c [all]: n polars=5 duckdb=4",
        "d [all]: only in polars (n=1)",
        "e [all]: only in duckdb (n=1)",
    ]


# --- the DuckDB reading, pinned by hand ---------------------------------------------------


def tiny_frames(**rows: list[tuple]) -> dict[str, pl.DataFrame]:
    """Canonical frames: the given rows for some entities, every other entity empty."""
    return {
        entity: pl.DataFrame(rows.get(entity, []), schema=polars_schema(entity), orient="row")
        for entity in ENTITIES
    }


def values(rows: pl.DataFrame, segment: str = "all") -> dict[str, tuple[float | None, int]]:
    picked = rows.filter(pl.col("segment") == segment)
    return {kpi: (value, n) for kpi, value, n in picked.select("kpi", "value", "n").iter_rows()}


def test_duckdb_reads_the_articles_lifetime_example() -> None:
    # 250 customers at the start of 2026, 150 still there at its end:
    # churn = (250 - 150) / 250 = 40 %, lifetime = 1 / 0.40 years = 2.5 years = 30 months.
    joined = datetime(2025, 6, 1, tzinfo=UTC)
    customers = [
        (f"C{i}", joined, datetime(2026, 5, 1, tzinfo=UTC) if i < 100 else None, "b2c")
        for i in range(250)
    ]
    rows = values(
        duckdb_metrics(tiny_frames(customers=customers), Period.parse("2026"), MetricParams())
    )
    assert rows["customer.churn_rate"] == (pytest.approx(40.0), 250)
    assert rows["customer.retention_rate"] == (pytest.approx(60.0), 250)
    assert rows["customer.lifetime_months"] == (pytest.approx(30.0), 250)
    assert rows["financial.ltv"] == (None, 0)  # no paid orders: aov is null
    assert len(rows) == len(KPIS)


def ticket(
    ticket_id: str, channel: str, created: datetime, first_response: datetime | None
) -> tuple:
    return (
        ticket_id,
        None,
        channel,
        created,
        first_response,
        None,
        None,
        None,
        None,
        None,
        False,
        1,
        0,
        None,
    )


def test_duckdb_sla_counts_an_unanswered_ticket_only_once_its_limit_has_passed() -> None:
    # chat target 5 min; March 2026 in UTC ends at 2026-04-01 00:00.
    late = datetime(2026, 3, 31, 23, 55, tzinfo=UTC)
    just_later = datetime(2026, 3, 31, 23, 55, 0, 1, tzinfo=UTC)
    opened = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    tickets = [
        ticket("limit-at-end", "chat", late, None),  # 23:55 + 5 min = P.end: a breach
        ticket("limit-after-end", "chat", just_later, None),  # limit 1 µs after P.end: left out
        ticket("on-target", "chat", opened, datetime(2026, 3, 10, 10, 5, tzinfo=UTC)),  # met
        ticket(
            "1us-late", "chat", opened, datetime(2026, 3, 10, 10, 5, 0, 1, tzinfo=UTC)
        ),  # missed
    ]
    rows = duckdb_metrics(tiny_frames(tickets=tickets), Period.parse("2026-03"), MetricParams())
    # base = 3 (both limits known), met = 1: 100 / 3 %.
    assert values(rows)["operational.sla_frt_pct"] == (pytest.approx(100 / 3), 3)
    assert values(rows, "channel=chat")["operational.sla_frt_pct"] == (pytest.approx(100 / 3), 3)
    assert values(rows, "team=(none)")["operational.sla_frt_pct"] == (pytest.approx(100 / 3), 3)
    # FRT median of the answered two: (5 + 5 + 1e-6 / 60) / 2 minutes.
    assert values(rows)["operational.frt_median_min"] == (
        pytest.approx(5 + 0.5e-6 / 60, rel=1e-15),
        2,
    )
    assert values(rows)["operational.tickets_created"] == (4.0, 4)
    assert values(rows)["operational.backlog_end"] == (4.0, 4)
    assert values(rows, "cjm_stage=(none)")["operational.tickets_created"] == (4.0, 4)


@pytest.mark.parametrize(("zone", "ratio"), [("Europe/Moscow", 4.0), ("UTC", 1.0)])
def test_duckdb_off_hours_are_read_in_the_reporting_zone(zone: str, ratio: float) -> None:
    # Mon 2026-03-02 06:00 UTC = 09:00 Moscow (business there, before 09:00 in UTC), FRT 10 min;
    # Mon 15:00 UTC = 18:00 Moscow (off-hours there, business in UTC), FRT 30 min;
    # Sat 2026-03-07 08:00 UTC (weekend in both), FRT 50 min.
    # Moscow: off {30, 50} median 40 / business {10} = 4.0. UTC: off {10, 50} median 30 / business {30} = 1.0.
    def answered(ticket_id: str, created: datetime, minutes: int) -> tuple:
        return ticket(ticket_id, "email", created, created + timedelta(minutes=minutes))

    tickets = [
        answered("mon-0600", datetime(2026, 3, 2, 6, 0, tzinfo=UTC), 10),
        answered("mon-1500", datetime(2026, 3, 2, 15, 0, tzinfo=UTC), 30),
        answered("sat-0800", datetime(2026, 3, 7, 8, 0, tzinfo=UTC), 50),
    ]
    rows = duckdb_metrics(
        tiny_frames(tickets=tickets), Period.parse("2026-03", zone), MetricParams(reporting_tz=zone)
    )
    assert values(rows)["operational.off_hours_frt_ratio"] == (pytest.approx(ratio), 3)


def test_duckdb_costs_a_period_only_when_every_month_has_cost_rows() -> None:
    # Costs for January (1000 + 200) and February (900) 2026 only; two tickets a month.
    # 2026-01: 1200 / 2 = 600 per ticket. 2026Q1: March has no cost rows, so the cost is unknown.
    tickets = [
        ticket(f"T{m}{i}", "email", datetime(2026, m, 10, tzinfo=UTC), None)
        for m in (1, 2, 3)
        for i in (1, 2)
    ]
    costs = [
        ("2026-01", "support", 1000.0),
        ("2026-01", None, 200.0),
        ("2026-02", "support", 900.0),
    ]
    frames = tiny_frames(tickets=tickets, costs=costs)
    january = duckdb_metrics(frames, Period.parse("2026-01"), MetricParams())
    quarter = duckdb_metrics(frames, Period.parse("2026Q1"), MetricParams())
    assert values(january)["financial.cost_per_ticket"] == (pytest.approx(600.0), 2)
    assert values(quarter)["financial.cost_per_ticket"] == (None, 6)


# --- the generator plants the edge cases it promises -------------------------------------


def test_synthetic_data_is_canonical_and_hits_the_edges() -> None:
    frames = synthetic_frames(TICKETS, SEEDS[0])
    for entity in ENTITIES:
        assert frames[entity].schema == polars_schema(entity)
    moscow_starts = pl.Series(
        [Period(m, "month", "Europe/Moscow").start_utc for m in range(2024 * 12, 2027 * 12)]
    )
    customers, tickets, agents = frames["customers"], frames["tickets"], frames["agents"]
    responses, orders = frames["survey_responses"], frames["orders"]
    target_us = pl.col("channel").replace_strict(DEFAULT_SLA_FRT_MINUTES) * MICROS_PER_MINUTE
    limit = pl.col("created_at") + pl.duration(microseconds=target_us)
    assert customers["churned_at"].is_in(moscow_starts.implode()).sum() > 0
    assert agents["hired_at"].is_in(moscow_starts.implode()).sum() > 0
    assert (
        tickets.filter(
            pl.col("first_response_at").is_null() & limit.is_in(moscow_starts.implode())
        ).height
        > 0
    )
    assert tickets.filter(pl.col("first_response_at") == limit).height > 0
    assert (
        tickets.filter(
            pl.col("created_at").dt.convert_time_zone("Europe/Moscow").dt.time() == time(18)
        ).height
        > 0
    )
    bots = tickets.filter(pl.col("channel") == "chatbot")
    assert bots["agent_id"].null_count() > 0 and bots["agent_id"].is_not_null().sum() > 0
    assert tickets["team"].null_count() > 0 and tickets["cjm_stage"].null_count() > 0
    assert customers["segment"].null_count() > 0
    assert (
        responses.filter(pl.col("channel").is_null() & pl.col("ticket_id").is_not_null()).height > 0
    )
    assert responses.filter(pl.col("channel").is_null() & pl.col("ticket_id").is_null()).height > 0
    assert set(orders["status"].unique()) == {"paid", "refunded", "cancelled"}
