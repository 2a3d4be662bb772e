"""End-to-end timings: the ``scorecard`` command as a user runs it, interpreter start included.

- ``monthly_runs``: ``scorecard run --period P --config FILE --no-send``; the first run
  in a fresh Prefect home pays Prefect's database migrations, later runs do not.
- ``backfill_runs``: ``scorecard backfill --from P-23 --to P`` at ``--max-parallel 1`` and
  ``2`` (each into an empty store), then the same backfill again over the second store
  with ``--only missing,failed,changed`` (nothing changed, so nothing should be recomputed).

Every command runs in ephemeral Prefect mode (no ``PREFECT_API_URL``) with one Prefect
home shared by all runs of a benchmark; wall time is from spawn to exit and peak RSS is
that of the largest process of the run (``wait4``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
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


def monthly_runs(
    workload: Workload, folder: Path, workdir: Path, prefect_home: Path, runs: int
) -> Iterator[dict]:
    """``runs`` monthly runs of the workload's period, one after the other, on one store;
    each row as soon as it is measured."""
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
    for number in range(1, runs + 1):
        timed = time_command(command, env=prefect_env(prefect_home), cwd=workdir)
        cold = first_ever and number == 1
        yield _row(
            workload, "monthly run" + (" (new Prefect home)" if cold else ""), timed, cold=cold
        )


def backfill_available() -> bool:
    """Whether this version of the command line has ``scorecard backfill``."""
    return time_command([SCORECARD, "backfill", "--help"]).returncode == 0


def backfill_runs(
    workload: Workload, folder: Path, workdir: Path, prefect_home: Path
) -> Iterator[dict]:
    """A 24-month backfill at parallelism 1 and 2 (each into an empty store), then an
    unchanged re-run over the second store; each row as soon as it is measured."""
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
        timed = time_command(command, env=prefect_env(prefect_home), cwd=config.parent)
        what = f"backfill {BACKFILL_MONTHS} months, parallel {parallel}"
        yield _row(workload, what, timed, parallel=parallel, periods_skipped=_skipped(timed.stdout))
    rerun = [*command, "--only", "missing,failed,changed"]
    timed = time_command(rerun, env=prefect_env(prefect_home), cwd=config.parent)
    what = "backfill re-run, nothing changed"
    yield _row(
        workload, what, timed, parallel=2, rerun=True, periods_skipped=_skipped(timed.stdout)
    )


def _skipped(outcome_table: str) -> int:
    """Periods the backfill's outcome table lists as skipped (``2026-08  skipped  0.0  …``)."""
    return sum(line.split()[1:2] == ["skipped"] for line in outcome_table.splitlines())
