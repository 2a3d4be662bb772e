"""Shared fixtures: a recording HTTP server and one rendered report per language.

Full renders are slow on shared cores, so each language is rendered once per session
and every PDF test reads the same files. The English report carries hostile text
(survey comments, a team and a customer segment) aimed at the recording server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from report_http_recorder import RecordingServer
from report_http_recorder import recording_server as start_recording_server
from report_sample_data import (
    Hostile,
    RenderedReport,
    hostile_texts,
    sample_comments,
    sample_meta,
    sample_metrics,
    sample_quality,
)

from scorecard.report import build_context, render_html, render_pdf


@pytest.fixture(scope="session")
def recording_server() -> Iterator[RecordingServer]:
    with start_recording_server() as server:
        yield server


@pytest.fixture(scope="session")
def hostile(recording_server: RecordingServer) -> Hostile:
    return hostile_texts(recording_server.url)


@pytest.fixture(scope="session")
def reports(
    tmp_path_factory: pytest.TempPathFactory, hostile: Hostile
) -> dict[str, RenderedReport]:
    """The sample report in Russian and (with hostile text) in English, rendered for real."""
    out = tmp_path_factory.mktemp("reports")
    extra = {
        "ru": (),
        "en": (("team", hostile.css_team), ("customer_segment", hostile.css_segment)),
    }
    comments = {
        "ru": sample_comments("ru"),
        "en": [*sample_comments("en"), hostile.img_comment, hostile.attachment_comment,
               "None of the agents knew the answer; one just typed nan."],
    }
    rendered = {}
    for language in ("ru", "en"):
        context = build_context(
            sample_meta(language), sample_metrics(extra[language]), sample_quality(language),
            comments[language],
        )
        pdf = render_pdf(context, out / f"report-{language}.pdf")
        pages = [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]
        rendered[language] = RenderedReport(context, render_html(context), pdf, pages)
    return rendered
