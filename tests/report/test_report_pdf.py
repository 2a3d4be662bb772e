"""The executive PDF, rendered for real in both languages and read back with pypdf."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from report_sample_data import RenderedReport

from scorecard.report import MIN_REPORT_PAGES, check_pdf
from scorecard.report.context import free_text

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("language, titles", [
    ("ru", ["Финансы", "Клиенты", "Внутренние бизнес-процессы", "Обучение и развитие",
            "Главное за период", "Качество данных", "Глоссарий"]),
    ("en", ["Financial", "Customer", "Operational", "Growth & learning", "Executive summary",
            "Data quality", "Glossary"]),
])
def test_sections_are_bookmarked_and_start_their_own_page(
    reports: dict[str, RenderedReport], language: str, titles: list[str]
) -> None:
    reader = PdfReader(reports[language].pdf)
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert bookmarks[: len(titles)] == [*titles[4:5], *titles[:4], *titles[5:]]
    pages = reports[language].pages
    for title in titles:
        assert any(text.startswith(title) for text in pages), title  # opens a page


def test_values_dates_and_money_follow_the_russian_locale(
    reports: dict[str, RenderedReport],
) -> None:
    text = " ".join(reports["ru"].pages)
    assert "24 870" in text  # tickets created
    assert "86,4 %" in text  # CSAT satisfied share
    assert "48,25 млн ₽" in text  # net revenue
    assert "+3,3 п.п." in text  # CSAT change: 86.4 − 83.1 percentage points
    assert "2 нояб. 2026 г., 09:15 (Europe/Moscow)" in text
    assert "Октябрь 2026" in text and "ООО «Северный ветер»" in text


def test_values_dates_and_money_follow_the_english_locale(
    reports: dict[str, RenderedReport],
) -> None:
    text = " ".join(reports["en"].pages)
    assert "24,870" in text
    assert "86.4%" in text
    assert "RUB 48.25M" in text
    assert "+3.3 pp" in text
    assert "Nov 2, 2026, 09:15 (Europe/Moscow)" in text
    assert "October 2026" in text


@pytest.mark.parametrize(
    "language, page_word, of_word", [("ru", "Стр.", "из"), ("en", "Page", "of")]
)
def test_every_page_after_the_cover_has_page_numbers_and_the_run_id(
    reports: dict[str, RenderedReport], language: str, page_word: str, of_word: str
) -> None:
    pages = reports[language].pages
    run_id = reports[language].context["meta"]["run_id"]
    for number, text in enumerate(pages[1:], start=2):
        assert f"{page_word} {number} {of_word} {len(pages)}" in text
        assert run_id in text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_pdf_passes_its_check_is_small_and_embeds_its_fonts(
    reports: dict[str, RenderedReport], language: str
) -> None:
    report = reports[language]
    # the English report quotes "None of the agents…": people's words, not a leak
    check = check_pdf(
        report.pdf, language=language, free_text=free_text(report.context)  # type: ignore[arg-type]
    )
    assert check.pages >= MIN_REPORT_PAGES
    assert check.size_bytes < 1024 * 1024
    fonts = {}
    for page in PdfReader(report.pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values())  # every font is embedded (subset) in the file
    assert all("Scorecard-Sans" in name for name in fonts)  # the packaged font, not a fallback


def test_charts_are_vector_graphics(reports: dict[str, RenderedReport]) -> None:
    reader = PdfReader(reports["en"].pdf)
    raster = [
        name for page in reader.pages
        for name, obj in (page["/Resources"].get("/XObject") or {}).items()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert raster == []  # sparklines, charts and the logo are drawn, not embedded as pixels
    level_charts = [c for level in reports["en"].context["levels"] for c in level["charts"]]
    assert len(level_charts) == 8
