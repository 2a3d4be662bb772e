"""The stages of one period's run, as plain functions.

The Prefect flows (flows/) call these in order; the command line calls them
directly where no orchestration is needed (``scorecard metrics``, ``validate``).
Each stage takes what the previous one returned; none reaches back.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from scorecard.config import Settings
from scorecard.errors import ValidationFailed
from scorecard.store import MetricStore, open_store
from transforms.compute import compute_metrics
from transforms.periods import Period

TREND_PERIODS = 12


@dataclass(frozen=True)
class RunPaths:
    """Where one run of one period writes: ``<output>/<period>/<run_id>/``."""

    run_id: str
    root: Path

    @property
    def pdf(self) -> Path:
        return self.root / "report.pdf"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine.parquet"

    @property
    def validation(self) -> Path:
        return self.root / "validation.json"


def new_run(settings: Settings, period: Period, now: datetime | None = None) -> RunPaths:
    moment = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    run_id = f"{period.label}-{moment}-{secrets.token_hex(3)}"
    root = settings.output.dir / period.label / run_id
    root.mkdir(parents=True, exist_ok=False)
    return RunPaths(run_id=run_id, root=root)


# --- pull, read, validate ----------------------------------------------------------
def pull_and_read(settings: Settings, period: Period, run_root: Path, periods: list[Period] | None = None):
    """Archive every source file of the period into the run folder, then read the copies:
    only the rows the KPIs of ``periods`` (default: the period) can use."""
    from scorecard.sources import RowWindow, pull, read_entities

    manifest = pull(settings.sources, period, run_root)
    window = RowWindow.for_periods(periods or [period], orders_lookback_months(settings))
    # just pulled: the checksums were computed while copying, no second hashing pass
    return manifest, read_entities(manifest, settings.sources, window, verify=False)


def orders_lookback_months(settings: Settings) -> int:
    """How far back reading and validation keep orders: every order a revenue KPI reads."""
    return max(settings.validation.orders_lookback_months, settings.metrics.churned_revenue_months)


def validate_inputs(settings: Settings, period: Period, read, run_root: Path | None):
    """Validate the read frames; write the quarantine; raise ValidationFailed on critical findings."""
    from scorecard.validation import validate

    lookback = orders_lookback_months(settings)
    outcome = validate(
        read.frames,
        period,
        settings.validation.model_copy(update={"orders_lookback_months": lookback}),
        files=read.files,
        problems=read.problems,
        docs_dir=(run_root / "data-docs") if run_root is not None and settings.validation.write_data_docs else None,
    )
    if run_root is not None:
        outcome.quarantine.write_parquet(run_root / "quarantine.parquet")
        (run_root / "validation.json").write_text(
            json.dumps([f.__dict__ for f in outcome.findings], ensure_ascii=False, indent=2, default=str),
            encoding="utf-8",
        )
    return outcome


def critical_line(outcome) -> str:
    lines = [f.message for f in outcome.findings if f.severity == "critical"]
    return lines[0] + (f" (and {len(lines) - 1} more critical findings)" if len(lines) > 1 else "")


def raise_if_critical(outcome) -> None:
    if outcome.critical:
        raise ValidationFailed(critical_line(outcome))


# --- compute, compare, store ---------------------------------------------------------
def compute(settings: Settings, period: Period, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    lazy = {entity: frame.lazy() for entity, frame in frames.items()}
    return compute_metrics(lazy, period, settings.metric_params())


def compare_with_history(
    settings: Settings, period: Period, rows: pl.DataFrame, store: MetricStore
) -> pl.DataFrame:
    """Add previous period, year-ago, baseline, trend, significance and status."""
    from transforms.comparisons import compare

    wanted = [p.label for p in period.trailing(TREND_PERIODS)] + [period.year_ago().label]
    baseline = settings.baseline()
    if baseline is not None:
        wanted.append(baseline.label)
    history = store.history(sorted(set(wanted)))
    return compare(
        rows,
        history,
        period,
        baseline=baseline,
        targets=settings.metric_targets(),
        min_sample=settings.reporting.min_sample,
    )


def fill_history(settings: Settings, periods: list[Period]) -> None:
    """Compute and store several periods from one pull of the sources (no report, no email)."""
    import tempfile

    if not periods:
        return
    store = open_store(settings.store)
    with tempfile.TemporaryDirectory(prefix="scorecard-history-") as scratch:
        _, read = pull_and_read(settings, periods[-1], Path(scratch), periods)
        outcome = validate_inputs(settings, periods[-1], read, None)
        raise_if_critical(outcome)
    for period in periods:
        rows = compute(settings, period, outcome.clean)
        compared = compare_with_history(settings, period, rows, store)
        store.replace_period(period.label, compared, f"history-{period.label}")


# --- report ------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderedReport:
    pdf: Path
    email_html: str  # the short summary that goes in the email body
    subject: str


def render_report(
    settings: Settings, period: Period, run: RunPaths, compared: pl.DataFrame, manifest, read, outcome
) -> RenderedReport:
    """Render the executive PDF into the run folder; it is read back and checked before it exists."""
    from scorecard import report

    meta = report.ReportMeta(
        company=settings.company.name,
        period=period,
        generated_at=datetime.now(timezone.utc),
        run_id=run.run_id,
        language=settings.reporting.language,
        currency=settings.reporting.currency,
    )
    quality = data_quality(manifest, read, outcome)
    context = report.build_context(meta, compared, quality, comments=survey_comments(outcome.clean, period))
    pdf = report.render_pdf(context, run.pdf)
    return RenderedReport(pdf=pdf, email_html=report.email_summary_html(context), subject=email_subject(settings, period))


def render_notice(settings: Settings, period: Period, run: RunPaths, outcome) -> Path:
    """The short data-problem notice a period gets instead of the executive PDF."""
    from scorecard import report

    meta = report.ReportMeta(
        company=settings.company.name, period=period, generated_at=datetime.now(timezone.utc),
        run_id=run.run_id, language=settings.reporting.language, currency=settings.reporting.currency,
    )
    lines = [f.message for f in outcome.findings if f.severity == "critical"]
    return report.render_data_problem_notice(meta, lines, run.root / "data-problem-notice.pdf")


def email_subject(settings: Settings, period: Period) -> str:
    if settings.reporting.language == "ru":
        return f"{settings.company.name}: ССП клиентского сервиса за {period.label}"
    return f"{settings.company.name}: customer service scorecard for {period.label}"


def report_version(store: MetricStore, period: str, language: str) -> str:
    """A digest of what the report says: the period's stored rows and the language.

    The delivery ledger keys on it, so re-running a period with unchanged numbers
    (a retry, a crash, a backfill) sends no second email; changed numbers do.
    """
    import hashlib

    rows = store.period_values(period).select("kpi", "segment", "value", "n", "status").sort("kpi", "segment")
    digest = hashlib.sha256(f"{period}|{language}|".encode())
    digest.update(rows.write_csv(float_precision=12).encode())
    return "v1:" + digest.hexdigest()


def send_report(settings: Settings, period: Period, rendered: RenderedReport, store: MetricStore, resend: bool = False):
    from scorecard.delivery import deliver

    return deliver(
        settings.email, store, period=period.label, pdf=rendered.pdf,
        subject=rendered.subject, html_body=rendered.email_html, resend=resend,
        report_version=report_version(store, period.label, settings.reporting.language),
    )


def data_quality(manifest, read, outcome):
    """What the report's data-quality page shows: per file, per rule, warnings."""
    from scorecard import report

    quarantined_by_entity = outcome.quarantine.group_by("entity").agg(pl.col("row_number").n_unique().alias("rows"))
    quarantined = dict(quarantined_by_entity.iter_rows())
    files = [
        report.InputFile(
            entity=entry.entity,
            file_name=entry.name,
            rows_read=read.frames[entry.entity].height if entry.entity in read.frames else 0,
            rows_quarantined=quarantined.get(entry.entity, 0),
            sha256=entry.sha256,
        )
        for entry in manifest.files
    ]
    by_rule = (
        outcome.quarantine.group_by("entity", "rule").agg(pl.col("row_number").n_unique().alias("rows"))
        .sort("rows", descending=True)
    )
    warnings = [f.message for f in outcome.findings if f.severity == "warning"]
    return report.DataQuality(
        files=files,
        quarantined=[report.QuarantinedRows(*row) for row in by_rule.iter_rows()],
        warnings=warnings,
    )


