"""Write the sample reports in docs/ from the hand-made fixture, both languages.

    uv run python tests/report/make_sample_reports.py docs
    uv run python scripts/render_pages.py docs/sample-report-en.pdf docs/report-page1.png \\
        --first 1 --last 1 --dpi 90
    uv run python scripts/render_pages.py docs/sample-report-en.pdf docs/report-level-page.png \\
        --first 5 --last 5 --dpi 90

Prints each file with its page count, size and end-to-end render time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from report_sample_data import sample_comments, sample_meta, sample_metrics, sample_quality

from scorecard.report import build_context, check_pdf, render_pdf


def main(out_dir: Path) -> None:
    for language in ("en", "ru"):
        context = build_context(
            sample_meta(language), sample_metrics(), sample_quality(language),
            sample_comments(language),
        )
        started = time.perf_counter()
        pdf = render_pdf(context, out_dir / f"sample-report-{language}.pdf")
        seconds = time.perf_counter() - started
        check = check_pdf(pdf, language=language)
        print(f"{pdf}: {check.pages} pages, {check.size_bytes / 1024:.0f} KB, {seconds:.1f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs"))
