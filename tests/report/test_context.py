"""The report context: bad news first, then improvements; nulls as dashes; every KPI and term."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from scorecard.report import DataQuality, ReportMeta, build_context, email_summary_html
from scorecard.report.locale_format import DASH, NBSP
from transforms.catalogue import KPIS
from transforms.periods import Period

SCHEMA = {
    "kpi": pl.String, "segment": pl.String, "value": pl.Float64, "n": pl.Int64,
    "prev_value": pl.Float64, "prev_n": pl.Int64, "yoy_value": pl.Float64,
    "baseline_value": pl.Float64, "trend": pl.List(pl.Float64), "change_prev": pl.Float64,
    "significant": pl.Boolean, "low_sample": pl.Boolean, "target": pl.Float64,
    "direction": pl.String, "status": pl.String,
}


def row(kpi: str, value: float | None, **fields: object) -> dict:
    base = {
        "kpi": kpi, "segment": "all", "value": value, "n": 100, "prev_value": None,
        "prev_n": None, "yoy_value": None, "baseline_value": None, "trend": [],
        "change_prev": None, "significant": None, "low_sample": False, "target": None,
        "direction": None, "status": "grey",
    }
    return {**base, **fields}


def meta(language: str = "en", company: str = "Acme") -> ReportMeta:
    return ReportMeta(company, Period.parse("2026-10", "Europe/Moscow"),
                      datetime(2026, 11, 2, 6, 15, tzinfo=UTC), "run-1", language, "RUB")


def context_of(rows: list[dict], language: str = "en", **kwargs: object) -> dict:
    return build_context(meta(language), pl.DataFrame(rows, schema=SCHEMA), DataQuality(), **kwargs)


def kpi_rows(context: dict) -> dict[str, dict]:
    return {k["id"]: k for level in context["levels"] for k in level["kpis"]}


def test_bad_news_first_red_then_amber_in_catalogue_order() -> None:
    context = context_of([
        row("financial.nrr", 97.0, target=100.0, direction="higher", status="amber"),
        row("customer.churn_rate", 4.0, target=2.5, direction="lower", status="red"),
        row("operational.fcr_pct", 60.0, target=70.0, direction="higher", status="red"),
        row("growth.enps", 30.0, target=20.0, direction="higher", status="green"),
    ])
    missed = [k["id"] for k in context["summary"]["missed"]]
    assert missed == ["customer.churn_rate", "operational.fcr_pct", "financial.nrr"]
    # 1 green, 1 amber, 2 red out of 4 rated
    assert context["summary"]["on_target_line"] == (
        "1 of 4 KPIs with a target are on target; 1 near target, 2 off target."
    )


def test_improved_follows_the_direction_and_skips_small_samples() -> None:
    context = context_of([
        # lower churn is better (natural direction, no target)
        row("customer.churn_rate", 2.0, prev_value=3.0),
        # a configured direction wins over the natural one
        row("operational.aht_min", 9.0, prev_value=10.0, direction="lower", target=12.0,
            status="green"),
        # volumes have no better direction
        row("operational.tickets_created", 200.0, prev_value=100.0),
        # worse: NPS fell
        row("customer.nps", 30.0, prev_value=35.0),
        # better but a small sample: not news
        row("growth.enps", 40.0, prev_value=10.0, low_sample=True),
        # better and significant
        row("customer.csat_pct", 90.0, prev_value=80.0, significant=True),
    ])
    improved = {k["id"]: k for k in context["summary"]["improved"]}
    assert list(improved) == ["customer.churn_rate", "customer.csat_pct", "operational.aht_min"]
    assert improved["customer.csat_pct"]["significant"] is True
    assert improved["customer.csat_pct"]["prev"] == {"text": f"+10.0{NBSP}pp", "tone": "good"}
    assert kpi_rows(context)["customer.nps"]["prev"]["tone"] == "bad"


def test_every_kpi_has_a_row_and_missing_values_are_dashes() -> None:
    context = context_of([row("financial.ltv", None, prev_value=float("nan"))])
    rows = kpi_rows(context)
    assert list(rows) == [k.id for k in KPIS]  # all 42, in catalogue order
    ltv = rows["financial.ltv"]
    assert (ltv["value"], ltv["prev"]["text"], ltv["yoy"]["text"], ltv["target"]) == (DASH,) * 4
    assert rows["growth.enps"]["status"] == "grey"  # absent from the frame: not rated


def test_targets_show_their_direction() -> None:
    context = context_of([
        row("customer.churn_rate", 2.0, target=2.5, direction="lower", status="green"),
        row("operational.sla_frt_pct", 90.0, target=85.0, direction="higher", status="green"),
    ], language="ru")
    rows = kpi_rows(context)
    assert rows["customer.churn_rate"]["target"] == f"≤{NBSP}2,5{NBSP}%"
    assert rows["operational.sla_frt_pct"]["target"] == f"≥{NBSP}85,0{NBSP}%"


def test_breakdowns_translate_known_values_and_order_by_base() -> None:
    context = context_of([
        row("operational.tickets_created", 30.0),
        row("operational.tickets_created", 10.0, segment="channel=email", n=10),
        row("operational.tickets_created", 15.0, segment="channel=chat", n=15),
        row("operational.tickets_created", 5.0, segment="channel=(none)", n=5),
        row("operational.tickets_created", 20.0, segment="team=Tier 1", n=20),
    ], language="ru")
    operational = next(level for level in context["levels"] if level["id"] == "operational")
    tables = {t["title"]: t for t in operational["breakdowns"]}
    assert list(tables) == ["Канал", "Команда"]
    channel = tables["Канал"]
    assert [r["label"] for r in channel["rows"]] == ["Чат", "Эл. почта", "(не указано)"]
    assert channel["rows"][0]["cells"][0]["text"] == "15"
    assert channel["rows"][0]["cells"][1]["text"] == DASH  # no backlog row for chat
    assert tables["Команда"]["rows"][0]["label"] == "Tier 1"


def test_glossary_defines_every_kpi_in_both_languages() -> None:
    for language in ("ru", "en"):
        terms = [t for group in context_of([], language)["glossary"] for t in group["terms"]]
        assert len(terms) == len(KPIS) == 42
        assert all(t["name"] and len(t["definition"]) > 30 for t in terms)
        assert len({t["name"] for t in terms}) == 42


def test_level_titles_in_russian_use_the_scorecard_vocabulary() -> None:
    titles = [level["title"] for level in context_of([], "ru")["levels"]]
    assert titles == ["Финансы", "Клиенты", "Внутренние бизнес-процессы", "Обучение и развитие"]


def test_comments_are_cleaned_and_capped() -> None:
    comments = ["  two\x00  lines\nhere ", "", *[f"c{i}" for i in range(10)]]
    context = context_of([], comments=comments)
    customer = next(level for level in context["levels"] if level["id"] == "customer")
    assert customer["comments"][0] == "two lines here"
    assert len(customer["comments"]) == 6


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="trend"):
        build_context(meta(), pl.DataFrame({"kpi": [], "segment": []}), DataQuality())


def test_email_summary_is_escaped_and_lists_the_headline_kpis() -> None:
    context = build_context(
        meta(company="<script>alert(1)</script>"),
        pl.DataFrame([row("customer.nps", 41.7, status="amber", target=45.0,
                          direction="higher")], schema=SCHEMA),
        DataQuality(),
    )
    body = email_summary_html(context)
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "NPS (Net Promoter Score)" in body and "41.7" in body and "Near target" in body
    assert body.count("<tr") == 8  # the eight headline KPIs


def test_quality_page_totals_and_names_entities() -> None:
    quality = DataQuality(
        files=[("tickets", "t.csv", 1_200, 30, "ab" * 32), ("custom_entity", "x.csv", 34, 0, "")],
        quarantined=[("tickets", "contacts >= 1", 30)],
        warnings=["costs: no export"],
    )
    context = build_context(meta("ru"), pl.DataFrame([], schema=SCHEMA), quality)
    page = context["quality"]
    assert [f["entity"] for f in page["files"]] == ["Обращения", "custom_entity"]
    assert page["total_read"] == f"1{NBSP}234"  # 1 200 + 34
    assert page["total_quarantined"] == "30"
    assert page["quarantined"] == [{"entity": "Обращения", "rule": "contacts >= 1", "rows": "30"}]