def survey_comments(frames: dict[str, pl.DataFrame], period: Period, limit: int = 8) -> list[str]:
    """A few of the period's survey comments, newest first (untrusted text: the report escapes it)."""
    responses = frames.get("survey_responses")
    if responses is None:
        return []
    picked = (
        responses.filter(
            pl.col("comment").is_not_null(),
            pl.col("submitted_at") >= period.start_utc,
            pl.col("submitted_at") < period.end_utc,
        )
        .sort("submitted_at", descending=True)
        .head(limit)
    )
    return picked["comment"].to_list()


# --- run bookkeeping -------------------------------------------------------------------
def resolve_period(settings: Settings, label: str | None) -> Period:
    if label:
        return settings.period(label)
    return Period.last_complete(datetime.now(timezone.utc), settings.reporting.timezone)


def code_version() -> str:
    """The package version plus a digest of the code that computes the numbers."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for folder in ("transforms", "scorecard", "expectations", "report_templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".json", ".yaml", ".yml", ".html", ".css", ".toml"}:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{version('service-scorecard')}+{digest.hexdigest()[:12]}"


def checksums(manifest) -> dict[str, str]:
    return {entry.name: entry.sha256 for entry in manifest.files}


def error_line(exc: BaseException) -> str:
    from scorecard.errors import ScorecardError

    if isinstance(exc, ScorecardError):
        return exc.line()
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
