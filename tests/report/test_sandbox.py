"""The rendering subprocess: time limit, memory limit, no inherited secrets, fail closed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from report_sample_data import RenderedReport

from scorecard.report import ReportCheckFailed, ReportRenderFailed, render_pdf, sandbox
from scorecard.report.sandbox import _child_env, html_to_pdf, start_renderer

pytestmark = pytest.mark.slow

SMALL_HTML = "<html><body><p>hello</p></body></html>"


def test_the_time_limit_stops_the_renderer(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ReportRenderFailed, match="longer than 0.2 s"):
        html_to_pdf(SMALL_HTML, tmp_path / "slow.pdf", timeout_s=0.2, memory_mb=2048)
    assert time.monotonic() - started < 5  # killed, not waited for
    assert not (tmp_path / "slow.pdf").exists()


def test_the_memory_limit_stops_the_renderer(tmp_path: Path) -> None:
    with pytest.raises(ReportRenderFailed, match="64 MB"):
        html_to_pdf(SMALL_HTML, tmp_path / "big.pdf", timeout_s=60, memory_mb=64)
    assert not (tmp_path / "big.pdf").exists()


def test_the_renderer_does_not_inherit_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCORECARD_SMTP_PASSWORD", "hunter2")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/scorecard")
    env = _child_env()
    assert "hunter2" not in env.values() and "DATABASE_URL" not in env
    assert env["PYTHONPATH"]  # but it can import the application
    assert env["PATH"] == ""  # and it runs no programs


def test_a_report_missing_a_level_is_not_written(
    reports: dict[str, RenderedReport], tmp_path: Path
) -> None:
    context = {**reports["en"].context, "levels": reports["en"].context["levels"][:3]}
    out = tmp_path / "partial.pdf"
    with pytest.raises(ReportCheckFailed, match="'Growth & learning' is missing"):
        render_pdf(context, out)
    assert list(tmp_path.iterdir()) == []  # no PDF, no leftover draft


def test_a_started_renderer_takes_the_next_job(tmp_path: Path) -> None:
    start_renderer(memory_mb=2048)
    started = sandbox._waiting
    assert started is not None and started.process.poll() is None  # importing, then waiting
    start_renderer(memory_mb=2048)
    assert sandbox._waiting is started  # one is enough
    pdf = html_to_pdf(SMALL_HTML, tmp_path / "warm.pdf", timeout_s=60, memory_mb=2048)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert started.process.returncode == 0 and sandbox._waiting is None  # it did the job
    assert not Path(started.work.name).exists()


def test_a_started_renderer_with_another_memory_limit_is_not_used(tmp_path: Path) -> None:
    start_renderer(memory_mb=1024)
    unsuitable = sandbox._waiting
    html_to_pdf(SMALL_HTML, tmp_path / "cold.pdf", timeout_s=60, memory_mb=2048)
    assert unsuitable is not None and unsuitable.process.returncode != 0  # stopped, unused
    assert (tmp_path / "cold.pdf").is_file() and sandbox._waiting is None


def test_an_unused_renderer_is_stopped_at_exit() -> None:
    start_renderer()
    unused = sandbox._waiting
    sandbox._discard_waiting()  # what atexit runs
    assert unused is not None and unused.process.returncode is not None
    assert not Path(unused.work.name).exists() and sandbox._waiting is None


def test_a_worker_whose_stdin_closes_exits_without_rendering(tmp_path: Path) -> None:
    worker = subprocess.run(
        [sys.executable, "-m", "scorecard.report.render_worker", "2048"],
        input="", capture_output=True, text=True, env=_child_env(), cwd=tmp_path, timeout=60,
        check=False,
    )
    assert worker.returncode == 0 and list(tmp_path.iterdir()) == []
