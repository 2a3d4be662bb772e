"""Render HTML to PDF in a child process with a wall-clock timeout and a memory limit."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scorecard.report.assets import TEMPLATES_DIR
from scorecard.report.errors import ReportRenderFailed

EXIT_OUT_OF_MEMORY = 3  # the worker's exit status when it hit its memory limit

# The child sees only what it needs: no credentials from the parent's environment.
_PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_CACHE_HOME",
               "FONTCONFIG_FILE", "FONTCONFIG_PATH")


def html_to_pdf(html: str, pdf_path: Path, *, timeout_s: float, memory_mb: int) -> Path:
    """Write ``html`` as a PDF at ``pdf_path``; raise ReportRenderFailed past the limits."""
    with tempfile.TemporaryDirectory(prefix="scorecard-render-") as work:
        html_file = Path(work) / "report.html"
        html_file.write_text(html, encoding="utf-8")
        command = [
            sys.executable, "-m", "scorecard.report.render_worker",
            str(html_file), str(pdf_path.resolve()), str(memory_mb), str(math.ceil(timeout_s) + 1),
        ]
        try:
            result = subprocess.run(
                command, env=_child_env(), capture_output=True, text=True, timeout=timeout_s,
                cwd=work, check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReportRenderFailed(
                f"rendering the PDF took longer than {timeout_s:g} s and was stopped — "
                "raise the report timeout or shorten the report"
            ) from None
    if result.returncode == EXIT_OUT_OF_MEMORY:
        raise ReportRenderFailed(
            f"rendering the PDF needed more than {memory_mb} MB and was stopped — "
            "raise the report memory limit"
        )
    if result.returncode < 0:
        raise ReportRenderFailed(
            f"the PDF renderer was killed by signal {-result.returncode} — a memory limit of "
            f"{memory_mb} MB may be too low (rendering needs about 100 MB resident, 400 MB of "
            "address space)"
        )
    if result.returncode != 0 or not pdf_path.is_file():
        last_line = (result.stderr.strip().splitlines() or ["no error output"])[-1][:200]
        raise ReportRenderFailed(f"the PDF renderer failed (exit {result.returncode}): {last_line}")
    return pdf_path


def _child_env() -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    env["PYTHONPATH"] = str(TEMPLATES_DIR.parent)
    return env
