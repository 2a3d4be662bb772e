"""Everything the templates print, already formatted: the report context.

The context is plain data (dicts, lists, strings, booleans) so that templates only
place text and the context can cross into the rendering subprocess. Nulls are
"—" by the time they get here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scorecard.report.charts import data_uri, sparkline
from scorecard.report.glossary import kpi_text
from scorecard.report.locale_format import LocaleFormat
from scorecard.report.metric_view import MetricRow, read_metric_rows
from scorecard.report.model import (
    DataQuality,
    InputFile,
    Language,
    QuarantinedRows,
    ReportMeta,
)
from scorecard.report.sections import breakdown_tables, index_segments, level_charts
from scorecard.report.summary import HEADLINE_KPIS, improvements, missed_targets, status_counts
from scorecard.report.texts import ENTITY_TITLES, LEVEL_LEADS, LEVEL_TITLES, STATUS_TEXT, labels
from scorecard.report.untrusted import plain_text
from transforms.catalogue import BY_ID, KPIS, LEVELS, kpis_of

if TYPE_CHECKING:  # polars is a type here; importing it costs the renderer child ~1 s
    import polars as pl

MAX_COMMENTS = 6
COMMENT_LENGTH = 300
MAX_FINDINGS = 40


def build_context(
    meta: ReportMeta,
    metrics: pl.DataFrame,
    quality: DataQuality,
    comments: Sequence[str] = (),
) -> dict:
    """The report's content for one period in ``meta.language``.

    ``metrics`` is the comparison frame (kpi, segment, value, n, prev_value, prev_n,
    yoy_value, baseline_value, trend, change_prev, significant, low_sample, target,
    direction, status). ``comments`` are survey comments (untrusted text); the first
    few are quoted in the customer section.
    """
    fmt = LocaleFormat(meta.language, meta.currency)
    rows = read_metric_rows(metrics)
    segments = index_segments(rows)
    overall = {k.id: rows.get((k.id, "all")) or _no_data(k.id) for k in KPIS}
    views = {kpi_id: kpi_view(row, fmt) for kpi_id, row in overall.items()}
    ordered = list(overall.values())
    counts = status_counts(ordered)
    text = labels(meta.language)
    meta_view = _meta_view(meta, fmt, text)
    return {
        "lang": meta.language,
        "t": text,
        "meta": meta_view,
        "email_intro": text["email_intro"].format(period=meta_view["period"]),
        "summary": {
            "headline": [views[k] for k in HEADLINE_KPIS],
            "on_target_line": text["on_target_line"].format(
                **{status: fmt.count(count) for status, count in counts.items()}
            ),
            "missed": [views[r.kpi] for r in missed_targets(ordered)],
            "improved": [views[r.kpi] for r in improvements(ordered)],
            "notes": _notes(ordered, text),
        },
        "levels": [
            {
                "id": level,
                "title": LEVEL_TITLES[level][meta.language],
                "lead": LEVEL_LEADS[level][meta.language],
                "kpis": [views[k.id] for k in kpis_of(level)],
                "charts": level_charts(level, rows, segments, meta.period, fmt),
                "breakdowns": breakdown_tables(level, segments, fmt),
                "comments": _comments(comments) if level == "customer" else [],
                "notes": _notes([r for r in rows.values() if r.kpi.startswith(f"{level}.")], text),
            }
            for level in LEVELS
        ],
        "show_baseline": any(r.baseline_value is not None for r in ordered),
        "quality": _quality_view(quality, fmt),
        "glossary": _glossary(meta.language),
    }


def notice_context(meta: ReportMeta, findings_lines: Sequence[str]) -> dict:
    """The data-problem notice: which period, what validation found, what to do."""
    fmt = LocaleFormat(meta.language, meta.currency)
    text = labels(meta.language)
    meta_view = _meta_view(meta, fmt, text)
    title = text["notice_title"].format(period=meta_view["period"])
    findings = [plain_text(line, 300) for line in findings_lines]
    return {
        "lang": meta.language,
        "t": text,
        "meta": {**meta_view, "document_title": title},
        "title": title,
        "findings": findings[:MAX_FINDINGS],
        "more_findings": fmt.count(len(findings) - MAX_FINDINGS)
        if len(findings) > MAX_FINDINGS else "",
    }


def free_text(context: dict) -> list[str]:
    """The text people wrote that a report or notice prints: comments, findings, warnings,
    quarantine rules, file and company names. Segment names are data values and stay out."""
    texts = [context["meta"]["company"], context["meta"]["run_id"], *context.get("findings", [])]
    for level in context.get("levels", []):
        texts.extend(level["comments"])
    quality = context.get("quality")
    if quality:
        texts.extend(f["file"] for f in quality["files"])
        texts.extend(q["rule"] for q in quality["quarantined"])
        texts.extend(quality["warnings"])
    return texts


def kpi_view(row: MetricRow, fmt: LocaleFormat) -> dict:
    """One KPI's overall row as the tables, tiles and summary lists print it."""
    unit = BY_ID[row.kpi].unit
    return {
        "id": row.kpi,
        "name": kpi_text(row.kpi).name(fmt.language),
        "value": fmt.kpi_value(unit, row.value),
        "prev_value": fmt.kpi_value(unit, row.prev_value),
        "target": _target_text(row, fmt),
        "status": row.status,
        "status_text": STATUS_TEXT[row.status][fmt.language],
        "prev": {"text": fmt.change(unit, row.value, row.prev_value),
                 "tone": row.tone(row.prev_value)},
        "yoy": {"text": fmt.change(unit, row.value, row.yoy_value),
                "tone": row.tone(row.yoy_value)},
        "baseline": {"text": fmt.change(unit, row.value, row.baseline_value),
                     "tone": row.tone(row.baseline_value)},
        "significant": row.significant is True,
        "low_sample": row.low_sample,
        "n": fmt.count(row.n),
        "sparkline": data_uri(sparkline(list(row.trend), row.status)),
    }


