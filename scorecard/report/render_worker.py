"""The rendering subprocess: one job (HTML file in, PDF file out) under a memory and CPU limit.

Run as ``python -m scorecard.report.render_worker MEMORY_MB``; it then reads one job, a
line of JSON ``{"html": path, "pdf": path, "cpu_seconds": n}``, from stdin. The memory
limit is set before WeasyPrint is imported, and the CPU limit before the document is
parsed, so a hostile or runaway document cannot take the parent process down with it.
Importing first and waiting for the job after lets the parent start this process early
(sandbox.start_renderer). With stdin closed and no job, it exits without rendering.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from scorecard.report.sandbox import EXIT_OUT_OF_MEMORY


def main(argv: list[str]) -> int:
    (memory_mb,) = argv
    memory = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        from weasyprint import HTML

        from scorecard.report.assets import TEMPLATES_DIR
        from scorecard.report.fetcher import AssetsOnlyFetcher

        line = sys.stdin.readline()
        if not line:
            return 0  # started early, then not needed
        job = json.loads(line)
        _limit_cpu(int(job["cpu_seconds"]))
        document = HTML(
            string=Path(job["html"]).read_text(encoding="utf-8"),
            base_url=TEMPLATES_DIR.as_uri() + "/",
            url_fetcher=AssetsOnlyFetcher(TEMPLATES_DIR),
        )
        document.write_pdf(job["pdf"])
    except MemoryError:
        print(f"out of memory (limit {memory_mb} MB)", file=sys.stderr)
        return EXIT_OUT_OF_MEMORY
    return 0


def _limit_cpu(seconds: int) -> None:
    """Allow ``seconds`` of CPU from now on (the import before the job is not counted)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    limit = int(usage.ru_utime + usage.ru_stime) + 1 + seconds
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
