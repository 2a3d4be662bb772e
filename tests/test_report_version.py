"""A re-run that renders the same numbers into a new PDF emails nobody twice."""

from __future__ import annotations

import polars as pl
from pypdf import PdfWriter

from scorecard import pipeline
from scorecard.config import EmailSettings, Settings
from scorecard.store import MetricStore
from tests.test_delivery import settings_for, smtp_server  # noqa: F401 (fixture)
from transforms.periods import Period


def pdf_with_pages(path, pages: int):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def rows(value: float) -> pl.DataFrame:
    return pl.DataFrame(
        {"kpi": ["customer.nps"], "segment": ["all"], "value": [value], "n": [120], "status": ["green"]}
    )


def test_same_numbers_new_pdf_no_second_email(smtp_server, tmp_path):  # noqa: F811
    inbox, port = smtp_server
    email: EmailSettings = settings_for(port)
    settings = Settings(email=email)
    store = MetricStore(tmp_path / "s.duckdb")
    period = Period.parse("2026-10")

    def run(run_id: str, value: float, pages: int) -> None:
        store.replace_period("2026-10", rows(value), run_id)
        pdf = pdf_with_pages(tmp_path / f"{run_id}.pdf", pages)  # a different file each run
        rendered = pipeline.RenderedReport(pdf=pdf, email_html="<p>x</p>", subject="s")
        pipeline.send_report(settings, period, rendered, store)

    run("r1", 41.5, 1)
    assert len(inbox.messages) == 2  # two recipients
    run("r2", 41.5, 2)  # a re-run: same numbers, new PDF bytes
    assert len(inbox.messages) == 2
    run("r3", 43.0, 1)  # the numbers changed: a new report version goes out
    assert len(inbox.messages) == 4
