"""Errors a user may see. Each renders as one line that says what to do."""

from __future__ import annotations


class ScorecardError(Exception):
    """An expected failure with a one-line, user-facing message (no traceback)."""

    exit_code = 2

    def line(self) -> str:
        return str(self)


class ConfigError(ScorecardError):
    """A configuration value is missing or wrong."""


class InputError(ScorecardError):
    """A pulled file cannot be trusted: names the file, column, rule and remedy."""

    def __init__(self, file: str, rule: str, action: str, column: str | None = None) -> None:
        self.file = file
        self.column = column
        self.rule = rule
        self.action = action
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.file}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.rule} — {self.action}"


class ValidationFailed(ScorecardError):
    """Critical validation findings stop the period."""

    exit_code = 3
