"""Report and notice PDFs: render in the sandbox, read back, only then put in place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from scorecard.report.check import PdfCheck, check_pdf, verify_pdf
from scorecard.report.context import free_text, notice_context
from scorecard.report.model import ReportMeta
from scorecard.report.sandbox import DEFAULT_MEMORY_MB, html_to_pdf
from scorecard.report.templates import notice_html, render_html


def render_pdf(
    context: dict, out_path: Path, *, timeout_s: float = 60, memory_mb: int = DEFAULT_MEMORY_MB
) -> Path:
    """Render the executive report; ``out_path`` appears only once the PDF passed check_pdf."""
    return _write_checked(
        render_html(context), out_path, timeout_s, memory_mb,
        lambda pdf: check_pdf(pdf, language=context["lang"], free_text=free_text(context)),
    )


def render_data_problem_notice(
    meta: ReportMeta, findings_lines: list[str], out_path: Path, *,
    timeout_s: float = 60, memory_mb: int = DEFAULT_MEMORY_MB,
) -> Path:
    """A one-page notice for a period whose validation failed critically: no KPIs, just why."""
    context = notice_context(meta, findings_lines)
    return _write_checked(
        notice_html(context), out_path, timeout_s, memory_mb,
        lambda pdf: verify_pdf(
            pdf, min_pages=1, titles=[context["title"]], free_text=free_text(context)
        ),
    )


def _write_checked(
    html: str, out_path: Path, timeout_s: float, memory_mb: int,
    check: Callable[[Path], PdfCheck],
) -> Path:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_path.parent, prefix=".rendering-") as work:
        draft = Path(work) / out_path.name
        html_to_pdf(html, draft, timeout_s=timeout_s, memory_mb=memory_mb)
        check(draft)
        os.replace(draft, out_path)
    return out_path
