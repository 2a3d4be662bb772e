"""Untrusted text shows as text; nothing is fetched or embedded, even past the escaping."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from report_http_recorder import RecordingServer
from report_sample_data import Hostile, RenderedReport

from scorecard.report.sandbox import html_to_pdf

pytestmark = pytest.mark.slow


def test_hostile_comments_and_segments_print_as_text(
    reports: dict[str, RenderedReport], hostile: Hostile, recording_server: RecordingServer
) -> None:
    report = reports["en"]
    text = " ".join(report.pages)
    assert hostile.img_comment in text
    assert hostile.attachment_comment in text
    assert "<style>body{background:url(" in text  # the team name, as printed characters
    assert 'x" style="background: url(' in text  # the customer segment
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in report.html  # escaped by Jinja
    assert "<img src=\"file:///etc/passwd\">" not in report.html
    assert recording_server.requests == []  # neither the comment nor the CSS reached out


def test_nothing_is_embedded_in_the_report(reports: dict[str, RenderedReport]) -> None:
    pdf = reports["en"].pdf
    assert list(PdfReader(pdf).attachments) == []
    assert b"root:x:0:0" not in pdf.read_bytes()


def test_the_fetcher_stops_markup_that_bypassed_escaping(
    tmp_path: Path, recording_server: RecordingServer
) -> None:
    """Raw HTML straight into the sandbox: only the packaged stylesheet may load."""
    url = recording_server.url
    html = f"""<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="report.css">
      <link rel="stylesheet" href="{url('raw-link.css')}">
      <style>@import url({url('raw-import.css')});
        @font-face {{ font-family: X; src: url({url('raw-font.ttf')}); }}
        p {{ background: url({url('raw-background.png')}); }}</style>
    </head><body>
      <p>Текст</p>
      <img src="{url('raw-img.png')}"><img src="file:///etc/passwd">
      <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
        <image href="{url('raw-svg-image.png')}" width="10" height="10"/></svg>
      <a rel="attachment" href="file:///etc/passwd">passwd</a>
      <a rel="attachment" href="{url('raw-attachment.txt')}">remote</a>
    </body></html>"""
    pdf = html_to_pdf(html, tmp_path / "raw.pdf", timeout_s=60, memory_mb=2048)
    reader = PdfReader(pdf)
    assert recording_server.requests == []
    assert list(reader.attachments) == []
    assert b"root:x:0:0" not in pdf.read_bytes()
    fonts = [f.get_object()["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any("Scorecard-Sans" in name for name in fonts)  # the packaged stylesheet did load
