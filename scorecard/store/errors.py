"""What a user sees when the store cannot be used: one line, never the database URL."""

from __future__ import annotations

from scorecard.errors import ScorecardError


class StoreUnavailable(ScorecardError):
    """The store cannot be opened or reached (bad path, server down, wrong URL)."""

    exit_code = 5


class StoreBusy(StoreUnavailable):
    """Another process held the DuckDB file's lock for longer than the configured wait."""
