"""Running a measurement in a child process, and reading memory use (Linux; MB = 10^6 bytes).

Every measurement runs in a fresh interpreter so that its peak RSS is its own.
A child prints one JSON object as the last line of its stdout.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.validation_throughput import _peak_rss_mb, _reset_peak_rss, _rss_mb

rss_mb = _rss_mb  # resident memory of this process now, MB
reset_peak_rss = _reset_peak_rss  # start a new peak measurement (VmHWM)

REPO = Path(__file__).resolve().parent.parent
POLL_S = 0.05  # how often time_command looks whether its command has exited


class ChildFailed(RuntimeError):
    """A measurement's child process exited non-zero; the message is its last stderr line."""


def run_child(module: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """``python -m module args…`` from the repository, with ``env`` added to this process's
    environment; the JSON object it printed last."""
    child = subprocess.run(
        [sys.executable, "-m", module, *args],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if child.returncode != 0:
        why = last_line(child.stderr) or f"exit {child.returncode}"
        if child.returncode < 0:
            why += f" (killed by signal {-child.returncode}; SIGKILL is often the out-of-memory killer)"
        raise ChildFailed(f"{module} {' '.join(args)}: {why}")
    return json.loads(child.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class Timed:
    """A command's wall time, exit code, peak RSS and last stderr line."""

    seconds: float
    returncode: int
    peak_rss_mb: float
    stdout: str
    stderr_tail: str


def time_command(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Timed:
    """Run ``command`` as the user would, measuring wall time from spawn to exit (interpreter
    start included) and the peak RSS of the largest process of its tree (``wait4``).

    The command runs in its own session; if the wait is interrupted (Ctrl-C), the whole
    session (the command and, say, its Prefect server) is terminated before re-raising.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        try:
            status, usage = _wait(process.pid)  # reaps it: Popen must not wait again
        except BaseException:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            raise
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak_mb = usage.ru_maxrss * 1024 / 1e6
        return Timed(seconds, process.returncode, peak_mb, out.read(), last_line(err.read()))


def _wait(pid: int) -> tuple[int, resource.struct_rusage]:
    """``wait4`` the child, polling: a blocking wait4 is not interrupted by Ctrl-C when the
    signal lands on another thread (Polars' and pandas' pools), and then nothing can stop it."""
    while True:
        reaped, status, usage = os.wait4(pid, os.WNOHANG)
        if reaped:
            return status, usage
        time.sleep(POLL_S)


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def peak_rss_mb() -> float:
    """Peak RSS in MB since :func:`reset_peak_rss` (Linux VmHWM), or of a child process this
    one waited for (the report's render subprocess), whichever is larger."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e6
    return max(_peak_rss_mb(), children)
