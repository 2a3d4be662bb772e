"""The URL fetcher serves packaged assets and data: URLs, and nothing else."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from report_http_recorder import recording_server

from scorecard.report.assets import TEMPLATES_DIR
from scorecard.report.fetcher import AssetsOnlyFetcher, BlockedURL


@pytest.fixture
def fetcher() -> AssetsOnlyFetcher:
    return AssetsOnlyFetcher(TEMPLATES_DIR)


def test_packaged_assets_load(fetcher: AssetsOnlyFetcher) -> None:
    response = fetcher.fetch((TEMPLATES_DIR / "report.css").as_uri())
    assert response.content_type == "text/css"
    assert b"@font-face" in response.read()
    font = fetcher.fetch((TEMPLATES_DIR / "fonts" / "DejaVuSansCondensed.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType file


def test_data_urls_load(fetcher: AssetsOnlyFetcher) -> None:
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (TEMPLATES_DIR / ".." / "pyproject.toml").as_uri(),  # climbing out of the folder
    TEMPLATES_DIR.as_uri() + "/%2e%2e/pyproject.toml",  # the same, percent-encoded
    TEMPLATES_DIR.as_uri() + "/fonts",  # a folder, not a file
    "file://example.com" + (TEMPLATES_DIR / "report.css").as_posix(),  # another host
    "ftp://127.0.0.1/x",
    "relative/path.css",
])
def test_everything_else_is_refused(fetcher: AssetsOnlyFetcher, url: str) -> None:
    with pytest.raises(BlockedURL):
        fetcher.fetch(url)


def test_a_symlink_out_of_the_assets_is_refused(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "ok.css").write_text("p {}")
    (assets / "passwd.css").symlink_to("/etc/passwd")
    fetcher = AssetsOnlyFetcher(assets)
    assert fetcher.fetch((assets / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(BlockedURL):
        fetcher.fetch((assets / "passwd.css").as_uri())


def test_http_is_refused_without_a_request(fetcher: AssetsOnlyFetcher) -> None:
    with recording_server() as server:
        for url in (server.url("fetcher"), server.url("x").replace("http:", "https:")):
            with pytest.raises(BlockedURL):
                fetcher.fetch(url)
        assert server.requests == []
        # control: the server does record what reaches it
        urllib.request.urlopen(server.url("control"), timeout=5).read()
        assert server.requests == ["/control"]
