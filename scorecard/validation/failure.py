"""What a failed rule leaves behind, whoever ran it (GX or a Polars check)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scorecard.validation.suites import Rule

EXAMPLE_CHARS = 20


@dataclass(frozen=True)
class Failure:
    """A failed rule: its column, how many rows failed, which rows (row rules), what was found.

    ``values`` gives the failing rows' values as read when the frame no longer holds
    them (a value the reader could not parse is null in the frame).
    """

    rule: Rule
    column: str | None
    failed_count: int
    rows: tuple[int, ...] = ()
    detail: str = ""
    values: tuple[str | None, ...] | None = None


def shown(value: Any) -> str:
    """An input value made safe for a one-line message: short, quoted, escaped (it is untrusted)."""
    return repr(str(value)[:EXAMPLE_CHARS])


def rows(count: int) -> str:
    """"1 row", "2 rows"."""
    return f"{count} row" if count == 1 else f"{count} rows"
