"""Turn PDF pages into PNG images with poppler's pdftoppm, to look at a report or show it in docs.

    uv run python scripts/render_pages.py docs/sample-report-en.pdf /tmp/pages/en --dpi 80
    uv run python scripts/render_pages.py report.pdf docs/report-page1.png --first 1 --last 1

With one page selected and an output ending in .png the image is written to exactly that
path; otherwise the output is a prefix and pdftoppm numbers the pages (prefix-01.png, …).
Needs pdftoppm (Debian: apt-get install poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def render_pages(
    pdf: Path, output: Path, *, dpi: int = 80, first: int | None = None, last: int | None = None
) -> list[Path]:
    """Render pages ``first``..``last`` (default: all) of ``pdf``; return the PNG paths."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise FileNotFoundError("pdftoppm is not installed (apt-get install poppler-utils)")
    single = first is not None and first == last and output.suffix == ".png"
    command = [pdftoppm, "-png", "-r", str(dpi)]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    if single:
        command.append("-singlefile")
    prefix = output.with_suffix("") if single else output
    prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([*command, str(pdf), str(prefix)], check=True, capture_output=True)
    if single:
        return [output]
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("output", type=Path, help="an output prefix, or a .png for one page")
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--first", type=int)
    parser.add_argument("--last", type=int)
    args = parser.parse_args(argv)
    try:
        pages = render_pages(args.pdf, args.output, dpi=args.dpi, first=args.first, last=args.last)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
