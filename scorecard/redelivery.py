"""``scorecard send``: email a period's latest report again (after an SMTP outage, or on request).

The PDF is the one the latest reporting run wrote (``period_runs.report_path``);
the email body is rebuilt from the stored values of that same run, so it shows
the PDF's numbers. Delivery goes through the ledger like the monthly flow: each
recipient gets a given report once, unless ``resend`` forces it.
"""

from __future__ import annotations

from pathlib import Path

from scorecard import pipeline
from scorecard.backfill import REPORTED
from scorecard.config import Settings
from scorecard.delivery import Delivery
from scorecard.errors import ConfigError, ScorecardError
from scorecard.locks import lock_folder, period_lock
from scorecard.store import MetricStore, RunRecord, open_store
from transforms.periods import Period


def send_latest_report(settings: Settings, period: Period, *, resend: bool, wait: bool) -> list[Delivery]:
    """Deliver ``period``'s latest report, holding the period's lock."""
    if not settings.email.enabled:
        raise ConfigError("email is off: set [email] enabled = true (and host, sender, recipients) to send")
    with period_lock(lock_folder(settings), period.label, wait=wait):
        store = open_store(settings.store)
        run = latest_report(store, period.label)
        rendered = pipeline.RenderedReport(
            pdf=Path(run.report_path),
            email_html=email_body(settings, period, store, run),
            subject=pipeline.email_subject(settings, period),
        )
        return pipeline.send_report(settings, period, rendered, store, resend)


def latest_report(store: MetricStore, period: str) -> RunRecord:
    """The latest run of ``period`` that rendered a report still on disk."""
    reported = [
        run for run in store.runs(period)
        if run.status in REPORTED and run.report_path and Path(run.report_path).is_file()
    ]
    if not reported:
        raise ScorecardError(f"period {period} has no report to send — run `scorecard run --period {period}` first")
    return reported[-1]


def email_body(settings: Settings, period: Period, store: MetricStore, run: RunRecord) -> str:
    """The email summary of the stored values, which must be those of ``run``."""
    from scorecard import report

    values = store.period_values(period.label)
    if values.is_empty() or set(values["run_id"]) != {run.run_id}:
        raise ScorecardError(
            f"period {period} has values from another run than its latest report ({run.run_id}) — "
            f"run `scorecard run --period {period}` to make a new report"
        )
    compared = pipeline.compare_with_history(settings, period, values.select("kpi", "segment", "value", "n"), store)
    meta = report.ReportMeta(
        company=settings.company.name, period=period, generated_at=run.finished_at or run.started_at,
        run_id=run.run_id, language=settings.reporting.language, currency=settings.reporting.currency,
    )
    return report.email_summary_html(report.build_context(meta, compared, report.DataQuality()))
