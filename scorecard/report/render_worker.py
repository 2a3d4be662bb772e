"""The rendering subprocess: HTML file in, PDF file out, under a memory limit.

Run as ``python -m scorecard.report.render_worker HTML PDF MEMORY_MB CPU_SECONDS``.
The limits are set before WeasyPrint is imported, so a hostile or runaway document
cannot take the parent process down with it.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from scorecard.report.sandbox import EXIT_OUT_OF_MEMORY


def main(argv: list[str]) -> int:
    html_path, pdf_path, memory_mb, cpu_seconds = argv
    memory = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds)))
    try:
        from weasyprint import HTML

        from scorecard.report.assets import TEMPLATES_DIR
        from scorecard.report.fetcher import AssetsOnlyFetcher

        document = HTML(
            string=Path(html_path).read_text(encoding="utf-8"),
            base_url=TEMPLATES_DIR.as_uri() + "/",
            url_fetcher=AssetsOnlyFetcher(TEMPLATES_DIR),
        )
        document.write_pdf(pdf_path)
    except MemoryError:
        print(f"out of memory (limit {memory_mb} MB)", file=sys.stderr)
        return EXIT_OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
