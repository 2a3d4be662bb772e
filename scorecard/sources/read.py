"""Read the archived exports of a run into canonical frames, with a side frame of problems.

For each archived file: check its checksum, read it by format, reshape it (a
wide survey), apply the entity's mapping, cast to the canonical schema. The
files of one entity (e.g. the three monthly drops of a quarter) are stacked in
manifest order.

``problems`` lists every value that could not be read: ``row_number`` is the
0-based row of the entity's canonical frame (what validation quarantines),
``file`` and ``source_row`` (0-based data row in that file; a wide survey's
respondent row) say where to look, ``raw_value`` is the value as read
(shortened to 200 characters).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from scorecard.archive import ArchivedFile, Manifest, verified_path
from scorecard.errors import InputError
from scorecard.sources.casting import POSITION, to_canonical, utc_timestamps
from scorecard.sources.mapping import apply_mapping
from scorecard.sources.period_rows import Column, RowWindow
from scorecard.sources.settings import EntitySource, SourcesSettings
from scorecard.sources.tables import SOURCE_ROW, RawTable, read_table
from scorecard.sources.wide_survey import unpivot_survey
from scorecard.sources.zendesk import read_zendesk
from transforms.schema import ENTITIES, REQUIRED_ENTITIES

log = logging.getLogger(__name__)

PROBLEMS_SCHEMA = pl.Schema(
    {
        "entity": pl.String(),
        "file": pl.String(),
        "row_number": pl.Int64(),
        "source_row": pl.Int64(),
        "column": pl.String(),
        "raw_value": pl.String(),
        "rule": pl.String(),
    }
)
RAW_VALUE_CHARS = 200
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass(frozen=True)
class ReadResult:
    frames: dict[
        str, pl.DataFrame
    ]  # entity → canonical frame; an absent optional entity is missing
    problems: pl.DataFrame  # PROBLEMS_SCHEMA
    files: dict[str, str]  # entity → its file name(s), comma-separated


# survey responses before tickets (the tickets they name are kept); customers before orders
READ_ORDER = sorted(ENTITIES, key=lambda entity: entity != "survey_responses")
assert READ_ORDER.index("customers") < READ_ORDER.index("orders")


def read_entities(
    manifest: Manifest,
    settings: SourcesSettings,
    window: RowWindow | None = None,
    *,
    verify: bool = True,
) -> ReadResult:
    """Every pulled entity as a canonical frame, plus the values that could not be read.

    With a ``window``, only the rows a run of its periods can use are kept (see
    :mod:`period_rows`); row numbers in ``problems`` refer to the kept rows.
    ``verify=False`` skips re-hashing the archived files: only for the caller that
    has just pulled them (their checksums were computed while they were copied).
    """
    frames: dict[str, pl.DataFrame] = {}
    problems: list[pl.DataFrame] = []
    files: dict[str, str] = {}
    for entity in READ_ORDER:
        entries = manifest.for_entity(entity)
        if not entries:
            if entity in REQUIRED_ENTITIES:
                raise InputError(
                    f"archive manifest of {manifest.period}",
                    f"no {entity} export was pulled",
                    "pull the period again",
                )
            continue
        keep = None
        if window is not None and not window.keeps_every_row(entity):
            keep = partial(window.rows, entity, window.related_ids(entity, frames))
        offset = 0
        parts: list[pl.DataFrame] = []
        for entry in entries:
            canonical, found = read_file(
                manifest,
                entry,
                settings.source_for(entity),
                settings.timezone_of(entity),
                keep,
                verify=verify,
            )
            problems.append(found.with_columns(pl.col("row_number") + offset))
            parts.append(canonical)
            offset += canonical.height
            log.info("read %s: %d rows, %d problems", entry.name, canonical.height, found.height)
        frames[entity] = pl.concat(parts, how="vertical")
        files[entity] = ", ".join(entry.name for entry in entries)
    all_problems = (
        pl.concat(problems, how="vertical") if problems else pl.DataFrame(schema=PROBLEMS_SCHEMA)
    )
    in_contract_order = {entity: frames[entity] for entity in ENTITIES if entity in frames}
    return ReadResult(frames=in_contract_order, problems=all_problems, files=files)


def read_file(
    manifest: Manifest,
    entry: ArchivedFile,
    source: EntitySource,
    source_timezone: str,
    keep: Callable[[Column], pl.Expr] | None = None,
    *,
    verify: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One archived file as a canonical frame and its problems (row_number within this file).

    ``keep`` builds the filter of the rows to keep (``RowWindow.rows``) from a column
    accessor. A Parquet file whose filtered columns are typed is filtered as it is
    scanned; any other file is filtered once its values are canonical.
    """
    file = entry.name
    path = verified_path(manifest, entry) if verify else manifest.path_of(entry)
    raw = _read_raw(path, source, file, entry.entity)
    frame = raw.frame
    if source.format == "wide_survey":
        assert source.wide_survey is not None  # guaranteed by EntitySource validation
        frame = unpivot_survey(_collect(frame, file), source.wide_survey, entry.entity, file)
    mapped = apply_mapping(frame.lazy(), entry.entity, source.mapping, file)
    early = None if keep is None else _on_typed_source(keep, mapped, source_timezone)
    if early is not None:
        mapped = mapped.filter(early)
    frame = _collect(mapped, file).with_row_index(POSITION)
    frame = frame.with_columns(pl.col(POSITION).cast(pl.Int64))
    canonical, cast_problems = to_canonical(
        frame,
        entry.entity,
        file,
        decimal=raw.decimal,
        scale=source.mapping.scale,
        source_timezone=source_timezone,
    )
    read_problems = raw.problems.join(frame.select(POSITION, SOURCE_ROW), on=SOURCE_ROW)
    problems = pl.concat(
        [read_problems.select(cast_problems.columns), cast_problems], how="vertical"
    ).sort(POSITION, maintain_order=True)
    if keep is not None and early is None:  # text: filtered once its values are canonical
        canonical, problems = _kept_rows(canonical, problems, keep(pl.col))
    return canonical, problems.select(
        pl.lit(entry.entity).alias("entity"),
        pl.lit(file).alias("file"),
        pl.col(POSITION).alias("row_number"),
        pl.col(SOURCE_ROW).alias("source_row"),
        pl.col("column"),
        pl.col("raw_value").str.slice(0, RAW_VALUE_CHARS),
        pl.col("rule"),
    ).cast(PROBLEMS_SCHEMA)


