"""The executive PDF: context, HTML, sandboxed rendering, read-back check, email summary.

Typical use::

    start_renderer()   # early in the run: the renderer's ~1 s start-up overlaps the rest
    context = build_context(meta, metrics, quality, comments)
    render_pdf(context, out_dir / "scorecard-2026-10-ru.pdf")   # checked before it appears
    body = email_summary_html(context)
    check_pdf(pdf, language="ru", free_text=free_text(context))  # re-check before sending

A period whose validation failed gets ``render_data_problem_notice`` instead.
WeasyPrint is imported only inside the rendering subprocess.
"""

from scorecard.report.check import MIN_REPORT_PAGES, PdfCheck, check_pdf
from scorecard.report.context import build_context, free_text
from scorecard.report.errors import ReportCheckFailed, ReportRenderFailed
from scorecard.report.model import DataQuality, InputFile, QuarantinedRows, ReportMeta
from scorecard.report.pdf import render_data_problem_notice, render_pdf
from scorecard.report.sandbox import start_renderer
from scorecard.report.templates import email_summary_html, render_html

__all__ = [
    "MIN_REPORT_PAGES",
    "DataQuality",
    "InputFile",
    "PdfCheck",
    "QuarantinedRows",
    "ReportCheckFailed",
    "ReportMeta",
    "ReportRenderFailed",
    "build_context",
    "check_pdf",
    "email_summary_html",
    "free_text",
    "render_data_problem_notice",
    "render_html",
    "render_pdf",
    "start_renderer",
]
