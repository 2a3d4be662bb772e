"""Comparisons, significance, status and the summary ranking, on hand-written metric rows."""

from __future__ import annotations

import math

import polars as pl
import pytest

from transforms.comparisons import Target, compare, rank_for_summary
from transforms.periods import Period
from transforms.rows import METRIC_SCHEMA

OCT = Period.parse("2026-10")
NONE11 = [None] * 11


def metric_frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=METRIC_SCHEMA, orient="row")


def history_frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"period": pl.String, **METRIC_SCHEMA}, orient="row")


CURRENT = metric_frame(
    [
        ("financial.net_revenue", "all", 120.0, 10),
        ("customer.csat_pct", "all", 80.0, 100),
        ("customer.csat_pct", "channel=chat", 90.0, 10),
        ("customer.nps", "all", 30.0, 200),
        ("customer.nps", "channel=chat", 10.0, 40),
        ("customer.nps_moe", "all", 5.0, 200),
        ("operational.frt_median_min", "all", 12.0, 50),
        ("customer.churn_rate", "all", None, 0),
    ]
)

HISTORY = history_frame(
    [
        ("2025-10", "financial.net_revenue", "all", 90.0, 7),
        ("2025-11", "financial.net_revenue", "all", 91.0, 7),
        ("2026-01", "financial.net_revenue", "all", 95.0, 7),
        ("2026-03", "financial.net_revenue", "all", 97.0, 7),
        ("2026-09", "financial.net_revenue", "all", 100.0, 8),
        ("2026-10", "financial.net_revenue", "all", 999.0, 9),  # stale copy of the current period
        ("2026Q3", "financial.net_revenue", "all", 300.0, 20),  # another kind of period
        ("2026-09", "customer.csat_pct", "all", 70.0, 100),
        ("2026-09", "customer.csat_pct", "channel=chat", 50.0, 10),
        ("2026-09", "customer.nps", "all", 20.0, 180),
        ("2026-09", "customer.nps_moe", "all", 6.0, 180),
        ("2026-09", "customer.nps", "channel=chat", 0.0, 35),  # no nps_moe row for chat
        ("2026-09", "operational.frt_median_min", "all", 16.0, 45),
    ]
)

TARGETS = {
    "financial.net_revenue": Target(110.0, "higher"),
    "customer.csat_pct": Target(85.0, "higher", amber_band=5.0),
    "customer.nps": Target(40.0, "higher", amber_band=5.0),
    "operational.frt_median_min": Target(10.0, "lower", amber_band=1.0),
    "customer.churn_rate": Target(5.0, "lower"),
}


@pytest.fixture(scope="module")
def compared() -> pl.DataFrame:
    return compare(
        CURRENT, HISTORY, OCT, baseline=Period.parse("2026-01"), targets=TARGETS, min_sample=30
    )


def one(compared: pl.DataFrame, kpi: str, segment: str = "all") -> dict:
    found = compared.filter((pl.col("kpi") == kpi) & (pl.col("segment") == segment))
    assert found.height == 1
    return found.row(0, named=True)


def test_output_keeps_the_current_rows_in_order_and_adds_typed_columns(compared):
    assert compared.select("kpi", "segment", "value", "n").equals(CURRENT)
    assert compared.schema == pl.Schema(
        {
            **METRIC_SCHEMA,
            "prev_value": pl.Float64,
            "prev_n": pl.Int64,
            "yoy_value": pl.Float64,
            "baseline_value": pl.Float64,
            "trend": pl.List(pl.Float64),
            "change_prev": pl.Float64,
            "significant": pl.Boolean,
            "low_sample": pl.Boolean,
            "target": pl.Float64,
            "direction": pl.String,
            "status": pl.String,
        }
    )


def test_previous_year_ago_baseline_and_change(compared):
    revenue = one(compared, "financial.net_revenue")
    assert (revenue["prev_value"], revenue["prev_n"]) == (100.0, 8)
    assert revenue["yoy_value"] == 90.0
    assert revenue["baseline_value"] == 95.0
    assert revenue["change_prev"] == 20.0  # 120 − 100
    churn = one(compared, "customer.churn_rate")
    assert (churn["prev_value"], churn["prev_n"], churn["yoy_value"], churn["change_prev"]) == (
        None,
        None,
        None,
        None,
    )


def test_trend_is_the_last_twelve_periods_ending_with_the_current_value(compared):
    # 2025-11 … 2026-10; 2025-10 is thirteen periods back, the stale 999 is replaced by 120
    assert one(compared, "financial.net_revenue")["trend"] == [
        91.0,
        None,
        95.0,
        None,
        97.0,
        None,
        None,
        None,
        None,
        None,
        100.0,
        120.0,
    ]
    assert one(compared, "customer.churn_rate")["trend"] == [*NONE11, None]


def test_without_a_baseline_period_baseline_value_is_null():
    result = compare(CURRENT, HISTORY, OCT, baseline=None, targets=TARGETS, min_sample=30)
    assert result["baseline_value"].null_count() == result.height


