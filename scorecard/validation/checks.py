"""The rules GX cannot express on one table, in Polars: duplicates, references, period data.

Each check takes the checked rows of an entity (with their input row number in
``ROW``) and returns a Failure, or None when the rule holds. ``unreadable`` turns
the reader's problems (values it could not parse) into row failures too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import polars as pl

from scorecard.validation.failure import Failure, rows
from scorecard.validation.suites import Rule
from transforms.base import in_period
from transforms.periods import Period

ROW = "_row_number"
UNREADABLE_ACTION = "correct the value in the export, or its format in the source's mapping"


def duplicates(checked: pl.DataFrame, rule: Rule, max_share: float) -> Failure | None:
    """Rows repeating an id already seen (the first one stays).

    Up to ``max_share`` of the checked rows they are a row rule (quarantined);
    above it the file cannot be trusted: the rule becomes a critical file rule.
    """
    column = rule.column
    repeats = repeated_rows(checked, column)
    if repeats.is_empty():
        return None
    share = repeats.height / checked.height
    if share <= max_share:
        return Failure(rule, column, repeats.height, rows=tuple(repeats.get_column(ROW).to_list()))
    stopping = dataclasses.replace(rule, scope="file", severity="critical")
    detail = (
        f"{rows(repeats.height)} with a repeated id ({share:.1%} of {rows(checked.height)} checked; "
        f"tolerated {max_share:.1%})"
    )
    return Failure(stopping, column, repeats.height, detail=detail)


def repeated_rows(checked: pl.DataFrame, column: str) -> pl.DataFrame:
    """The rows (``ROW`` and ``column``) whose set ``column`` repeats an earlier row's, in row order.

    Equal values have equal hashes, so every repeated value is among the rows whose hash
    is repeated: the exact comparison of the values runs on those few rows only, not on
    every row (sorting 64-bit hashes costs a fraction of hashing every value into a table).
    """
    values = checked.get_column(column)
    hashes = values.hash().filter(values.is_not_null()).sort()
    repeated_hashes = hashes.filter(hashes == hashes.shift(1)).unique()
    candidates = values.is_not_null() & values.hash().is_in(repeated_hashes.implode())
    repeats = checked.select(ROW, column).filter(candidates)
    return repeats.filter(~pl.col(column).is_first_distinct())


def references(checked: pl.DataFrame, rule: Rule, frames: Mapping[str, pl.DataFrame]) -> Failure | None:
    """Rows whose ``column`` is set but names no row of ``entity`` (by its ``target`` column)."""
    column, target = rule.kwargs["column"], rule.kwargs["target"]
    existing = frames[rule.kwargs["entity"]].select(pl.col(target).alias(column))
    named = checked.select(ROW, column).filter(pl.col(column).is_not_null())
    dangling = named.join(existing, on=column, how="anti", build_side=_smaller(named, existing))
    return _row_failure(rule, dangling)


def _smaller(left: pl.DataFrame, right: pl.DataFrame) -> str:
    """The join side to build the hash table of: the one with fewer rows."""
    return "force_left" if left.height <= right.height else "force_right"


def not_before_reference(checked: pl.DataFrame, rule: Rule, frames: Mapping[str, pl.DataFrame]) -> Failure | None:
    """Rows whose ``column`` is earlier than ``target`` of the row they name through ``via``.

    The referenced entity is matched on its ``key`` column; its first row per key counts.
    """
    column, via, key, target = (rule.kwargs[name] for name in ("column", "via", "key", "target"))
    named = checked.lazy().select(pl.col(via).alias(key)).drop_nulls().unique()
    referenced = (
        frames[rule.kwargs["entity"]]
        .lazy()
        .select(key, target)
        .join(named, on=key, how="semi", maintain_order="left")
        .unique(subset=key, keep="first", maintain_order=True)
        .select(pl.col(key).alias(via), pl.col(target).alias("_referenced_at"))
    )
    early = (
        checked.lazy()
        .select(ROW, column, via)
        .join(referenced, on=via, how="inner")
        .filter(pl.col(column) < pl.col("_referenced_at"))
        .collect()
    )
    return _row_failure(rule, early)


def rows_in_period(frame: pl.DataFrame, rule: Rule, period: Period) -> Failure | None:
    """The export has at least one row whose ``column`` falls in ``period``."""
    column = rule.kwargs["column"]
    inside = frame.select(in_period(column, period.start_utc, period.end_utc).sum()).item()
    if inside:
        return None
    detail = f"no row has {column} in {period.label} ({rows(frame.height)} in the export)"
    return Failure(rule, column, 0, detail=detail)


def _row_failure(rule: Rule, failing: pl.DataFrame) -> Failure | None:
    if failing.is_empty():
        return None
    numbers = tuple(sorted(failing.get_column(ROW).to_list()))
    return Failure(rule, rule.kwargs["column"], len(numbers), rows=numbers)


def unreadable(problems: pl.DataFrame) -> list[Failure]:
    """One critical row failure per (column, rule) of the reader's problems of one entity.

    ``problems`` has the reader's columns: row_number, column, raw_value, rule.
    """
    failures = []
    for (column, rule_text), group in problems.sort("row_number").group_by(
        "column", "rule", maintain_order=True
    ):
        rule = Rule(
            type="readable",
            kwargs={"column": column},
            severity="critical",
            scope="row",
            description=rule_text,
            action=UNREADABLE_ACTION,
            by_gx=False,
        )
        failures.append(
            Failure(
                rule,
                column,
                group.height,
                rows=tuple(group.get_column("row_number").to_list()),
                values=tuple(group.get_column("raw_value").to_list()),
            )
        )
    return failures
