"""What validation hands back: clean frames, the quarantine, findings and a summary.

A finding's severity is what it means for the run: ``critical`` stops the period
(a critical file rule failed), ``warning`` is reported and the run goes on
(rows quarantined or flagged by a row rule, or a warning file rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from scorecard.errors import InputError
from scorecard.validation.failure import Failure, rows
from scorecard.validation.suites import Severity

QUARANTINE_SCHEMA = pl.Schema(
    {
        "entity": pl.String(),
        "file": pl.String(),
        "row_number": pl.Int64(),
        "column": pl.String(),
        "rule": pl.String(),
        "severity": pl.String(),
        "value": pl.String(),
    }
)


@dataclass(frozen=True)
class Finding:
    entity: str
    file: str
    column: str | None
    rule: str
    severity: Severity
    failed_count: int
    message: str


@dataclass(frozen=True)
class SummaryRow:
    entity: str
    file: str
    rows: int
    quarantined: int
    warnings: int
    critical: bool


@dataclass(frozen=True)
class EntityOutcome:
    clean: pl.DataFrame
    quarantine: pl.DataFrame
    findings: list[Finding]
    summary: SummaryRow


@dataclass(frozen=True)
class ValidationOutcome:
    clean: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    findings: list[Finding]
    summary: list[SummaryRow]

    @property
    def critical(self) -> bool:
        """The period must stop: a critical file rule failed."""
        return any(finding.severity == "critical" for finding in self.findings)


def entity_outcome(entity: str, file: str, frame: pl.DataFrame, failures: list[Failure]) -> EntityOutcome:
    """Apply one entity's failures: findings, quarantine rows and the clean frame."""
    findings = [_finding(entity, file, failure) for failure in failures]
    quarantine = pl.concat(
        [pl.DataFrame(schema=QUARANTINE_SCHEMA)]
        + [_quarantine_rows(entity, file, frame, failure) for failure in failures if failure.rows],
    )
    removed = quarantine.filter(pl.col("severity") == "critical").get_column("row_number").unique()
    kept = ~pl.int_range(pl.len(), dtype=pl.Int64).is_in(removed.implode())
    clean = frame if removed.is_empty() else frame.filter(kept)
    summary = SummaryRow(
        entity=entity,
        file=file,
        rows=frame.height,
        quarantined=removed.len(),
        warnings=sum(finding.severity == "warning" for finding in findings),
        critical=any(finding.severity == "critical" for finding in findings),
    )
    return EntityOutcome(clean=clean, quarantine=quarantine, findings=findings, summary=summary)


def combine(outcomes: dict[str, EntityOutcome]) -> ValidationOutcome:
    return ValidationOutcome(
        clean={entity: outcome.clean for entity, outcome in outcomes.items()},
        quarantine=pl.concat(
            [pl.DataFrame(schema=QUARANTINE_SCHEMA)] + [outcome.quarantine for outcome in outcomes.values()]
        ),
        findings=[finding for outcome in outcomes.values() for finding in outcome.findings],
        summary=[outcome.summary for outcome in outcomes.values()],
    )


def format_summary_table(outcome: ValidationOutcome) -> str:
    """A plain-text table for ``scorecard validate``: one line per entity."""
    header = ("entity", "file", "rows", "quarantined", "warnings", "critical")
    lines = [header] + [
        (row.entity, row.file, str(row.rows), str(row.quarantined), str(row.warnings), "yes" if row.critical else "no")
        for row in outcome.summary
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    numeric = {2, 3, 4}
    return "\n".join(
        "  ".join(cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip()
        for line in lines
    )


def _finding(entity: str, file: str, failure: Failure) -> Finding:
    rule = failure.rule
    if rule.scope == "row":
        what = "quarantined" if rule.severity == "critical" else "flagged and kept"
        happened = f"{rows(failure.failed_count)} {what} (first row_number {failure.rows[0]})"
        severity: Severity = "warning"
    else:
        happened = failure.detail
        severity = rule.severity
    line = InputError(file, rule.description, f"{happened}; {rule.action}", column=failure.column).line()
    return Finding(entity, file, failure.column, rule.description, severity, failure.failed_count, line)


def _quarantine_rows(entity: str, file: str, frame: pl.DataFrame, failure: Failure) -> pl.DataFrame:
    rows = pl.Series("row_number", failure.rows, dtype=pl.Int64)
    if failure.values is not None:
        values = pl.Series("value", failure.values, dtype=pl.String)
    else:
        values = frame.get_column(failure.column).gather(rows).cast(pl.String)
    return pl.DataFrame(
        {
            "entity": entity,
            "file": file,
            "row_number": rows,
            "column": failure.column,
            "rule": failure.rule.description,
            "severity": failure.rule.severity,
            "value": values,
        },
        schema=QUARANTINE_SCHEMA,
    )
