"""Apply an entity's configured mapping: rename columns, check them, map values.

After this step a frame has exactly the canonical columns of its entity (still
as read: text or source types) plus the row bookkeeping columns. Extra source
columns are dropped. A missing non-nullable column is a file rule
(:class:`InputError`); a missing nullable column is filled with nulls and logged.
"""

from __future__ import annotations

import logging

import polars as pl

from scorecard.errors import InputError
from scorecard.sources.settings import Mapping
from scorecard.sources.tables import SOURCE_ROW
from transforms.schema import CANONICAL

log = logging.getLogger(__name__)


def apply_mapping(frame: pl.LazyFrame, entity: str, mapping: Mapping, file: str) -> pl.LazyFrame:
    """``frame`` renamed to canonical names, checked, value-mapped; canonical columns + SOURCE_ROW."""
    columns = CANONICAL[entity]
    canonical_names = [c.name for c in columns]
    sources_of = _sources_by_target(frame.collect_schema().names(), mapping.rename, canonical_names, entity, file)
    selected = [pl.col(SOURCE_ROW)]
    for column in columns:
        if column.name in sources_of:
            selected.append(pl.col(sources_of[column.name]).alias(column.name))
            continue
        if not column.nullable:
            raise InputError(
                file,
                _missing_rule(column.name, mapping.rename),
                f"add the column or map it in [sources.{entity}.mapping.rename]",
                column=column.name,
            )
        log.warning("%s: no column %r; it is read as empty", file, column.name)
        selected.append(pl.lit(None, dtype=pl.String).alias(column.name))
    mapped = frame.select(selected)
    for name, values in mapping.values.items():  # names checked by SourcesSettings
        text = pl.col(name).cast(pl.String).str.strip_chars()
        mapped = mapped.with_columns(
            text.replace({k.strip(): v for k, v in values.items()}).alias(name)
        )
    return mapped


def _sources_by_target(
    present: list[str], rename: dict[str, str], canonical: list[str], entity: str, file: str
) -> dict[str, str]:
    """canonical column → the source column that fills it; two sources for one target is an error."""
    found: dict[str, str] = {}
    for source in present:
        target = rename.get(source, source)
        if target not in canonical:
            continue
        if target in found:
            raise InputError(
                file,
                f"two columns map to it: {found[target]!r} and {source!r}",
                f"drop one or fix [sources.{entity}.mapping.rename]",
                column=target,
            )
        found[target] = source
    return found


def _missing_rule(name: str, rename: dict[str, str]) -> str:
    expected = [source for source, target in rename.items() if target == name]
    if expected:
        return f"required column missing (mapped from {expected[0]!r}, which the file lacks)"
    return "required column missing"
