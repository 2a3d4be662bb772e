"""Fail closed: a PDF that lacks a section, leaks a raw value or is too big is rejected."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from scorecard.report import ReportCheckFailed, check_pdf
from scorecard.report.check import MAX_BYTES

TITLES = ["Financial", "Customer", "Operational", "Growth &amp; learning"]


def write_pdf(path: Path, sections: list[str], extra: str = "") -> Path:
    """A small real PDF with one h1 section per page (h1 become bookmarks)."""
    body = "".join(
        f'<h1 style="break-before: page">{title}</h1><p>value 1.0</p>' for title in sections
    )
    HTML(string=f"<html><body><p>cover</p>{body}<p>{extra}</p></body></html>").write_pdf(path)
    return path


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(tmp_path_factory.mktemp("check") / "good.pdf", TITLES)


def test_a_complete_pdf_passes(good_pdf: Path) -> None:
    check = check_pdf(good_pdf, language="en", min_pages=5)  # cover + four sections
    assert check.pages == 5
    assert check.titles == ("Financial", "Customer", "Operational", "Growth & learning")


def test_too_few_pages_fail(good_pdf: Path) -> None:
    with pytest.raises(ReportCheckFailed, match="5 page\\(s\\), expected at least 8"):
        check_pdf(good_pdf, language="en", min_pages=8)


def test_a_missing_section_fails(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "three.pdf", TITLES[:3], extra="Growth &amp; learning")
    with pytest.raises(ReportCheckFailed, match="'Growth & learning' is missing"):
        check_pdf(pdf, language="en", min_pages=1)  # named in the text, but no section


def test_sections_are_checked_in_the_report_language(good_pdf: Path) -> None:
    with pytest.raises(ReportCheckFailed, match="'Финансы' is missing"):
        check_pdf(good_pdf, language="ru", min_pages=1)


@pytest.mark.parametrize("leak, what", [
    ("Net revenue nan", '"nan"'),
    ("Churn NaN %", '"nan"'),
    ("Target None", '"None"'),
    ("{{ kpi.value }}", "a template tag"),
])
def test_unformatted_values_fail(tmp_path: Path, leak: str, what: str) -> None:
    pdf = write_pdf(tmp_path / "leak.pdf", TITLES, extra=leak)
    with pytest.raises(ReportCheckFailed, match=f"contains {what}"):
        check_pdf(pdf, language="en", min_pages=1)


def test_text_people_wrote_is_not_a_leak(tmp_path: Path) -> None:
    comment = "None of the agents knew; they said nan"
    pdf = write_pdf(tmp_path / "comment.pdf", TITLES, extra=comment)
    assert check_pdf(pdf, language="en", min_pages=1, free_text=[comment]).pages == 5
    with pytest.raises(ReportCheckFailed, match="contains"):
        check_pdf(pdf, language="en", min_pages=1)  # the same words from a template fail


def test_words_containing_nan_pass(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "finance.pdf", TITLES, extra="Finance and financial nanny; none")
    assert check_pdf(pdf, language="en", min_pages=1).pages == 5


def test_an_oversized_pdf_fails_before_it_is_parsed(good_pdf: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(good_pdf.read_bytes() + b"\0" * MAX_BYTES)
    with pytest.raises(ReportCheckFailed, match="over the 5 MB limit"):
        check_pdf(big, language="en", min_pages=1)


def test_garbage_and_absence_fail(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7 this is not a pdf")
    with pytest.raises(ReportCheckFailed, match="cannot be read back"):
        check_pdf(garbage, language="en", min_pages=1)
    with pytest.raises(ReportCheckFailed, match="was not written"):
        check_pdf(tmp_path / "absent.pdf", language="en", min_pages=1)
