"""The fast text reader reads what pypdf reads, and gives way to pypdf where it cannot."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream
from report_sample_data import RenderedReport
from weasyprint import HTML

from scorecard.report import ReportCheckFailed, check_pdf
from scorecard.report.pdf_text import UnreadableText, page_texts

pytestmark = pytest.mark.slow

TITLES = ["Financial", "Customer", "Operational", "Growth &amp; learning"]


def normalised(text: str) -> str:
    return " ".join(text.split())


def word_starts(text: str) -> set[int]:
    """Where words start, counted in characters other than spaces."""
    starts, seen = set(), 0
    for word in text.split():
        starts.add(seen)
        seen += len(word)
    return starts


@pytest.mark.parametrize("language", ["ru", "en"])
def test_it_reads_each_report_page_as_pypdf_does(
    reports: dict[str, RenderedReport], language: str
) -> None:
    """Tables, charts (drawn letter by letter), quotes around comments, page furniture."""
    fast = page_texts(PdfReader(reports[language].pdf))
    slow = reports[language].pages  # conftest read them with pypdf's extract_text
    assert len(fast) == len(slow)
    for fast_page, slow_page in zip(fast, slow, strict=True):
        assert "".join(fast_page.split()) == "".join(slow_page.split())  # the same characters
        # and every word pypdf separates is separated (pypdf glues a clipped cell to the next)
        assert word_starts(slow_page) <= word_starts(fast_page)


def chart(label: str) -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        f'<text x="10" y="20" font-size="9">{label}</text>'
        '<text x="120" y="20" font-size="9" text-anchor="end">12.5</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def write_pdf(path: Path, extra: str) -> Path:
    body = "".join(f'<h1 style="break-before: page">{title}</h1>' for title in TITLES)
    HTML(string=f"<html><body><p>cover</p>{body}{extra}</body></html>").write_pdf(path)
    return path


def test_chart_letters_are_read_as_words(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "chart.pdf", f'<img src="{chart("Phone nan")}">')
    assert "Phone nan 12.5" in normalised(page_texts(PdfReader(pdf))[-1])
    with pytest.raises(ReportCheckFailed, match='contains "nan"'):
        check_pdf(pdf, language="en", min_pages=1)  # a leak inside a chart is found


def test_table_cells_side_by_side_are_separate_words(tmp_path: Path) -> None:
    table = "<table><tr><td>12.5</td><td>nan</td><td>None</td></tr></table>"
    pdf = write_pdf(tmp_path / "cells.pdf", table)
    assert normalised(page_texts(PdfReader(pdf))[-1]).endswith("12.5 nan None")


def with_tj_as_tj_strings(source: Path, target: Path) -> Path:
    """The same PDF with each ``[<…>…] TJ`` rewritten as ``<…> Tj``: valid, but not pydyf's."""
    writer = PdfWriter(clone_from=source)
    for page in writer.pages:
        data = page.get_contents().get_data()
        rewritten = re.sub(
            rb"\[([^\]]*)\] TJ",
            lambda m: b"<" + b"".join(re.findall(rb"<([0-9a-f]*)>", m[1])) + b"> Tj",
            data,
        )
        stream = ContentStream(None, writer)
        stream.set_data(rewritten)
        page.replace_contents(stream)
    writer.write(target)
    return target


def test_a_pdf_in_another_shape_is_read_by_pypdf_instead(tmp_path: Path) -> None:
    weasy = write_pdf(tmp_path / "weasy.pdf", "<p>Target None</p>")
    other = with_tj_as_tj_strings(weasy, tmp_path / "other.pdf")
    with pytest.raises(UnreadableText):
        page_texts(PdfReader(other))
    assert "Target None" in normalised(PdfReader(other).pages[-1].extract_text())
    with pytest.raises(ReportCheckFailed, match='contains "None"'):
        check_pdf(other, language="en", min_pages=1)  # still checked, the slow way
    with pytest.raises(ReportCheckFailed, match='contains "None"'):
        check_pdf(weasy, language="en", min_pages=1)