def _on_typed_source(
    keep: Callable[[Column], pl.Expr], mapped: pl.LazyFrame, source_timezone: str
) -> pl.Expr | None:
    """The ``keep`` filter over the mapped source columns, converted as casting will convert
    them; None when one of them is not typed (text is parsed first, then filtered)."""
    schema = mapped.collect_schema()
    typed: dict[str, pl.Expr] = {}
    for name in set(keep(pl.col).meta.root_names()):
        dtype = schema[name]
        if isinstance(dtype, (pl.Datetime, pl.Date)):
            typed[name] = utc_timestamps(pl.col(name), dtype, source_timezone)
        elif dtype == pl.String and name.endswith("_id"):
            typed[name] = pl.col(name).str.strip_chars()
        else:
            return None
    return keep(typed.__getitem__)


def _kept_rows(
    canonical: pl.DataFrame, problems: pl.DataFrame, keep: pl.Expr
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows ``keep`` selects, and their problems renumbered to the kept rows."""
    kept = canonical.select(keep.alias("keep")).to_series()
    if kept.all():
        return canonical, problems
    renumber = pl.DataFrame(
        {POSITION: kept.arg_true().cast(pl.Int64), "kept": pl.int_range(kept.sum(), eager=True)}
    )
    problems = problems.join(renumber, on=POSITION, how="inner", maintain_order="left")
    return canonical.filter(kept), problems.with_columns(pl.col("kept").alias(POSITION)).drop("kept")


def _collect(frame: pl.DataFrame | pl.LazyFrame, file: str) -> pl.DataFrame:
    """The frame, read now (a Parquet file is scanned lazily: a bad file fails here)."""
    if isinstance(frame, pl.DataFrame):
        return frame
    try:
        return frame.collect()
    except pl.exceptions.PolarsError:
        raise InputError(file, "cannot be read as Parquet", "re-export the file") from None


def _read_raw(path: Path, source: EntitySource, file: str, entity: str) -> RawTable:
    if path.stat().st_size == 0:
        raise InputError(
            file, "file is empty (0 bytes)", "re-export it; even an empty export has a header row"
        )
    if source.format == "zendesk":
        return read_zendesk(path.read_bytes(), source.zendesk, file)
    fmt = (
        source.format
        if source.format in ("csv", "xlsx", "parquet", "jsonl")
        else _by_extension(file, entity)
    )
    return read_table(path, fmt, source, file, entity)


def _by_extension(file: str, entity: str) -> str:
    fmt = EXTENSIONS.get(Path(file).suffix.lower())
    if fmt is None:
        raise InputError(
            file,
            "cannot tell the format from the file name",
            f"set format (csv, xlsx, parquet, jsonl, zendesk) in [sources.{entity}]",
        )
    return fmt
