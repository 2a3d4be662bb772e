"""Reading the suite files of expectations/: one JSON file per canonical entity.

A suite file holds two lists of rules, each with a ``severity``, a ``description``
(the rule, as a user reads it) and ``meta.scope`` / ``meta.action``:

- ``expectations``: Great Expectations expectations (``type`` + ``kwargs``), run by GX;
- ``checks``: rules GX cannot express, run in Polars: ``unique`` (an id repeated
  beyond its first row; above ``max_duplicate_share`` of the checked rows it is a
  critical file rule), ``references`` (a column's value exists in another entity),
  ``not_before_reference`` (a time is not before the referenced row's time) and
  ``rows_in_period`` (the export has rows in the period; applied to the entities
  of ``require_period_data``).

Scope ``row``: failing rows are quarantined (severity critical) or only flagged
(severity warning). Scope ``file``: a critical failure stops the period, a warning
is reported. See expectations/README.md.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from scorecard.errors import ConfigError

Severity = Literal["critical", "warning"]
Scope = Literal["row", "file"]

CHECK_TYPES = ("unique", "references", "not_before_reference", "rows_in_period")
COLUMN_SET = "expect_table_columns_to_match_set"
# Expectations about the header only: validated on the export's columns, with no rows.
SCHEMA_TYPES = frozenset({
    COLUMN_SET,
    "expect_column_to_exist",
    "expect_table_columns_to_match_ordered_list",
    "expect_table_column_count_to_equal",
    "expect_table_column_count_to_be_between",
})
_COLUMN_KWARGS = ("column", "column_A", "column_B")


@dataclass(frozen=True)
class Rule:
    """One rule of a suite: a GX expectation (``by_gx``) or a Polars check."""

    type: str
    kwargs: dict[str, Any]
    severity: Severity
    scope: Scope
    description: str
    action: str
    by_gx: bool

    @property
    def column(self) -> str | None:
        """The column a finding names (the first of a pair)."""
        return self.kwargs.get("column") or self.kwargs.get("column_A")

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column of the validated entity the rule reads (row_condition's too)."""
        names = [self.kwargs[key] for key in _COLUMN_KWARGS + ("via",) if key in self.kwargs]
        condition = self.kwargs.get("row_condition")
        if isinstance(condition, str):
            unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", "", condition)
            names += [word for word in re.findall(r"[A-Za-z_]\w*", unquoted) if not keyword.iskeyword(word)]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Suite:
    entity: str
    path: Path
    expectations: tuple[Rule, ...]
    checks: tuple[Rule, ...] = field(default=())

    def check(self, type_: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.checks if rule.type == type_)


def load_suite(suites_dir: Path, entity: str) -> Suite:
    """Read ``<suites_dir>/<entity>.json``; a malformed file is a ConfigError naming it."""
    path = suites_dir / f"{entity}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the suite ({exc}) — restore it from the repository") from None
    expectations = tuple(_rule(path, item, by_gx=True) for item in data.get("expectations", []))
    checks = tuple(_rule(path, item, by_gx=False) for item in data.get("checks", []))
    descriptions = [rule.description for rule in expectations + checks]
    duplicated = sorted({text for text in descriptions if descriptions.count(text) > 1})
    if duplicated:
        raise ConfigError(f"{path}: description {duplicated[0]!r} is used twice — make each rule's description unique")
    return Suite(entity=entity, path=path, expectations=expectations, checks=checks)


def _rule(path: Path, item: dict[str, Any], *, by_gx: bool) -> Rule:
    meta = item.get("meta") or {}
    where = f"{path}: rule {item.get('description') or item.get('type')!r}"
    if item.get("severity") not in ("critical", "warning"):
        raise ConfigError(f"{where}: severity must be critical or warning")
    if meta.get("scope") not in ("row", "file"):
        raise ConfigError(f"{where}: meta.scope must be row or file")
    if not item.get("description") or not meta.get("action"):
        raise ConfigError(f"{where}: needs a description and a meta.action")
    if not by_gx and item.get("type") not in CHECK_TYPES:
        raise ConfigError(f"{where}: check type must be one of {', '.join(CHECK_TYPES)}")
    return Rule(
        type=item["type"],
        kwargs=dict(item.get("kwargs") or {}),
        severity=item["severity"],
        scope=meta["scope"],
        description=item["description"],
        action=meta["action"],
        by_gx=by_gx,
    )
