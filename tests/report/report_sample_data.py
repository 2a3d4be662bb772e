"""A realistic, hand-made comparison frame for one month: all 42 KPIs, segments, 12-period trends.

The figures are invented but plausible for a mid-sized support desk; statuses follow
the catalogue's rule (green meets the target, amber misses by no more than the
band, red otherwise, grey without a target, a value or enough sample).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from scorecard.report import DataQuality, ReportMeta
from transforms.catalogue import BY_ID, KPIS
from transforms.periods import Period

PERIOD = Period.parse("2026-10", "Europe/Moscow")
MIN_SAMPLE = 30

# kpi: (value, prev, year ago, baseline, target, direction, amber band, n)
OVERALL: dict[str, tuple] = {
    "financial.net_revenue": (48_250_000, 46_100_000, 41_800_000, 40_000_000, 45_000_000,
                              "higher", 2_000_000, 16_540),
    "financial.aov": (2_917.5, 2_880.0, 2_750.0, 2_700.0, None, None, None, 16_120),
    "financial.purchase_frequency": (1.38, 1.35, 1.31, 1.30, None, None, None, 11_680),
    "financial.arpu": (1_207.3, 1_160.2, 1_090.0, 1_050.0, 1_150.0, "higher", 50.0, 41_200),
    "financial.ltv": (96_800.0, 104_200.0, 88_000.0, 85_000.0, 100_000.0, "higher", 5_000.0,
                      16_120),
    "financial.nrr": (103.4, 101.8, 99.5, 98.0, 100.0, "higher", 2.0, 39_870),
    "financial.churned_revenue": (3_940_000, 3_120_000, 3_500_000, 3_300_000, 3_000_000,
                                  "lower", 500_000, 1_160),
    "financial.cost_per_ticket": (412.6, 428.1, 455.0, 470.0, 450.0, "lower", 25.0, 24_870),
    "customer.churn_rate": (2.9, 2.6, 3.1, 3.3, 2.5, "lower", 0.5, 40_010),
    "customer.retention_rate": (97.1, 97.4, 96.9, 96.7, None, None, None, 40_010),
    "customer.lifetime_months": (34.5, 38.5, 32.3, 30.3, None, None, None, 40_010),
    "customer.csat_mean": (4.31, 4.22, 4.18, 4.10, 4.3, "higher", 0.1, 2_140),
    "customer.csat_pct": (86.4, 83.1, 82.0, 80.5, 85.0, "higher", 3.0, 2_140),
    "customer.nps": (41.7, 43.9, 38.2, 35.0, 45.0, "higher", 5.0, 1_215),
    "customer.nps_moe": (4.6, 4.8, 5.0, 5.3, None, None, None, 1_215),
    "customer.ces_mean": (1.42, 1.55, 1.61, 1.70, 1.5, "lower", 0.2, 980),
    "customer.low_effort_pct": (71.2, 68.4, 66.0, 64.0, 70.0, "higher", 5.0, 980),
    "customer.complaints": (312, 287, 340, 355, 280, "lower", 40, 312),
    "customer.complaint_rate": (7.57, 7.02, 8.4, 8.9, 7.0, "lower", 1.0, 41_200),
    "customer.survey_response_rate": (18.6, 17.9, 15.2, 14.0, 20.0, "higher", 3.0, 24_310),
    "operational.tickets_created": (24_870, 23_410, 21_950, 21_000, None, None, None, 24_870),
    "operational.tickets_resolved": (24_310, 23_650, 21_700, 20_800, None, None, None, 24_310),
    "operational.backlog_end": (1_845, 1_285, 1_420, 1_500, 1_300, "lower", 200, 1_845),
    "operational.frt_median_min": (14.5, 11.2, 16.8, 18.0, 10.0, "lower", 5.0, 24_120),
    "operational.frt_p90_min": (182.0, 151.5, 205.0, 220.0, 120.0, "lower", 30.0, 24_120),
    "operational.sla_frt_pct": (78.4, 83.9, 76.1, 74.0, 85.0, "higher", 5.0, 24_560),
    "operational.resolution_median_h": (6.8, 7.4, 8.9, 9.5, 8.0, "lower", 2.0, 24_310),
    "operational.resolution_p90_h": (52.3, 55.0, 61.2, 64.0, 48.0, "lower", 8.0, 24_310),
    "operational.fcr_pct": (71.8, 69.5, 67.2, 66.0, 70.0, "higher", 5.0, 24_310),
    "operational.reopen_pct": (6.1, 6.9, 7.8, 8.2, 7.0, "lower", 1.0, 24_310),
    "operational.aht_min": (11.9, 12.4, 13.1, 13.5, None, None, None, 21_980),
    "operational.contacts_per_resolution": (1.34, 1.41, 1.47, 1.52, 1.4, "lower", 0.1, 24_310),
    "operational.off_hours_frt_ratio": (2.35, 2.10, 2.80, 3.0, 1.5, "lower", 0.3, 24_120),
    "operational.bot_containment_pct": (38.6, 35.2, 29.4, 27.0, 40.0, "higher", 5.0, 2_190),
    "growth.headcount_end": (148, 145, 131, 128, None, None, None, 148),
    "growth.hires": (9, 6, 7, 5, None, None, None, 9),
    "growth.leavers": (6, 4, 8, 9, None, None, None, 6),
    "growth.attrition_pct": (4.1, 2.8, 6.2, 7.0, 3.5, "lower", 1.0, 151),
    "growth.training_hours_per_agent": (6.4, 5.1, 4.2, 3.8, 6.0, "higher", 1.0, 151),
    "growth.enps": (24.0, 18.5, 12.0, 10.0, 20.0, "higher", 10.0, 121),
    "growth.tickets_per_agent": (166.1, 164.2, 167.0, 165.0, None, None, None, 151),
    "growth.new_agent_csat_gap": (-6.8, -9.4, -11.0, -12.0, -5.0, "higher", 3.0, 1_460),
}
# csat_pct and nps carry a significance test against the previous period.
SIGNIFICANT = {"customer.csat_pct": True, "customer.nps": False}

# dimension: (value, share of the base); shares of a dimension add up to 1.
SEGMENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "channel": (("chat", 0.26), ("phone", 0.22), ("email", 0.18), ("messenger", 0.17),
                ("chatbot", 0.09), ("social", 0.08)),
    "cjm_stage": (("experience", 0.41), ("purchase", 0.24), ("evaluation", 0.14),
                  ("loyalty", 0.09), ("awareness", 0.08), ("(none)", 0.04)),
    "team": (("L1-MSK", 0.38), ("L1-KZN", 0.31), ("L2-Experts", 0.19), ("VIP desk", 0.12)),
    "customer_segment": (("b2c", 0.82), ("b2b", 0.15), ("vip", 0.03)),
}
# Survey answers per channel are fewer: social and chatbot fall under the minimum sample.
SURVEY_SHARES = {"chat": 0.34, "phone": 0.27, "email": 0.2, "messenger": 0.15, "chatbot": 0.02,
                 "social": 0.02}


def sample_meta(language: str, run_id: str = "2026-10-7f3c9a1e") -> ReportMeta:
    company = "ООО «Северный ветер»" if language == "ru" else "Northwind Ltd"
    return ReportMeta(
        company=company, period=PERIOD,
        generated_at=datetime(2026, 11, 2, 6, 15, tzinfo=UTC),
        run_id=run_id, language=language, currency="RUB",  # type: ignore[arg-type]
    )


def sample_metrics(extra_segments: tuple[tuple[str, str], ...] = ()) -> pl.DataFrame:
    """The comparison frame; ``extra_segments`` adds (dimension, value) rows, e.g. hostile names."""
    records = []
    for k_index, kpi in enumerate(KPIS):
        value, prev, yoy, baseline, target, direction, band, n = OVERALL[kpi.id]
        records.append(_record(kpi.id, "all", value, prev, yoy, baseline, target, direction,
                               band, n, SIGNIFICANT.get(kpi.id), _trend(yoy, prev, value)))
        for dim in kpi.dims:
            segments = SEGMENTS[dim] + tuple((v, 0.05) for d, v in extra_segments if d == dim)
            for s_index, (segment, share) in enumerate(segments):
                seg_value = _segment_value(kpi.id, value, share, k_index, s_index)
                seg_prev = _segment_value(kpi.id, prev, share, k_index, s_index + 1)
                shares = SURVEY_SHARES if kpi.sample_based else {}
                seg_n = max(1, round(n * shares.get(segment, share)))
                additive = kpi.unit in ("count", "currency") and kpi.id != "financial.arpu"
                records.append(_record(
                    kpi.id, f"{dim}={segment}", seg_value, seg_prev, None, None,
                    None if additive else target, direction, band, seg_n, None,
                    _trend(seg_value * 0.95, seg_prev, seg_value),
                ))
    return pl.DataFrame(records, schema={
        "kpi": pl.String, "segment": pl.String, "value": pl.Float64, "n": pl.Int64,
        "prev_value": pl.Float64, "prev_n": pl.Int64, "yoy_value": pl.Float64,
        "baseline_value": pl.Float64, "trend": pl.List(pl.Float64), "change_prev": pl.Float64,
        "significant": pl.Boolean, "low_sample": pl.Boolean, "target": pl.Float64,
        "direction": pl.String, "status": pl.String,
    })


def sample_quality(language: str) -> DataQuality:
    files = [
        ("customers", "crm/customers_2026-10.csv", 41_532, 12),
        ("orders", "crm/orders_2026-10.xlsx", 18_204, 3),
        ("tickets", "helpdesk/zendesk_incremental_2026-10.jsonl", 25_112, 41),
        ("agents", "hr/agents.csv", 156, 0),
        ("trainings", "hr/trainings_2026-10.csv", 412, 0),
        ("survey_responses", "surveys/responses_2026-10.csv", 4_385, 17),
    ]
    warnings = {
        "ru": ["survey_responses: у 4,2 % ответов нет канала — взят канал их обращения.",
               "tickets: у 1 312 обращений не указана команда — они показаны как «(не указано)»."],
        "en": [("survey_responses: 4.2% of responses have no channel — their ticket's channel "
                "was used."),
               "tickets: 1,312 tickets have no team — shown as \u201c(not set)\u201d."],
    }[language]
    return DataQuality(
        files=[(e, f, read, bad, hashlib.sha256(f.encode()).hexdigest())
               for e, f, read, bad in files],
        quarantined=[
            ("tickets", "first_response_at >= created_at", 29),
            ("tickets", "cjm_stage in the allowed stages", 12),
            ("customers", "churned_at >= created_at", 12),
            ("survey_responses", "score within the survey's scale", 17),
            ("orders", "customer_id exists in customers", 3),
        ],
        warnings=warnings,
    )


def sample_comments(language: str) -> list[str]:
    return {
        "ru": ["Оператор в чате ответил за пару минут и сразу решил вопрос с возвратом.",
               "Третий раз пишу про одну и ту же доставку, каждый раз начинаю сначала.",
               "По телефону долго ждала ответа, но специалист был очень вежлив."],
        "en": ["The chat agent answered in a couple of minutes and sorted my refund at once.",
               ("Third time writing about the same delivery, and every time I start from "
                "scratch."),
               "Waited a long time on the phone, but the specialist was very polite."],
    }[language]


@dataclass(frozen=True)
class Hostile:
    """Untrusted strings that would fetch or embed something if they were markup."""

    img_comment: str
    attachment_comment: str
    css_team: str
    css_segment: str


def hostile_texts(url_of: Callable[[str], str]) -> Hostile:
    """Comments and segment names aimed at ``url_of(path)`` and at /etc/passwd."""
    return Hostile(
        img_comment='<img src="file:///etc/passwd">',
        attachment_comment='<a rel="attachment" href="file:///etc/passwd">see file</a>',
        css_team=f"</td><style>body{{background:url({url_of('team')})}}</style>",
        css_segment=f'x" style="background: url({url_of("segment")})',
    )


@dataclass(frozen=True)
class RenderedReport:
    """A report rendered for the tests: its context, its HTML, the checked PDF and the text
    of each page read back (every kind of space read as one plain space)."""

    context: dict
    html: str
    pdf: Path
    pages: list[str]


def _record(kpi: str, segment: str, value: float | None, prev: float | None, yoy: float | None,
            baseline: float | None, target: float | None, direction: str | None,
            band: float | None, n: int, significant: bool | None,
            trend: list[float | None]) -> dict:
    low_sample = BY_ID[kpi].sample_based and n < MIN_SAMPLE
    return {
        "kpi": kpi, "segment": segment, "value": value, "n": n, "prev_value": prev,
        "prev_n": n, "yoy_value": yoy, "baseline_value": baseline, "trend": trend,
        "change_prev": None if value is None or prev is None else value - prev,
        "significant": significant, "low_sample": low_sample, "target": target,
        "direction": direction,
        "status": _status(value, target, direction, band, low_sample),
    }


def _status(value: float | None, target: float | None, direction: str | None,
            band: float | None, low_sample: bool) -> str:
    if value is None or target is None or direction is None or low_sample:
        return "grey"
    miss = target - value if direction == "higher" else value - target
    if miss <= 0:
        return "green"
    return "amber" if miss <= band else "red"


def _trend(start: float, prev: float, value: float) -> list[float | None]:
    """Twelve periods: from ``start`` towards ``prev`` with a gentle wave, ending at ``value``."""
    wave = abs(value) * 0.03
    early = [start + (prev - start) * i / 10 + wave * math.sin(i * 1.3) for i in range(10)]
    return [*early, prev, value]


def _segment_value(kpi: str, value: float, share: float, k_index: int, s_index: int) -> float:
    """Counts and sums split by share; rates and averages vary around the overall value."""
    unit = BY_ID[kpi].unit
    if unit in ("count", "currency") and kpi != "financial.arpu":
        return round(value * share) if unit == "count" else value * share
    varied = value * (1 + 0.22 * math.sin(k_index * 1.7 + s_index * 2.3))
    ceiling = {"pct": 100.0, "score": 5.0}.get(unit)
    return min(varied, ceiling) if ceiling else varied
