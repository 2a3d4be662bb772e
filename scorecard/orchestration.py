"""Run flows from the command line: Prefect's environment, then the flow.

Prefect reads its settings when it is imported, so this module sets them first:
its state lives beside the metric store (never in the user's home), analytics
are off, the ephemeral server gets a generous start-up time, and the shutdown
noise of the ephemeral server is kept out of the user's terminal. Prefect's
console shows errors only at CRITICAL: the command line reports every failure
itself, in one line, and Prefect keeps its run logs (server UI, ``prefect`` CLI).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard.backfill import PeriodOutcome
from scorecard.config import OrchestrationSettings, Settings
from scorecard.errors import ScorecardError
from transforms.periods import Period

if TYPE_CHECKING:
    from prefect.task_runners import TaskRunner

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
    "PREFECT_UI_ENABLED": "false",
    "DASK_LOGGING__DISTRIBUTED": "error",  # Dask workers inherit it: no cluster chatter in the terminal
}
SERVER_HINT = (
    "run `uv run prefect server start` in another terminal, then "
    "`export PREFECT_API_URL=http://127.0.0.1:4200/api`"
)


def prepare_prefect(state_dir: Path, **overrides: str) -> None:
    """Point Prefect at ``state_dir`` unless the user chose a home or a server."""
    if "PREFECT_HOME" not in os.environ:
        state_dir.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(state_dir)
    for key, value in {**PREFECT_DEFAULTS, **overrides}.items():
        os.environ.setdefault(key, value)
    logging.getLogger("prefect.server").addFilter(_drop_shutdown_noise)


def _drop_shutdown_noise(record: logging.LogRecord) -> bool:
    """The ephemeral server logs CancelledError tracebacks while it stops; they mean nothing."""
    return not (record.exc_info and record.exc_info[0] is not None and record.exc_info[0].__name__ == "CancelledError")


def prefect_state_dir(settings: Settings) -> Path:
    return settings.store.path.parent / "prefect"


def run_monthly(
    settings: Settings, period: Period, *, config: Path | None, source: Path | None, send: bool, wait: bool = False
) -> Path:
    """Run the monthly flow for ``period`` (settings already validated) and return the PDF path."""
    prepare_prefect(prefect_state_dir(settings))
    from flows.monthly import monthly_scorecard

    pdf = monthly_scorecard(
        period=period.label,
        config=str(config) if config else None,
        source=str(source) if source else None,
        send=send,
        wait=wait,
    )
    return Path(pdf)


def run_backfill(
    settings: Settings,
    periods: list[Period],
    *,
    config: Path | None,
    source: Path | None,
    send: bool,
    wait: bool,
    max_parallel: int,
) -> list[PeriodOutcome]:
    """Run the backfill flow over ``periods`` on the configured task runner; return the outcomes."""
    prepare_prefect(prefect_state_dir(settings))
    from flows.backfill import backfill_scorecard

    options = settings.orchestration
    runner = task_runner(options, max_parallel)
    with api_for_workers(runner):
        return backfill_scorecard.with_options(task_runner=runner)(
            periods=[period.label for period in periods],
            config=str(config.resolve()) if config else None,
            source=str(source.resolve()) if source else None,
            send=send,
            wait=wait,
            values_first=len(periods) > 1 and options.task_runner == "dask",
            max_parallel=max_parallel,
        )


def task_runner(options: OrchestrationSettings, max_parallel: int) -> TaskRunner:
    """Threads in this process, ``max_parallel`` worker processes of this machine, a Dask
    cluster at ``dask_address``, or a local Dask cluster of ``max_parallel`` single-threaded
    worker processes."""
    if options.task_runner == "thread" or (options.task_runner == "process" and max_parallel == 1):
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=max_parallel)
    if options.task_runner == "process":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=max_parallel)
    from prefect_dask import DaskTaskRunner

    if options.dask_address:
        return DaskTaskRunner(address=options.dask_address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": max_parallel, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )


@contextmanager
def api_for_workers(runner: TaskRunner) -> Iterator[None]:
    """Worker processes (process pool, Dask) report to this process's Prefect API.

    With no PREFECT_API_URL, Prefect would start one ephemeral server per worker
    process; instead this starts one here and hands its address to the workers
    (in the task context Prefect sends them). Workers on other machines need a
    real `prefect server start` that they can reach (PREFECT_API_URL).
    """
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings
    from prefect.task_runners import ThreadPoolTaskRunner

    if isinstance(runner, ThreadPoolTaskRunner) or get_current_settings().api.url:
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


def require_server() -> str:
    """The Prefect API URL of a running server; one line when there is none or it does not answer."""
    from prefect.client.orchestration import get_client
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        raise ScorecardError(f"serve needs a Prefect server: the ephemeral one never runs schedules — {SERVER_HINT}")
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise ScorecardError(f"the Prefect server at {url} does not answer ({type(problem).__name__}) — {SERVER_HINT}")
    return url
