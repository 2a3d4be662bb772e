"""Validation of the canonical frames with Great Expectations (suites in expectations/).

Importing this package is cheap: Great Expectations and pandas are imported
only when ``validate`` runs, or in the background after ``start_loading()``.
"""

from scorecard.validation.gx_runner import start_loading
from scorecard.validation.outcome import (
    Finding,
    SummaryRow,
    ValidationOutcome,
    format_summary_table,
)
from scorecard.validation.runner import validate
from scorecard.validation.settings import ValidationSettings

__all__ = [
    "Finding",
    "SummaryRow",
    "ValidationOutcome",
    "ValidationSettings",
    "format_summary_table",
    "start_loading",
    "validate",
]
