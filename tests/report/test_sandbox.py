"""The rendering subprocess: time limit, memory limit, no inherited secrets, fail closed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from report_sample_data import RenderedReport

from scorecard.report import ReportCheckFailed, ReportRenderFailed, render_pdf
from scorecard.report.sandbox import _child_env, html_to_pdf

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


def test_a_report_missing_a_level_is_not_written(
    reports: dict[str, RenderedReport], tmp_path: Path
) -> None:
    context = {**reports["en"].context, "levels": reports["en"].context["levels"][:3]}
    out = tmp_path / "partial.pdf"
    with pytest.raises(ReportCheckFailed, match="'Growth & learning' is missing"):
        render_pdf(context, out)
    assert list(tmp_path.iterdir()) == []  # no PDF, no leftover draft
