"""The only URLs WeasyPrint may load: files under report_templates/ and data: URLs.

WeasyPrint fetches whatever a document names (http, file, ftp) and embeds
``<a rel="attachment">`` targets into the PDF. Untrusted text is escaped before
it reaches the HTML; this fetcher is the second wall, for whatever gets past.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class BlockedURL(ValueError):
    """A URL outside the packaged assets; WeasyPrint logs it and draws nothing."""


class AssetsOnlyFetcher(URLFetcher):
    """Serves files under ``assets_dir`` and ``data:`` URLs; refuses everything else."""

    def __init__(self, assets_dir: Path) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.assets_dir = assets_dir.resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._asset(url)
        raise BlockedURL(f"blocked URL scheme {scheme or '(none)'!r}: only packaged assets load")

    def _asset(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise BlockedURL("blocked file URL on another host")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.assets_dir) or not path.is_file():
            raise BlockedURL("blocked file URL outside the report assets")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime_type}
        )
