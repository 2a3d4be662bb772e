"""Running a measurement in a child process, and reading memory use (Linux).

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

REPO = Path(__file__).resolve().parent.parent


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
        raise ChildFailed(f"{module} {' '.join(args)}: {last_line(child.stderr)}")
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
            _, status, usage = os.wait4(process.pid, 0)  # reaps it: Popen must not wait again
        except BaseException:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            raise
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Timed(
            seconds, process.returncode, usage.ru_maxrss / 1024, out.read(), last_line(err.read())
        )


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    """Peak RSS of this process or of any child it waited for (a render subprocess), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024
