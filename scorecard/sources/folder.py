"""A local folder as a source of export files (read only; nothing in it is ever changed)."""

from __future__ import annotations

import glob
from pathlib import Path

from scorecard.archive import ArchivedFile, archive_file


class FolderStore:
    """Files under ``root``; a name may also be an absolute path or pattern."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def uri(self, name: str) -> str:
        return str(self._path(name).resolve())

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def glob(self, pattern: str) -> list[str]:
        """Names of the files matching ``pattern``, sorted."""
        matches = [Path(m) for m in glob.glob(str(self.root / pattern))]
        return sorted(
            str(m.relative_to(self.root) if m.is_relative_to(self.root) else m)
            for m in matches
            if m.is_file()
        )

    def archive(self, run_dir: Path, entity: str, name: str) -> ArchivedFile:
        return archive_file(run_dir, entity, self._path(name))

    def _path(self, name: str) -> Path:
        return self.root / name  # an absolute name replaces the root
