"""The backfill flow: many periods, each its own ``monthly-scorecard`` sub-run.

One task per period runs the monthly flow for it, on the flow's task runner
(threads, or a Dask cluster: see scorecard.orchestration). A period that fails
is recorded in its outcome and the others go on. Periods are submitted oldest
first, so with one at a time every report compares with final neighbours.

With several periods at a time, a report could be rendered while the period
before it is still being computed. On the thread task runner each period's
run computes at once and then waits, before it compares and stores, for the
period before it (scorecard.values_order): every report compares with its
neighbours' final numbers, and every period is computed once. Dask workers
are other processes, so there a first pass stores every period's values
(pull, validate, compute, store: no report) before the monthly runs.

Each finished period is logged on the ``scorecard.backfill`` logger (the
command line draws its progress bar from it).
"""

from __future__ import annotations

import logging
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait as wait_for_futures

from flows.monthly import monthly_scorecard
from scorecard import pipeline
from scorecard.backfill import PeriodOutcome, outcome_of
from scorecard.config import Settings, load_settings
from scorecard.locks import lock_folder, period_lock
from scorecard.values_order import values_order

progress = logging.getLogger("scorecard.backfill")


@task(cache_policy=NO_CACHE, persist_result=False)
def store_values(settings: Settings, label: str, wait_for_lock: bool) -> PeriodOutcome:
    """The first pass for one period: its values, under its lock. A failure here is not
    reported: the period's own run meets it again and records it."""

    def fill() -> None:
        with period_lock(lock_folder(settings), label, wait=wait_for_lock):
            pipeline.fill_history(settings, [settings.period(label)])

    return outcome_of(label, fill)


@task(cache_policy=NO_CACHE, persist_result=False)
def run_period(
    label: str, config: str | None, source: str | None, send: bool, wait_for_lock: bool, order: str | None
) -> PeriodOutcome:
    """One period's monthly flow, as a sub-run."""
    return outcome_of(
        label,
        lambda: monthly_scorecard(
            period=label, config=config, source=source, send=send, wait=wait_for_lock, values_order=order
        ),
    )


@flow(name="scorecard-backfill", log_prints=True)
def backfill_scorecard(
    periods: list[str],
    config: str | None = None,
    source: str | None = None,
    send: bool = False,
    wait: bool = False,
    values_first: bool = False,
    max_parallel: int = 1,
) -> list[PeriodOutcome]:
    """Run the monthly flow for every period in ``periods``; return their outcomes in period order.

    At most ``max_parallel`` periods are submitted and not yet collected, the oldest
    collected first: a task runner need not start tasks in the order they were
    submitted (Prefect's process pool does not), and a period waiting for one that
    has not started would wait for ever. With as many periods in flight as workers,
    each submitted period starts at once, and the oldest one waits for nobody.
    """
    if values_first:
        settings = load_settings(config)
        if source:
            settings = settings.with_source_folder(Path(source))
        wait_for_futures([store_values.submit(settings, label, wait) for label in periods])
    outcomes = []
    in_flight = len(periods) if values_first else max(1, max_parallel)
    with values_order([] if values_first else periods) as order:  # empty: nobody waits
        pending = []  # submitted and not collected, oldest first
        for label in periods:
            if len(pending) >= in_flight:
                outcomes.append(_collected(pending.pop(0)))
            pending.append(
                run_period.with_options(task_run_name=f"period-{label}").submit(
                    label, config, source, send, wait, order
                )
            )
        outcomes.extend(_collected(future) for future in pending)
    return sorted(outcomes, key=lambda outcome: outcome.period)


def _collected(future) -> PeriodOutcome:
    outcome = future.result()
    progress.info("%s %s in %.1f s", outcome.period, outcome.status, outcome.seconds)
    return outcome