def test_csat_change_within_the_combined_margin_is_not_significant(compared):
    # now 1.96 × 100 × sqrt(0.8 × 0.2 / 100) = 7.84
    # before 1.96 × 100 × sqrt(0.7 × 0.3 / 100) = 8.98
    # combined sqrt(7.84² + 8.98²) = 11.92 > |80 − 70|
    assert one(compared, "customer.csat_pct")["significant"] is False


def test_csat_change_beyond_the_combined_margin_is_significant(compared):
    now = 1.96 * 100 * math.sqrt(0.9 * 0.1 / 10)  # 18.59
    before = 1.96 * 100 * math.sqrt(0.5 * 0.5 / 10)  # 30.99
    assert math.hypot(now, before) < 40.0  # 36.14 < |90 − 50|
    assert one(compared, "customer.csat_pct", "channel=chat")["significant"] is True


def test_nps_significance_uses_the_nps_moe_rows_of_both_periods(compared):
    # sqrt(5² + 6²) = 7.81 < |30 − 20|
    assert one(compared, "customer.nps")["significant"] is True
    # chat has no nps_moe rows: not computable
    assert one(compared, "customer.nps", "channel=chat")["significant"] is None


def test_significance_is_null_for_other_kpis(compared):
    assert one(compared, "financial.net_revenue")["significant"] is None
    assert one(compared, "customer.nps_moe")["significant"] is None


def test_low_sample_flags_survey_kpis_under_the_minimum(compared):
    assert one(compared, "customer.csat_pct", "channel=chat")["low_sample"] is True  # 10 < 30
    assert one(compared, "customer.csat_pct")["low_sample"] is False  # 100
    assert one(compared, "financial.net_revenue")["low_sample"] is False  # n = 10, not a survey KPI
    at_minimum = compare(CURRENT, HISTORY, OCT, baseline=None, targets={}, min_sample=40)
    assert one(at_minimum, "customer.nps", "channel=chat")["low_sample"] is False  # 40 is not < 40


def test_status_against_targets(compared):
    statuses = {
        (kpi, segment): status
        for kpi, segment, status in compared.select("kpi", "segment", "status").rows()
    }
    assert statuses == {
        ("financial.net_revenue", "all"): "green",  # 120 ≥ 110
        ("customer.csat_pct", "all"): "amber",  # 80 misses 85 by 5 = the band
        ("customer.csat_pct", "channel=chat"): "grey",  # low sample
        ("customer.nps", "all"): "red",  # 30 misses 40 by 10 > 5
        ("customer.nps", "channel=chat"): "red",  # 10 misses 40; n = 40 is not a low sample
        ("customer.nps_moe", "all"): "grey",  # no target
        ("operational.frt_median_min", "all"): "red",  # 12 misses ≤ 10 by 2 > 1
        ("customer.churn_rate", "all"): "grey",  # no value
    }
    row = one(compared, "operational.frt_median_min")
    assert (row["target"], row["direction"]) == (10.0, "lower")


def test_meeting_a_lower_target_exactly_is_green():
    current = metric_frame([("operational.frt_median_min", "all", 10.0, 50)])
    result = compare(
        current,
        history_frame([]),
        OCT,
        baseline=None,
        targets={"operational.frt_median_min": Target(10.0, "lower")},
        min_sample=30,
    )
    assert result["status"].to_list() == ["green"]


def test_without_targets_everything_is_grey():
    result = compare(CURRENT, HISTORY, OCT, baseline=None, targets={}, min_sample=30)
    assert set(result["status"]) == {"grey"}
    assert result["target"].null_count() == result.height


def test_quarters_compare_with_quarters():
    q3 = Period.parse("2026Q3")
    current = metric_frame([("financial.net_revenue", "all", 300.0, 30)])
    history = history_frame(
        [
            ("2026Q2", "financial.net_revenue", "all", 250.0, 25),
            ("2025Q3", "financial.net_revenue", "all", 200.0, 20),
            ("2026-06", "financial.net_revenue", "all", 90.0, 9),  # a month, not a quarter
        ]
    )
    row = compare(current, history, q3, baseline=None, targets={}, min_sample=30).row(0, named=True)
    assert (row["prev_value"], row["yoy_value"], row["change_prev"]) == (250.0, 200.0, 50.0)
    # 2023Q4, 2024Q1–Q4, 2025Q1, Q2 (7 empty slots), 2025Q3 = 200, 2025Q4, 2026Q1 empty,
    # 2026Q2 = 250, 2026Q3 = the current 300
    assert row["trend"] == [None] * 7 + [200.0, None, None, 250.0, 300.0]


def test_summary_puts_red_before_amber_worst_first_then_what_improved(compared):
    missed, improved = rank_for_summary(compared)
    # nps misses by 10/40 = 25 %, frt by 2/10 = 20 %; csat is amber
    assert missed["kpi"].to_list() == [
        "customer.nps",
        "operational.frt_median_min",
        "customer.csat_pct",
    ]
    assert set(missed["segment"]) == {"all"}
    # nps +10 on 20 = 50 %, frt −4 on 16 = 25 % (lower is better), revenue +20 on 100 = 20 %;
    # csat's +10 is within the margin of error; nps_moe and churn have no direction or change
    assert improved["kpi"].to_list() == [
        "customer.nps",
        "operational.frt_median_min",
        "financial.net_revenue",
    ]
