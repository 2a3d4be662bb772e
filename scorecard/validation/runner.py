"""validate(): every entity's suite over the period's rows, into one ValidationOutcome.

Per entity: pick the rows that can count in the period (window.py), run the
suite's GX expectations on them (gx_runner.py), run its duplicate, cross-entity
and period checks in Polars (checks.py), then quarantine and summarise
(outcome.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from scorecard.errors import ConfigError
from scorecard.validation import checks
from scorecard.validation.failure import Failure
from scorecard.validation.outcome import ValidationOutcome, combine, entity_outcome
from scorecard.validation.settings import ValidationSettings
from scorecard.validation.suites import SCHEMA_TYPES, Rule, Suite, load_suite
from scorecard.validation.window import window
from transforms.periods import Period
from transforms.schema import REQUIRED_ENTITIES

log = logging.getLogger(__name__)


def validate(
    frames: Mapping[str, pl.DataFrame],
    period: Period,
    settings: ValidationSettings,
    *,
    files: Mapping[str, str] | None = None,
    problems: pl.DataFrame | None = None,
    docs_dir: Path | None = None,
) -> ValidationOutcome:
    """Validate the canonical frames of one period.

    ``files`` names each entity's file in messages. ``problems`` are the values the
    reader could not parse (scorecard.sources' PROBLEMS_SCHEMA: entity, row_number,
    column, raw_value, rule, …); their rows are quarantined under the reader's rule.
    """
    absent = [entity for entity in REQUIRED_ENTITIES if entity not in frames]
    if absent:
        raise ValueError(f"validate needs every required entity; missing: {', '.join(absent)}")
    suites = {entity: load_suite(settings.suites_dir, entity) for entity in frames}
    _check_period_rules(suites, settings)
    parameters = suite_parameters(settings)
    write_docs = settings.write_data_docs and docs_dir is not None

    outcomes = {}
    docs_batches = []
    for entity, frame in frames.items():
        started = time.perf_counter()
        suite = suites[entity]
        expectations = _runnable(suite.expectations, frame)
        rows = window(entity, frame, period, frames.get("survey_responses"), settings.orders_lookback_months)
        checked = _rows_to_check(frame, rows, _columns_read(expectations, suite.checks, frame))
        failures = _run_gx(entity, expectations, frame, checked, parameters)
        failures += _run_checks(suite, frame, checked, frames, period, settings)
        if problems is not None:
            failures += checks.unreadable(problems.filter(pl.col("entity") == entity))
        file = (files or {}).get(entity, entity)
        outcomes[entity] = entity_outcome(entity, file, frame, failures)
        seconds = time.perf_counter() - started
        log.info(
            "validated %s: %d of %d rows checked in %.2f s", entity, checked.height, frame.height, seconds,
            extra={"entity": entity, "checked": checked.height, "seconds": seconds},
        )
        if write_docs:
            docs_batches.append((entity, expectations, _to_pandas(_rows_to_check(frame, rows, frame.columns))))
        del checked

    if write_docs:
        from scorecard.validation.gx_runner import write_data_docs

        write_data_docs(docs_batches, parameters, docs_dir)
    return combine(outcomes)


def suite_parameters(settings: ValidationSettings) -> dict[str, Any]:
    """Values the suite files refer to as ``{"$PARAMETER": name}``."""
    parameters: dict[str, Any] = {"channels": list(settings.channels), "currencies": [settings.currency]}
    for survey, (low, high) in settings.survey_scales.items():
        parameters[f"{survey}_min"] = low
        parameters[f"{survey}_max"] = high
    return parameters


def _check_period_rules(suites: Mapping[str, Suite], settings: ValidationSettings) -> None:
    for entity in settings.require_period_data:
        if entity in suites and not suites[entity].check("rows_in_period"):
            raise ConfigError(
                f"validation.require_period_data names {entity}, but {suites[entity].path} has no "
                "rows_in_period check — add one or remove the entity from the setting"
            )


def _rows_to_check(frame: pl.DataFrame, rows: pl.Expr | None, columns: list[str]) -> pl.DataFrame:
    """``columns`` of the rows of the period's window (``rows``; None: every row), each with
    its input row number in ``checks.ROW``.

    Only the columns some rule reads are gathered, and only when the window leaves rows
    out: otherwise the frame's own columns are used, not copied.
    """
    numbered = frame.select(columns).with_row_index(checks.ROW)
    if rows is None:
        return numbered
    inside = frame.select(rows.alias("inside")).to_series()
    return numbered if inside.all() else numbered.filter(inside)


def _columns_read(expectations: list[Rule], suite_checks: tuple[Rule, ...], frame: pl.DataFrame) -> list[str]:
    """The frame's columns that a row expectation or a check reads, in the frame's order."""
    read = {column for rule in expectations if rule.type not in SCHEMA_TYPES for column in rule.columns}
    read |= {column for rule in suite_checks for column in rule.columns}
    return [column for column in frame.columns if column in read]


def _runnable(rules: tuple[Rule, ...], frame: pl.DataFrame) -> list[Rule]:
    """Rules whose columns the frame has (the column-set rule reports the others)."""
    present = set(frame.columns)
    return [rule for rule in rules if set(rule.columns) <= present]


def _to_pandas(checked: pl.DataFrame, columns: list[str] | None = None):
    """Some columns of the checked rows as pandas (GX has no Polars engine), indexed by input row number."""
    names = [name for name in checked.columns if name != checks.ROW] if columns is None else columns
    table = pl.DataFrame([checked.get_column(name).rechunk() for name in names]).to_pandas()
    table.index = checked.get_column(checks.ROW).to_numpy()
    return table


def _run_gx(
    entity: str, rules: list[Rule], frame: pl.DataFrame, checked: pl.DataFrame, parameters: dict[str, Any]
) -> list[Failure]:
    """The failed GX expectations of one entity, in the order of one run of the whole suite.

    Schema rules see the export's header (no rows). The other rules see the checked rows,
    one batch per set of columns that rules read, converted with those columns only: GX
    copies the whole batch when it leaves rows out (nulls, ``ignore_row_if``,
    ``row_condition``), so a column no rule of the batch reads would be copied for nothing.
    """
    from scorecard.validation.gx_runner import run_expectations

    schema_rules = [rule for rule in rules if rule.type in SCHEMA_TYPES]
    row_rules = [rule for rule in rules if rule.type not in SCHEMA_TYPES]
    failures = []
    for columns, batch_rules in _batches(row_rules, checked.columns).items():
        failures += run_expectations(entity, batch_rules, _to_pandas(checked, list(columns)), parameters)
    position = {rule.description: index for index, rule in enumerate(row_rules)}
    failures.sort(key=lambda failure: (failure.rule.scope != "row", position[failure.rule.description]))
    return run_expectations(entity, schema_rules, frame.head(0).to_pandas(), parameters) + failures


def _batches(rules: list[Rule], columns: list[str]) -> dict[tuple[str, ...], list[Rule]]:
    """The rules grouped by the columns they read (in ``columns``' order)."""
    batches: dict[tuple[str, ...], list[Rule]] = {}
    for rule in rules:
        read = tuple(column for column in columns if column in rule.columns)
        batches.setdefault(read, []).append(rule)
    return batches


def _run_checks(
    suite: Suite,
    frame: pl.DataFrame,
    checked: pl.DataFrame,
    frames: Mapping[str, pl.DataFrame],
    period: Period,
    settings: ValidationSettings,
) -> list[Failure]:
    present = set(frame.columns)
    results: list[Failure | None] = []
    for rule in suite.checks:
        target_entity = rule.kwargs.get("entity")
        if not set(rule.columns) <= present:
            continue
        if target_entity is not None and not _has_columns(frames[target_entity], rule):
            continue
        if rule.type == "unique":
            results.append(checks.duplicates(checked, rule, settings.max_duplicate_share))
        elif rule.type == "references":
            results.append(checks.references(checked, rule, frames))
        elif rule.type == "not_before_reference":
            results.append(checks.not_before_reference(checked, rule, frames))
        elif suite.entity in settings.require_period_data:
            results.append(checks.rows_in_period(frame, rule, period))
    return [failure for failure in results if failure is not None]


def _has_columns(target: pl.DataFrame, rule: Rule) -> bool:
    """The referenced entity has the columns a check reads (else its own column-set rule fails)."""
    return all(rule.kwargs[name] in target.columns for name in ("target", "key") if name in rule.kwargs)
