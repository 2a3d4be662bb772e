"""Running a suite's expectations with Great Expectations.

GX is imported lazily (the import takes seconds) and one ephemeral context is
kept per process: in-memory stores, no analytics, no progress bars, nothing
written to disk unless Data Docs are asked for.

The hot path validates with ``BOOLEAN_ONLY`` (no row lists are built), then
re-runs only the failing expectations: row rules with ``COMPLETE`` to learn the
failing row numbers, file rules with ``SUMMARY`` for a few example values.
Runs are serialised by a lock: the context is shared by every thread of the
process (Prefect may run periods in threads).
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorecard.errors import ConfigError
from scorecard.validation.failure import Failure, rows, shown
from scorecard.validation.suites import COLUMN_SET, Rule

if TYPE_CHECKING:
    import pandas as pd

DATASOURCE = "scorecard"
EXAMPLES = 3
_LOCK = threading.Lock()


_CONTEXT_LOCK = threading.Lock()


def start_loading() -> None:
    """Import Great Expectations and build its context in a background thread.

    The import costs seconds (scipy, pandas, altair, ...). Called at the start of a run,
    it overlaps the pull and the read, which mostly wait on the disk or run in Polars
    without the GIL; validation then finds the context ready (or waits for the rest)."""
    threading.Thread(target=_context, name="gx-context", daemon=True).start()


def _context():
    with _CONTEXT_LOCK:  # one context, however many threads ask at once
        return _new_context()


@functools.cache
def _new_context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.execution_engine import pandas_execution_engine

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    # GX fingerprints every pandas batch under this size (an md5 over hash_pandas_object of
    # all rows, on each of the two validation passes); nothing here reads the fingerprint.
    pandas_execution_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.data_sources.add_pandas(DATASOURCE)
    return context


@functools.cache
def _batch_definition(entity: str):
    asset = _context().data_sources.get(DATASOURCE).add_dataframe_asset(entity)
    return asset.add_batch_definition_whole_dataframe(entity)


def build_suite(name: str, rules: list[Rule]):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    return gx.ExpectationSuite(
        name=name,
        expectations=[
            ExpectationConfiguration(
                type=rule.type,
                kwargs=rule.kwargs,
                severity=rule.severity,
                description=rule.description,
                meta={"scope": rule.scope, "action": rule.action},
            ).to_domain_obj()
            for rule in rules
        ],
    )


def run_expectations(
    entity: str, rules: list[Rule], frame: pd.DataFrame, parameters: dict[str, Any]
) -> list[Failure]:
    """Validate ``frame`` (its index = row numbers of the input) and return what failed."""
    if not rules:
        return []
    with _LOCK:
        return _run(entity, rules, frame, parameters)


def _run(entity: str, rules: list[Rule], frame: pd.DataFrame, parameters: dict[str, Any]) -> list[Failure]:
    by_description = {rule.description: rule for rule in rules}
    batch = _batch_definition(entity).get_batch(batch_parameters={"dataframe": frame})
    hot = batch.validate(build_suite(entity, rules), result_format="BOOLEAN_ONLY", expectation_parameters=parameters)
    failed = [by_description[result.expectation_config.description] for result in _checked(entity, hot)]

    failures: list[Failure] = []
    detail_runs = (
        ([r for r in failed if r.scope == "row"], "COMPLETE"),
        ([r for r in failed if r.scope == "file"], "SUMMARY"),
    )
    for detailed_rules, result_format in detail_runs:
        if not detailed_rules:
            continue
        detail = batch.validate(
            build_suite(entity, detailed_rules),
            result_format={"result_format": result_format, "return_unexpected_index_query": False},
            expectation_parameters=parameters,
        )
        for result in _checked(entity, detail):
            failures.extend(_failures(by_description[result.expectation_config.description], result.result))
    return failures


def _checked(entity: str, suite_result) -> list:
    """The failed results; an expectation that raised is a broken suite, not bad data."""
    failed = []
    for result in suite_result.results:
        info = result.exception_info or {}
        if info.get("raised_exception"):
            raise ConfigError(
                f"{entity} suite: rule {result.expectation_config.description!r} cannot run "
                f"({info.get('exception_message')}) — correct it in the suite file"
            )
        if not result.success:
            failed.append(result)
    return failed


def _failures(rule: Rule, result: dict[str, Any]) -> list[Failure]:
    """One failure per missing column for the column-set rule; one failure otherwise."""
    if rule.type == COLUMN_SET:
        missing = result.get("details", {}).get("mismatched", {}).get("missing", [])
        return [Failure(rule, column, 1, detail="the column is missing") for column in missing]
    count = int(result.get("unexpected_count", 0))
    examples = ", ".join(shown(value) for value in result.get("partial_unexpected_list", [])[:EXAMPLES])
    return [
        Failure(
            rule,
            rule.column,
            count,
            rows=tuple(int(index) for index in result.get("unexpected_index_list", [])),
            detail=f"{rows(count)} in breach (found {examples})" if examples else f"{rows(count)} in breach",
        )
    ]


def write_data_docs(
    batches: list[tuple[str, list[Rule], pd.DataFrame]], parameters: dict[str, Any], docs_dir: Path
) -> Path:
    """Validate again with stored results and build GX Data Docs into ``docs_dir`` (off the hot path)."""
    with _LOCK:
        return _write_data_docs(batches, parameters, docs_dir)


def _write_data_docs(
    batches: list[tuple[str, list[Rule], pd.DataFrame]], parameters: dict[str, Any], docs_dir: Path
) -> Path:
    from great_expectations.core.validation_definition import ValidationDefinition

    context = _context()
    site = f"scorecard-{docs_dir.resolve()}"
    if site not in (context.config.data_docs_sites or {}):
        context.add_data_docs_site(
            site,
            {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    for entity, rules, frame in batches:
        suite = context.suites.add_or_update(build_suite(entity, rules))
        definition = context.validation_definitions.add_or_update(
            ValidationDefinition(name=entity, data=_batch_definition(entity), suite=suite)
        )
        definition.run(
            batch_parameters={"dataframe": frame}, expectation_parameters=parameters, result_format="SUMMARY"
        )
    context.build_data_docs(site_names=[site])
    return docs_dir / "index.html"
