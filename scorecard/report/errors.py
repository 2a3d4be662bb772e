"""Report failures a user may see, each a one-line message."""

from __future__ import annotations

from scorecard.errors import ScorecardError


class ReportRenderFailed(ScorecardError):
    """The PDF could not be rendered within its time and memory limits."""


class ReportCheckFailed(ScorecardError):
    """A rendered PDF failed its read-back check and must not be delivered."""
