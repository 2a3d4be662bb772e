"""A level section's breakdown tables and charts, built from the metric rows."""

from __future__ import annotations

from dataclasses import dataclass

from scorecard.report import charts
from scorecard.report.glossary import kpi_text
from scorecard.report.locale_format import DASH, LocaleFormat
from scorecard.report.metric_view import MetricRow
from scorecard.report.model import Language
from scorecard.report.texts import DIM_BY, DIM_TITLES, NONE_SEGMENT, SEGMENT_VALUES, labels
from scorecard.report.untrusted import plain_text
from transforms.catalogue import BY_ID, Level
from transforms.periods import Period

DIM_ORDER: tuple[str, ...] = ("channel", "cjm_stage", "team", "customer_segment")
NONE_VALUE = "(none)"  # the house label of a null dimension value

# The KPI columns of each level's breakdown tables: the ones an executive compares across
# segments (every segment row stays in the store). A table per dimension shows those of
# these KPIs that the catalogue breaks down by it.
BREAKDOWN_KPIS: dict[Level, tuple[str, ...]] = {
    "financial": ("financial.arpu",),
    "customer": (
        "customer.churn_rate", "customer.retention_rate", "customer.csat_mean",
        "customer.csat_pct", "customer.nps", "customer.ces_mean", "customer.low_effort_pct",
        "customer.complaints",
    ),
    "operational": (
        "operational.tickets_created", "operational.backlog_end", "operational.frt_median_min",
        "operational.sla_frt_pct", "operational.resolution_median_h", "operational.fcr_pct",
        "operational.reopen_pct", "operational.aht_min",
    ),
    "growth": (),
}


@dataclass(frozen=True)
class Trend:
    kpi: str


@dataclass(frozen=True)
class Bars:
    kpi: str
    dim: str


CHARTS: dict[Level, tuple[Trend | Bars, ...]] = {
    "financial": (Trend("financial.net_revenue"), Bars("financial.arpu", "customer_segment")),
    "customer": (Trend("customer.nps"), Bars("customer.csat_pct", "channel")),
    "operational": (
        Trend("operational.sla_frt_pct"), Bars("operational.frt_median_min", "channel"),
    ),
    "growth": (Trend("growth.enps"), Trend("growth.attrition_pct")),
}

Segments = dict[tuple[str, str], dict[str, MetricRow]]


def index_segments(rows: dict[tuple[str, str], MetricRow]) -> Segments:
    """Segment rows by (kpi, dim), then by the dimension's raw value."""
    index: Segments = {}
    for (kpi, segment), row in rows.items():
        dim, sep, value = segment.partition("=")
        if sep:
            index.setdefault((kpi, dim), {})[value] = row
    return index


def segment_label(dim: str, value: str, language: Language) -> str:
    """A known channel or journey stage in the report's language; anything else as printed text."""
    if value == NONE_VALUE:
        return NONE_SEGMENT[language]
    known = SEGMENT_VALUES.get(dim, {}).get(value)
    return known[language] if known else plain_text(value, 40)


def breakdown_tables(level: Level, segments: Segments, fmt: LocaleFormat) -> list[dict]:
    """One table per dimension: a row per segment value, a column per KPI."""
    tables = []
    for dim in DIM_ORDER:
        kpi_ids = [k for k in BREAKDOWN_KPIS[level] if dim in BY_ID[k].dims]
        by_value: dict[str, dict[str, MetricRow]] = {}
        for kpi_id in kpi_ids:
            for value, row in segments.get((kpi_id, dim), {}).items():
                by_value.setdefault(value, {})[kpi_id] = row
        if not by_value:
            continue
        ordered = _ordered_values(by_value, kpi_ids[0], dim, fmt.language)
        tables.append({
            "title": DIM_TITLES[dim][fmt.language],
            "columns": [kpi_text(k).name(fmt.language) for k in kpi_ids],
            "rows": [
                {
                    "label": segment_label(dim, value, fmt.language),
                    "cells": [_cell(by_value[value].get(k), fmt) for k in kpi_ids],
                }
                for value in ordered
            ],
        })
    return tables


def level_charts(
    level: Level, rows: dict[tuple[str, str], MetricRow], segments: Segments,
    period: Period, fmt: LocaleFormat,
) -> list[dict]:
    """The level's charts as ``{"title", "src"}``, ``src`` a data: URL of an SVG."""
    text = labels(fmt.language)
    made = []
    for spec in CHARTS[level]:
        kpi = BY_ID[spec.kpi]
        name = kpi_text(kpi.id).name(fmt.language)
        if isinstance(spec, Trend):
            row = rows.get((kpi.id, "all"))
            values = list(row.trend) if row and row.trend else []
            if not any(v is not None for v in values):
                continue
            svg = charts.trend_chart(
                values,
                [fmt.period_short(p) for p in period.trailing(len(values))],
                target=row.target,
                target_label=text["chart_target"],
                format_tick=lambda v, unit=kpi.unit: fmt.tick(unit, v),
            )
            title = text["trend_chart"].format(kpi=name)
        else:
            by_value = segments.get((kpi.id, spec.dim), {})
            if not by_value:
                continue
            ordered = _ordered_values({v: {kpi.id: r} for v, r in by_value.items()}, kpi.id,
                                      spec.dim, fmt.language)
            svg = charts.bar_chart(
                [segment_label(spec.dim, v, fmt.language) for v in ordered],
                [by_value[v].value for v in ordered],
                [by_value[v].status for v in ordered],
                format_value=lambda v, unit=kpi.unit: fmt.kpi_value(unit, v),
            )
            title = text["bars_chart"].format(kpi=name, by=DIM_BY[spec.dim][fmt.language])
        made.append({"title": title, "src": charts.data_uri(svg)})
    return made


def _ordered_values(
    by_value: dict[str, dict[str, MetricRow]], first_kpi: str, dim: str, language: Language,
) -> list[str]:
    """Largest base first (by the first column's n), "(none)" last, then by label."""
    def key(value: str) -> tuple[bool, int, str]:
        row = by_value[value].get(first_kpi)
        return (value == NONE_VALUE, -(row.n or 0) if row else 0,
                segment_label(dim, value, language))
    return sorted(by_value, key=key)


def _cell(row: MetricRow | None, fmt: LocaleFormat) -> dict:
    if row is None:
        return {"text": DASH, "status": "grey", "low_sample": False}
    return {
        "text": fmt.kpi_value(BY_ID[row.kpi].unit, row.value),
        "status": row.status,
        "low_sample": row.low_sample,
    }
