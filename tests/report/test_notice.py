"""The data-problem notice a period gets instead of a report when validation failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from report_sample_data import sample_meta

from scorecard.report import render_data_problem_notice

pytestmark = pytest.mark.slow


def test_the_notice_names_the_period_and_the_findings(tmp_path: Path) -> None:
    findings = [
        "tickets.csv, column 'created_at': 12% of rows unreadable — fix the export",
        "<b>orders.xlsx</b>: column 'currency' missing — add it",
    ]
    pdf = render_data_problem_notice(sample_meta("ru"), findings, tmp_path / "notice.pdf")
    reader = PdfReader(pdf)
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    assert text.startswith("Отчёт за период «Октябрь 2026» не выпущен: проблема с данными")
    assert "12% of rows unreadable" in text
    assert "<b>orders.xlsx</b>" in text  # markup in a finding prints as text
    assert "Финансы" not in text  # no KPI section at all
    assert "2026-10-7f3c9a1e" in text
