"""Read a rendered PDF back before it counts as done: fail closed on anything suspicious."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard.report.errors import ReportCheckFailed
from scorecard.report.model import Language
from scorecard.report.texts import LEVEL_TITLES
from transforms.catalogue import LEVELS

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_BYTES = 5 * 1024 * 1024
MIN_REPORT_PAGES = 8  # cover, summary, four levels, data quality, glossary

# Signs of a value or a template that leaked through unformatted.
_LEAKS = (
    (re.compile(r"\bnan\b", re.IGNORECASE), '"nan"'),
    (re.compile(r"\bNone\b"), '"None"'),
    (re.compile(r"\{\{|\{%"), "a template tag"),
)


@dataclass(frozen=True)
class PdfCheck:
    """What the read-back found in a PDF that passed."""

    path: Path
    pages: int
    size_bytes: int
    titles: tuple[str, ...]


def check_pdf(
    path: Path, *, language: Language, min_pages: int = MIN_REPORT_PAGES,
    free_text: Sequence[str] = (),
) -> PdfCheck:
    """Check an executive report: pages, the four level sections, no leaks, under 5 MB.

    ``free_text`` is text people wrote (survey comments, warnings): it is left out of the
    leak scan, since "None of my tickets…" is a sentence, not a missing value.
    """
    titles = tuple(LEVEL_TITLES[level][language] for level in LEVELS)
    return verify_pdf(path, min_pages=min_pages, titles=titles, free_text=free_text)


def verify_pdf(
    path: Path, *, min_pages: int, titles: Sequence[str], free_text: Sequence[str] = ()
) -> PdfCheck:
    """Check any report PDF: each of ``titles`` must be a bookmark and appear in the text."""
    # Imported here: pypdf (with cryptography) takes ~1 s to import, which the rendering
    # subprocess, importing this package, should not pay.
    from pypdf import PdfReader

    name = path.name
    if not path.is_file():
        raise ReportCheckFailed(f"{name}: the PDF was not written")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ReportCheckFailed(
            f"{name}: {size / 1024 / 1024:.1f} MB is over the {MAX_BYTES // 1024 // 1024} MB limit "
            "— mail systems drop large attachments; shorten the report"
        )
    try:
        reader = PdfReader(path)
        pages = len(reader.pages)
        text = _normalise(" ".join(_page_texts(reader)))
        bookmarks = {_normalise(title) for title in _outline_titles(reader.outline)}
        attachments = list(reader.attachments)
    except Exception as exc:  # noqa: BLE001 — however a broken file breaks pypdf, it is not done
        raise ReportCheckFailed(f"{name}: the PDF cannot be read back ({exc})") from None
    if pages < min_pages:
        raise ReportCheckFailed(f"{name}: {pages} page(s), expected at least {min_pages}")
    for title in titles:
        wanted = _normalise(title)
        if wanted not in bookmarks or wanted not in text:
            raise ReportCheckFailed(f"{name}: the section {title!r} is missing")
    scanned = text
    for written in free_text:
        scanned = scanned.replace(_normalise(written), " ")
    for pattern, what in _LEAKS:
        if pattern.search(scanned):
            raise ReportCheckFailed(f"{name}: the text contains {what}; a value was not formatted")
    if attachments:
        raise ReportCheckFailed(f"{name}: the PDF embeds file(s) {', '.join(attachments)}")
    return PdfCheck(path=path, pages=pages, size_bytes=size, titles=tuple(titles))


def _page_texts(reader: PdfReader) -> list[str]:
    """Each page's text: read fast when WeasyPrint wrote it as usual, else by pypdf (slow)."""
    from scorecard.report.pdf_text import UnreadableText, page_texts

    try:
        return page_texts(reader)
    except UnreadableText:
        return [page.extract_text() or "" for page in reader.pages]


def _outline_titles(outline: list) -> list[str]:
    """Every bookmark title, nested levels included."""
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(str(item.title))
    return titles


def _normalise(text: str) -> str:
    return " ".join(text.split())
