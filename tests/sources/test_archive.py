"""The run archive: unchanged copies, checksums, read-only, never overwritten, a manifest."""

from __future__ import annotations

import io
import json
import stat

import pytest

from scorecard.archive import Manifest, archive_file, archive_stream, verified_path
from scorecard.errors import InputError

from .exports import assert_one_line, sha256

DATA = "ticket_id\nT1\nТ2\n".encode()


def test_a_file_is_copied_unchanged_with_its_checksum_and_made_read_only(tmp_path):
    source = tmp_path / "tickets_2026-10.csv"
    source.write_bytes(DATA)
    entry = archive_file(tmp_path / "run", "tickets", source)

    copy = tmp_path / "run" / entry.archived
    assert copy.read_bytes() == DATA
    assert entry.sha256 == sha256(DATA) and entry.size == len(DATA)
    assert copy.name == f"{sha256(DATA)[:16]}-tickets_2026-10.csv"  # content-addressed
    assert stat.S_IMODE(copy.stat().st_mode) == 0o444
    assert entry.source_uri == str(source.resolve())
    assert source.read_bytes() == DATA  # the source is untouched


def test_archiving_the_same_content_again_reuses_the_copy(tmp_path):
    first = archive_stream(tmp_path, "tickets", "s3://b/t.csv", "t.csv", io.BytesIO(DATA))
    again = archive_stream(tmp_path, "tickets", "s3://b/t.csv", "t.csv", io.BytesIO(DATA))
    assert again.archived == first.archived
    assert sorted(p.name for p in (tmp_path / "archive" / "tickets").iterdir()) == [
        f"{sha256(DATA)[:16]}-t.csv"  # no temporary file left behind
    ]


def test_an_existing_archive_file_is_never_overwritten(tmp_path):
    squatter = tmp_path / "archive" / "tickets" / f"{sha256(DATA)[:16]}-t.csv"
    squatter.parent.mkdir(parents=True)
    squatter.write_bytes(b"other content")
    with pytest.raises(InputError) as caught:
        archive_stream(tmp_path, "tickets", "s3://b/t.csv", "t.csv", io.BytesIO(DATA))
    assert squatter.read_bytes() == b"other content"
    assert_one_line(str(caught.value))


def test_unsafe_names_are_made_safe(tmp_path):
    entry = archive_stream(
        tmp_path, "tickets", "s3://b/x\n", "../../etc/pass wd\n.csv", io.BytesIO(DATA)
    )
    assert (tmp_path / entry.archived).parent == tmp_path / "archive" / "tickets"
    assert entry.archived.endswith("-etc_pass_wd_.csv")
    assert (entry.name, entry.source_uri) == (
        "../../etc/pass wd?.csv",
        "s3://b/x?",
    )  # one line each


def test_manifest_round_trips_without_the_run_folder(tmp_path):
    entry = archive_stream(tmp_path, "orders", "/data/orders.csv", "orders.csv", io.BytesIO(DATA))
    path = Manifest(period="2026-10", files=[entry], run_dir=tmp_path).save()

    written = json.loads(path.read_text(encoding="utf-8"))
    assert set(written) == {"period", "files"}
    assert set(written["files"][0]) == {
        "entity",
        "source_uri",
        "name",
        "archived",
        "size",
        "sha256",
        "pulled_at",
    }
    loaded = Manifest.load(tmp_path)
    assert loaded.files == [entry] and loaded.run_dir == tmp_path


def test_a_changed_archive_file_is_refused(tmp_path):
    entry = archive_stream(tmp_path, "orders", "/data/orders.csv", "orders.csv", io.BytesIO(DATA))
    manifest = Manifest(period="2026-10", files=[entry], run_dir=tmp_path)
    assert verified_path(manifest, entry).read_bytes() == DATA

    copy = tmp_path / entry.archived
    copy.chmod(0o644)
    copy.write_bytes(DATA + b"T3\n")
    with pytest.raises(InputError, match="changed since it was pulled") as caught:
        verified_path(manifest, entry)
    assert_one_line(str(caught.value))
