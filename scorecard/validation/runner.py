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
        checked = _rows_to_check(entity, frame, period, frames, settings)
        expectations = _runnable(suite.expectations, frame)
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
            docs_batches.append((entity, expectations, _to_pandas(checked, frame.columns)))

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


def _rows_to_check(
    entity: str,
    frame: pl.DataFrame,
    period: Period,
    frames: Mapping[str, pl.DataFrame],
    settings: ValidationSettings,
) -> pl.DataFrame:
    """The rows of the period's window, each with its input row number in ``checks.ROW``."""
    numbered = frame.with_row_index(checks.ROW)
    rows = window(entity, frame, period, frames.get("survey_responses"), settings.orders_lookback_months)
    return numbered if rows is None else numbered.filter(rows)


def _runnable(rules: tuple[Rule, ...], frame: pl.DataFrame) -> list[Rule]:
    """Rules whose columns the frame has (the column-set rule reports the others)."""
    present = set(frame.columns)
    return [rule for rule in rules if set(rule.columns) <= present]


def _to_pandas(checked: pl.DataFrame, columns: list[str]):
    """Some columns of the checked rows as pandas (GX has no Polars engine), indexed by input row number."""
    table = checked.select(columns).to_pandas()
    table.index = checked.get_column(checks.ROW).to_numpy()
    return table


def _run_gx(
    entity: str, rules: list[Rule], frame: pl.DataFrame, checked: pl.DataFrame, parameters: dict[str, Any]
) -> list[Failure]:
    """The failed GX expectations of one entity.

    Schema rules see the export's header (no rows); the other rules see the checked
    rows, converted with only the columns they read (GX copies whole tables when it
    filters rows, so unread columns would cost time and memory).
    """
    from scorecard.validation.gx_runner import run_expectations

    schema_rules = [rule for rule in rules if rule.type in SCHEMA_TYPES]
    row_rules = [rule for rule in rules if rule.type not in SCHEMA_TYPES]
    read = [column for column in frame.columns if any(column in rule.columns for rule in row_rules)]
    return run_expectations(entity, schema_rules, frame.head(0).to_pandas(), parameters) + run_expectations(
        entity, row_rules, _to_pandas(checked, read), parameters
    )


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
