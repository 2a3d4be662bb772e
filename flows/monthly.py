"""The monthly flow: one period end to end. It only orchestrates; every step is
one function of the application package (scorecard.pipeline, scorecard.report).

The whole run holds the period's lock (scorecard.locks): a second run of the same
period exits with one line, or waits when ``wait`` is true. With no ``period`` it
reports the last complete month in the reporting time zone (what the schedule runs)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from scorecard import pipeline
from scorecard.config import Settings, load_settings
from scorecard.locks import lock_folder, period_lock
from scorecard.report import start_renderer
from scorecard.store import MetricStore, open_store
from scorecard.validation import start_loading
from scorecard.values_order import mark_stored, wait_for_previous
from transforms.periods import Period

# Frames are large: never hash them for caching, never persist them as results.
_task = task(cache_policy=NO_CACHE, persist_result=False)


@task(cache_policy=NO_CACHE, persist_result=False, retries=2, retry_delay_seconds=[5, 30])
def pull_and_read(settings: Settings, period: Period, run: pipeline.RunPaths):
    return pipeline.pull_and_read(settings, period, run.root)


validate = _task(pipeline.validate_inputs)
compute = _task(pipeline.compute)
compare = _task(pipeline.compare_with_history)
render = _task(pipeline.render_report)
render_notice = _task(pipeline.render_notice)
deliver_report = _task(pipeline.send_report)  # retries come from [email] in the flow


@_task
def store_period(store: MetricStore, period: Period, rows, run: pipeline.RunPaths) -> int:
    return store.replace_period(period.label, rows, run.run_id)


@flow(name="monthly-scorecard", log_prints=True)
def monthly_scorecard(
    period: str | None = None,
    config: str | None = None,
    source: str | None = None,
    send: bool = True,
    resend: bool = False,
    wait: bool = False,
    values_order: str | None = None,
) -> str:
    """Pull → validate → compute → store → render (→ email) one period; returns the PDF path.

    In a backfill, ``values_order`` makes the run wait, before it compares and stores,
    for the period before it (scorecard.values_order)."""
    try:
        settings = load_settings(config)
        if source:
            settings = settings.with_source_folder(Path(source))
        target = pipeline.resolve_period(settings, period)
        return _run_period(settings, target, send, resend, wait, values_order)
    finally:
        if period is not None:  # a backfill names its periods
            mark_stored(values_order, period)  # whatever happened, the next period goes on


def _run_period(
    settings: Settings, target: Period, send: bool, resend: bool, wait: bool, values_order: str | None
) -> str:
    with period_lock(lock_folder(settings), target.label, wait=wait):
        # start-up costs that can overlap the pull and the read: Great Expectations' import
        # (in a thread) and the PDF renderer's (a subprocess that imports WeasyPrint)
        start_loading()
        start_renderer()
        store = open_store(settings.store)
        run = pipeline.new_run(settings, target)
        store.start_run(run.run_id, target.label, pipeline.code_version())
        try:
            manifest, read = pull_and_read(settings, target, run)
            outcome = validate(settings, target, read, run.root)
            if outcome.critical:
                notice = render_notice(settings, target, run, outcome)
                store.finish_run(run.run_id, "validation failed", input_checksums=pipeline.checksums(manifest),
                                 report_path=str(notice), error=pipeline.critical_line(outcome))
                pipeline.raise_if_critical(outcome)
            rows = compute(settings, target, outcome.clean)
            wait_for_previous(values_order, target.label)
            compared = compare(settings, target, rows, store)
            store_period(store, target, compared, run)
            mark_stored(values_order, target.label)
            rendered = render(settings, target, run, compared, manifest, read, outcome)
        except pipeline.ValidationFailed:
            raise
        except Exception as exc:
            store.finish_run(run.run_id, "failed", error=pipeline.error_line(exc))
            raise
        status = "succeeded"
        if send and settings.email.enabled:
            try:
                retrying = deliver_report.with_options(
                    retries=settings.email.retries,
                    retry_delay_seconds=exponential_backoff(settings.email.retry_delay_seconds)(settings.email.retries),
                )
                retrying(settings, target, rendered, store, resend)
            except Exception as exc:
                store.finish_run(run.run_id, "delivery failed", input_checksums=pipeline.checksums(manifest),
                                 report_path=str(rendered.pdf), error=pipeline.error_line(exc))
                raise
            status = "sent"
        store.finish_run(run.run_id, status, input_checksums=pipeline.checksums(manifest), report_path=str(rendered.pdf))
    return str(rendered.pdf)
