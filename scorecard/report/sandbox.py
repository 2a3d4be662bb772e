"""Render HTML to PDF in a child process with a wall-clock timeout and a memory limit.

Starting the child costs about a second before any rendering (a new interpreter that
imports WeasyPrint). ``start_renderer()`` pays that early: it starts the child, which
sets its memory limit, imports WeasyPrint and then waits for one job on its stdin, so
that the next ``html_to_pdf`` only renders. Without it, ``html_to_pdf`` starts a child
itself. Either way each child renders one document and exits.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from scorecard.report.assets import TEMPLATES_DIR
from scorecard.report.errors import ReportRenderFailed

EXIT_OUT_OF_MEMORY = 3  # the worker's exit status when it hit its memory limit
DEFAULT_MEMORY_MB = 2048

# The child sees only what it needs: no credentials from the parent's environment, and
# an empty PATH, since it runs no programs. (That also spares it ~0.2 s: WeasyPrint asks
# for each library under names that miss, and ctypes then tries gcc and ld on the PATH.)
_PASSED_ENV = ("HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_CACHE_HOME",
               "FONTCONFIG_FILE", "FONTCONFIG_PATH")


@dataclass
class _Worker:
    """A started rendering child, its memory limit, and the folder it works in."""

    process: subprocess.Popen[str]
    memory_mb: int
    work: tempfile.TemporaryDirectory[str]

    def discard(self) -> None:
        """Stop a worker that got no job (it holds nothing worth waiting for)."""
        self.process.kill()
        self.process.communicate()
        self.work.cleanup()


_lock = threading.Lock()
_waiting: _Worker | None = None  # started by start_renderer, not yet given a job


def start_renderer(*, memory_mb: int = DEFAULT_MEMORY_MB) -> None:
    """Start the rendering child now, so that its start-up overlaps other work.

    Call it early in a run (before reading the inputs); the next ``html_to_pdf`` (the
    report or the notice) with the same memory limit uses it. Calling it again while a
    started child waits does nothing; a child never used is stopped when this process exits.
    """
    global _waiting
    with _lock:
        if _waiting is not None and _waiting.memory_mb == memory_mb:
            return
        stale, _waiting = _waiting, _start_worker(memory_mb)
    if stale is not None:
        stale.discard()


def html_to_pdf(html: str, pdf_path: Path, *, timeout_s: float, memory_mb: int) -> Path:
    """Write ``html`` as a PDF at ``pdf_path``; raise ReportRenderFailed past the limits."""
    worker = _take_worker(memory_mb)
    try:
        html_file = Path(worker.work.name) / "report.html"
        html_file.write_text(html, encoding="utf-8")
        job = {
            "html": str(html_file),
            "pdf": str(pdf_path.resolve()),
            "cpu_seconds": math.ceil(timeout_s) + 1,
        }
        try:
            _, stderr = worker.process.communicate(json.dumps(job) + "\n", timeout=timeout_s)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.communicate()
            raise ReportRenderFailed(
                f"rendering the PDF took longer than {timeout_s:g} s and was stopped — "
                "raise the report timeout or shorten the report"
            ) from None
    finally:
        worker.work.cleanup()
    _raise_if_failed(worker.process.returncode, stderr, memory_mb, pdf_path)
    return pdf_path


def _take_worker(memory_mb: int) -> _Worker:
    """The started child if it suits (same memory limit, still alive), else a new one."""
    global _waiting
    with _lock:
        worker, _waiting = _waiting, None
    if worker is not None and worker.memory_mb == memory_mb and worker.process.poll() is None:
        return worker
    if worker is not None:
        worker.discard()
    return _start_worker(memory_mb)


def _start_worker(memory_mb: int) -> _Worker:
    work = tempfile.TemporaryDirectory(prefix="scorecard-render-")
    command = [sys.executable, "-m", "scorecard.report.render_worker", str(memory_mb)]
    process = subprocess.Popen(
        command, env=_child_env(), cwd=work.name, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    return _Worker(process=process, memory_mb=memory_mb, work=work)


def _raise_if_failed(returncode: int, stderr: str, memory_mb: int, pdf_path: Path) -> None:
    if returncode == EXIT_OUT_OF_MEMORY:
        raise ReportRenderFailed(
            f"rendering the PDF needed more than {memory_mb} MB and was stopped — "
            "raise the report memory limit"
        )
    if returncode < 0:
        raise ReportRenderFailed(
            f"the PDF renderer was killed by signal {-returncode} — a memory limit of "
            f"{memory_mb} MB may be too low (rendering needs about 100 MB resident, 400 MB of "
            "address space)"
        )
    if returncode != 0 or not pdf_path.is_file():
        last_line = (stderr.strip().splitlines() or ["no error output"])[-1][:200]
        raise ReportRenderFailed(f"the PDF renderer failed (exit {returncode}): {last_line}")


@atexit.register
def _discard_waiting() -> None:
    global _waiting
    with _lock:
        worker, _waiting = _waiting, None
    if worker is not None:
        worker.discard()


def _child_env() -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    env["PATH"] = ""
    env["PYTHONPATH"] = str(TEMPLATES_DIR.parent)
    return env
