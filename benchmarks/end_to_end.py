"""End-to-end timings: the ``scorecard`` command as a user runs it, interpreter start included.

- ``monthly_runs``: ``scorecard run --period P --config FILE --no-send``; the first run
  in a fresh Prefect home pays Prefect's database migrations, later runs do not.
- ``backfill_runs``: ``scorecard backfill --from P-23 --to P`` at ``--max-parallel 1`` and
  ``2`` (each into an empty store), then the same backfill again over the second store
  with ``--only missing,failed,changed`` (nothing changed, so nothing should be recomputed).

Every command runs in ephemeral Prefect mode (no ``PREFECT_API_URL``) with one Prefect
home shared by all runs of a benchmark, except the monthly runs ``against a server``:
they report to a ``prefect server start`` that the benchmark starts beforehand (outside
the timing), as a scheduled monthly run does (schedules need a server). Wall time is
from spawn to exit and peak RSS is that of the largest process of the run (``wait4``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.processes import Timed, time_command
from benchmarks.workloads import SETTINGS_ENV, Workload, write_config

SCORECARD = str(Path(sys.executable).parent / "scorecard")
BACKFILL_MONTHS = 24


def prefect_env(prefect_home: Path) -> dict[str, str]:
    """The environment of the measured commands: ephemeral Prefect with its home in
    ``prefect_home``, and the benchmark's settings (workloads.SETTINGS_ENV)."""
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    return {**env, **SETTINGS_ENV, "PREFECT_HOME": str(prefect_home)}


def _row(workload: Workload, what: str, timed: Timed, **facts) -> dict:
    return {
        "workload": workload.name,
        "what": what,
        "seconds": timed.seconds,
        "peak_rss_mb": timed.peak_rss_mb,
        "ok": timed.returncode == 0,
        "error": None
        if timed.returncode == 0
        else (timed.stderr_tail or f"exit {timed.returncode}"),
        **facts,
    }


@contextmanager
def prefect_server(prefect_home: Path, startup_seconds: float = 180) -> Iterator[str]:
    """``prefect server start`` on a free local port, with its home in ``prefect_home``;
    yields its API URL once it answers, and stops it afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**prefect_env(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + startup_seconds
        while not _answers(api + "/health"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server start did not answer at {api}")
            time.sleep(0.5)
        yield api
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def monthly_runs(
    workload: Workload,
    folder: Path,
    workdir: Path,
    prefect_home: Path,
    runs: int,
    api_url: str | None = None,
) -> Iterator[dict]:
    """``runs`` monthly runs of the workload's period, one after the other, on one store;
    each row as soon as it is measured. With ``api_url`` they report to that Prefect server."""
    config = write_config(workload, folder, workdir)
    command = [
        SCORECARD,
        "run",
        "--period",
        workload.period.label,
        "--config",
        str(config),
        "--no-send",
    ]
    first_ever = not prefect_home.exists()
    env = prefect_env(prefect_home)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    for number in range(1, runs + 1):
        timed = time_command(command, env=env, cwd=workdir)
        # The first run in a new Prefect home pays its database migrations; the first run
        # against a server just started pays the server's own warm-up (its first queries).
        # A user pays either once, not every month, so the budget leaves them out.
        cold = number == 1 and (first_ever or bool(api_url))
        what = "monthly run" + (" (new Prefect home)" if cold and not api_url else "")
        what += (" (new server)" if cold and api_url else "")
        what += ", Prefect server" if api_url else ", ephemeral Prefect"
        yield _row(workload, what, timed, cold=cold, server=bool(api_url))


def backfill_runs(
    workload: Workload, folder: Path, workdir: Path, prefect_home: Path, api_url: str | None = None
) -> Iterator[dict]:
    """A 24-month backfill at parallelism 1 and 2 (each into an empty store), then an
    unchanged re-run over the second store; each row as soon as it is measured. With
    ``api_url`` they report to that Prefect server."""
    env = prefect_env(prefect_home)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    last = workload.period
    span = ["--from", last.shift(1 - BACKFILL_MONTHS).label, "--to", last.label]
    for parallel in (1, 2):
        config = write_config(workload, folder, workdir / f"parallel-{parallel}")
        command = [
            SCORECARD,
            "backfill",
            *span,
            "--max-parallel",
            str(parallel),
            "--config",
            str(config),
        ]
        timed = time_command(command, env=env, cwd=config.parent)
        what = f"backfill {BACKFILL_MONTHS} months, parallel {parallel}"
        yield _row(workload, what, timed, parallel=parallel, periods_skipped=_skipped(timed.stdout))
    rerun = [*command, "--only", "missing,failed,changed"]
    timed = time_command(rerun, env=env, cwd=config.parent)
    what = "backfill re-run, nothing changed"
    yield _row(
        workload, what, timed, parallel=2, rerun=True, periods_skipped=_skipped(timed.stdout)
    )


def _skipped(outcome_table: str) -> int:
    """Periods the backfill's outcome table lists as skipped (``2026-08  skipped  0.0  …``)."""
    return sum(line.split()[1:2] == ["skipped"] for line in outcome_table.splitlines())