def _notes(rows: Sequence[MetricRow], text: dict[str, str]) -> list[str]:
    """The footnotes explaining the marks that these rows will show."""
    notes = []
    if any(r.significant for r in rows if r.segment == "all"):
        notes.append(text["significant_note"])
    if any(r.low_sample for r in rows):
        notes.append(text["low_sample_note"])
    return notes


def _glossary(language: Language) -> list[dict]:
    """Every KPI's name and plain-words definition, grouped by level."""
    return [
        {
            "title": LEVEL_TITLES[level][language],
            "terms": [
                {"name": kpi_text(k.id).name(language),
                 "definition": kpi_text(k.id).definition(language)}
                for k in kpis_of(level)
            ],
        }
        for level in LEVELS
    ]


def _target_text(row: MetricRow, fmt: LocaleFormat) -> str:
    """"≥ 85,0 %" for a target to reach, "≤ 30,0 мин" for one to stay under."""
    value = fmt.kpi_value(BY_ID[row.kpi].unit, row.target)
    if row.target is None or row.direction is None:
        return value
    return ("≥\u00a0" if row.direction == "higher" else "≤\u00a0") + value


def _no_data(kpi_id: str) -> MetricRow:
    """A KPI missing from the frame still gets its row, printed as dashes and not rated."""
    return MetricRow(
        kpi=kpi_id, segment="all", value=None, n=None, prev_value=None, yoy_value=None,
        baseline_value=None, trend=(), significant=None, low_sample=False, target=None,
        direction=None, status="grey",
    )


def _meta_view(meta: ReportMeta, fmt: LocaleFormat, text: dict[str, str]) -> dict:
    company = plain_text(meta.company, 120)
    period = fmt.period(meta.period)
    return {
        "company": company,
        "period": period,
        "generated_at": fmt.moment(meta.generated_at, meta.period.tz),
        "run_id": plain_text(meta.run_id, 80),
        "document_title": f"{text['report_title']} — {company} — {period}",
    }


def _comments(comments: Sequence[str]) -> list[str]:
    cleaned = (plain_text(c, COMMENT_LENGTH) for c in comments)
    return [c for c in cleaned if c][:MAX_COMMENTS]


def _quality_view(quality: DataQuality, fmt: LocaleFormat) -> dict:
    files = [InputFile(*f) for f in quality.files]
    rules = [QuarantinedRows(*q) for q in quality.quarantined]
    return {
        "files": [
            {
                "entity": _entity(f.entity, fmt),
                "file": plain_text(f.file_name, 80),
                "rows_read": fmt.count(f.rows_read),
                "rows_quarantined": fmt.count(f.rows_quarantined),
                "sha256": plain_text(f.sha256, 64),
            }
            for f in files
        ],
        "total_read": fmt.count(sum(f.rows_read for f in files)),
        "total_quarantined": fmt.count(sum(f.rows_quarantined for f in files)),
        "quarantined": [
            {"entity": _entity(q.entity, fmt), "rule": plain_text(q.rule, 160),
             "rows": fmt.count(q.rows)}
            for q in rules
        ],
        "warnings": [plain_text(w, 300) for w in quality.warnings],
    }


def _entity(entity: str, fmt: LocaleFormat) -> str:
    """A canonical entity in the report's language; anything else as printed text."""
    known = ENTITY_TITLES.get(entity)
    return known[fmt.language] if known else plain_text(entity, 40)
