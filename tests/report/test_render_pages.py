"""scripts/render_pages.py turns PDF pages into PNG images (needs poppler's pdftoppm)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from weasyprint import HTML

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_pages.py"

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def two_page_pdf(tmp_path: Path) -> Path:
    pdf = tmp_path / "two.pdf"
    HTML(string='<p>one</p><p style="break-before: page">two</p>').write_pdf(pdf)
    return pdf


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          check=True)


def test_every_page_becomes_a_png(two_page_pdf: Path, tmp_path: Path) -> None:
    run(str(two_page_pdf), str(tmp_path / "pages" / "p"), "--dpi", "50")
    pages = sorted((tmp_path / "pages").glob("p-*.png"))
    assert [p.name for p in pages] == ["p-1.png", "p-2.png"]
    # A4 at 50 dpi: 210 mm = 8.268 in → 413.4 px, 297 mm = 11.693 in → 584.6 px; pdftoppm
    # rounds up
    assert png_size(pages[0]) == (414, 585)


def test_one_page_goes_to_the_named_file(two_page_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs" / "page2.png"
    result = run(str(two_page_pdf), str(out), "--first", "2", "--last", "2", "--dpi", "20")
    assert result.stdout.strip() == str(out)
    assert png_size(out) == (166, 234)  # 8.268 in × 20 = 165.4, 11.693 in × 20 = 233.9, up
