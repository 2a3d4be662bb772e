"""The run archive: every pulled file, unchanged, with its checksum.

Pulling copies each source file into ``<run_dir>/archive/<entity>/`` before
anything reads it. Archived names are content-addressed
(``<sha256 prefix>-<original name>``), written with a no-clobber link and made
read-only, so an existing archive file is never overwritten or changed. Readers
open the archived copy, never the source, after checking its checksum again.
A JSON manifest per run lists what was pulled from where.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict

from scorecard.errors import InputError

ARCHIVE_FOLDER = "archive"
MANIFEST_NAME = "manifest.json"
_CHUNK = 8 << 20  # 8 MiB: large files copy and hash at disk speed
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\-]+")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class ArchivedFile(BaseModel):
    """One pulled file: where it came from and where its unchanged copy is."""

    model_config = ConfigDict(frozen=True)

    entity: str
    source_uri: str  # credentials stripped
    name: str  # the original file name, as the user knows it
    archived: str  # path relative to the run folder
    size: int
    sha256: str
    pulled_at: str  # ISO 8601, UTC


class Manifest(BaseModel):
    """What one run pulled. ``run_dir`` is where the archive lives (not written to JSON)."""

    period: str
    files: list[ArchivedFile]
    run_dir: Path

    def for_entity(self, entity: str) -> list[ArchivedFile]:
        return [f for f in self.files if f.entity == entity]

    def path_of(self, entry: ArchivedFile) -> Path:
        return self.run_dir / entry.archived

    def save(self) -> Path:
        """Write ``<run_dir>/archive/manifest.json`` (atomically) and return its path."""
        target = self.run_dir / ARCHIVE_FOLDER / MANIFEST_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        text = self.model_dump_json(indent=2, exclude={"run_dir"})
        with tempfile.NamedTemporaryFile(
            "w", dir=target.parent, delete=False, suffix=".tmp"
        ) as tmp:
            tmp.write(text)
        os.replace(tmp.name, target)
        return target

    @classmethod
    def load(cls, run_dir: Path) -> Manifest:
        """Read the manifest that :meth:`save` wrote into ``run_dir``."""
        data = json.loads((run_dir / ARCHIVE_FOLDER / MANIFEST_NAME).read_text(encoding="utf-8"))
        return cls.model_validate({**data, "run_dir": run_dir})


def archive_stream(
    run_dir: Path, entity: str, source_uri: str, name: str, stream: BinaryIO
) -> ArchivedFile:
    """Copy ``stream`` unchanged into the archive, hashing it on the way; return its entry."""
    digest = hashlib.sha256()
    size = 0
    with _part_file(run_dir, entity) as tmp:
        while chunk := stream.read(_CHUNK):
            tmp.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return _keep(run_dir, entity, source_uri, name, Path(tmp.name), digest.hexdigest(), size)


def archive_file(run_dir: Path, entity: str, source: Path) -> ArchivedFile:
    """Archive a local file (read-only; the source is never touched).

    The copy is made by the kernel (``copy_file_range``/``sendfile``), then the copy is
    hashed: for large exports that is about twice as fast as a copy loop in Python,
    and the checksum is the one of the bytes kept.
    """
    with _part_file(run_dir, entity) as tmp:
        pass
    part = Path(tmp.name)
    shutil.copyfile(source, part)
    return _keep(
        run_dir, entity, str(source.resolve()), source.name, part, file_sha256(part), part.stat().st_size
    )


def _part_file(run_dir: Path, entity: str):
    """A new temporary file in the entity's archive folder (renamed into place by _keep)."""
    folder = run_dir / ARCHIVE_FOLDER / entity
    folder.mkdir(parents=True, exist_ok=True)
    return tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".part")


def _keep(
    run_dir: Path, entity: str, source_uri: str, name: str, part: Path, sha256: str, size: int
) -> ArchivedFile:
    """Link ``part`` to its content-addressed name (never overwriting), make it read-only."""
    target = part.parent / f"{sha256[:16]}-{safe_name(name)}"
    try:
        os.link(part, target)  # fails if the target exists: never overwrite
    except FileExistsError:
        if file_sha256(target) != sha256:
            raise InputError(
                str(target),
                "an archived file with this name holds other content",
                "use a new run folder; the archive is never overwritten",
            ) from None
    finally:
        os.unlink(part)
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return ArchivedFile(
        entity=entity,
        source_uri=one_line(source_uri),
        name=one_line(name),
        archived=str(target.relative_to(run_dir)),
        size=size,
        sha256=sha256,
        pulled_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def verified_path(manifest: Manifest, entry: ArchivedFile) -> Path:
    """The archived copy of ``entry``, after checking it still has its pulled checksum."""
    path = manifest.path_of(entry)
    if not path.is_file() or file_sha256(path) != entry.sha256:
        raise InputError(
            entry.archived,
            "archived file is missing or changed since it was pulled",
            "pull the period again into a new run folder",
        )
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def one_line(text: str) -> str:
    """``text`` with control characters (newlines, NUL) shown as ``?``: safe in messages and logs."""
    return _CONTROL_CHARS.sub("?", text)


def safe_name(name: str) -> str:
    """A file name safe for the archive folder (no separators, no control characters)."""
    cleaned = _UNSAFE_NAME_CHARS.sub("_", name.replace("/", "_").replace("\\", "_")).strip("._")
    return cleaned or "file"
