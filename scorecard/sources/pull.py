"""Pull: copy every export a period needs into the run's archive, and list it in a manifest.

Which files an entity needs:

- ``path``: one file (a full snapshot);
- ``template`` with ``{period}``: one file per month of the period (a quarter
  pulls three monthly drops), each of which must exist;
- ``glob``: every matching file;
- nothing set: the canonical export ``<entity>.<csv|parquet|jsonl|xlsx>``
  (exactly one of them);
- a PostgreSQL source: the table (default: the entity's name) or query.

A missing required entity stops the run with an :class:`InputError`; a missing
optional entity (costs) is simply absent from the manifest.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from scorecard.archive import ArchivedFile, Manifest
from scorecard.errors import InputError
from scorecard.sources.folder import FolderStore
from scorecard.sources.postgres import pull_postgres
from scorecard.sources.s3 import S3Store
from scorecard.sources.settings import EntitySource, SourcesSettings
from transforms.periods import Period
from transforms.schema import ENTITIES, OPTIONAL_ENTITIES

CANONICAL_EXTENSIONS = ("csv", "parquet", "jsonl", "xlsx")
log = logging.getLogger(__name__)


class FileStore(Protocol):
    """A place export files are read from (a folder, an S3 prefix)."""

    def uri(self, name: str) -> str: ...
    def exists(self, name: str) -> bool: ...
    def glob(self, pattern: str) -> list[str]: ...
    def archive(self, run_dir: Path, entity: str, name: str) -> ArchivedFile: ...


def pull(settings: SourcesSettings, period: Period, run_dir: Path) -> Manifest:
    """Archive every export of ``period`` into ``run_dir/archive`` and write the manifest."""
    run_dir.mkdir(parents=True, exist_ok=True)
    stores: dict[str, FileStore] = {}
    files: list[ArchivedFile] = []
    for entity in ENTITIES:
        source = settings.source_for(entity)
        kind = settings.kind_of(entity)
        if kind == "postgres":
            pulled = pull_postgres(
                settings.postgres,
                entity,
                source,
                period,
                run_dir,
                optional=entity in OPTIONAL_ENTITIES,
            )
            files.extend([pulled] if pulled else [])
            continue
        if kind not in stores:
            stores[kind] = _store(settings, kind)
        names = _names_to_pull(stores[kind], entity, source, period)
        files.extend(stores[kind].archive(run_dir, entity, name) for name in names)
    for entry in files:
        log.info(
            "pulled %s: %s (%d bytes, sha256 %s)",
            entry.entity,
            entry.source_uri,
            entry.size,
            entry.sha256,
        )
    manifest = Manifest(period=period.label, files=files, run_dir=run_dir)
    manifest.save()
    return manifest


def _store(settings: SourcesSettings, kind: str) -> FileStore:
    if kind == "s3":
        assert settings.s3 is not None  # guaranteed by SourcesSettings validation
        return S3Store(settings.s3)
    return FolderStore(settings.path)


def _names_to_pull(
    store: FileStore, entity: str, source: EntitySource, period: Period
) -> list[str]:
    """The names of the entity's files in ``store``; [] for an absent optional entity."""
    optional = entity in OPTIONAL_ENTITIES
    where = f"[sources.{entity}]"
    if source.glob is not None:
        names = store.glob(source.glob)
        if not names and not optional:
            raise InputError(
                store.uri(source.glob),
                "no file matches the pattern",
                f"put the export there or fix glob in {where}",
            )
        return names
    if source.path is None and source.template is None:
        return _canonical_export(store, entity, optional)
    wanted = (
        [source.path]
        if source.path is not None
        else [source.template.format(period=month.label) for month in period.month_periods()]
    )
    found = [name for name in wanted if store.exists(name)]
    if optional and not found:
        return []
    missing = [name for name in wanted if name not in found]
    if missing:
        raise InputError(
            store.uri(missing[0]),
            "export not found",
            f"put the file there or fix path/template in {where}",
        )
    return wanted


def _canonical_export(store: FileStore, entity: str, optional: bool) -> list[str]:
    """``<entity>.<ext>``: exactly one canonical export, or none for an optional entity."""
    found = [f"{entity}.{ext}" for ext in CANONICAL_EXTENSIONS if store.exists(f"{entity}.{ext}")]
    if len(found) > 1:
        raise InputError(
            store.uri(found[0]),
            f"several exports of {entity}: {', '.join(found)}",
            f"keep one, or set path in [sources.{entity}]",
        )
    if not found and not optional:
        raise InputError(
            store.uri(f"{entity}.csv"),
            "export not found",
            f"put {entity}.csv (or .parquet, .jsonl, .xlsx) there, "
            f"or set path/template in [sources.{entity}]",
        )
    return found
