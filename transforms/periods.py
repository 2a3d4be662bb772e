"""Reporting periods: the one value object that does date arithmetic.

A period is a month (``2026-10``), a quarter (``2026Q3``) or a year (``2026``)
in the reporting time zone. It is the half-open interval ``[start, end)``:
``start`` is local midnight of its first day, ``end`` local midnight of the day
after its last day. Everything else in the pipeline asks a period for its
bounds instead of computing dates itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal
from zoneinfo import ZoneInfo

Kind = Literal["month", "quarter", "year"]

_MONTHS_IN: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
)


class PeriodError(ValueError):
    """A period label that cannot be read."""


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period. ``first_month`` is a month index: year * 12 + (month - 1)."""

    first_month: int
    kind: Kind
    tz: str = "UTC"

    # --- construction -------------------------------------------------------------
    @classmethod
    def parse(cls, label: str, tz: str = "UTC") -> "Period":
        """Read ``2026-10``, ``2026Q3`` or ``2026``."""
        text = label.strip()
        for pattern, kind in _PATTERNS:
            match = pattern.match(text)
            if not match:
                continue
            year = int(match.group(1))
            if kind == "month":
                month = int(match.group(2))
                if not 1 <= month <= 12:
                    break
                return cls(year * 12 + month - 1, "month", _check_tz(tz))
            if kind == "quarter":
                return cls(year * 12 + (int(match.group(2)) - 1) * 3, "quarter", _check_tz(tz))
            return cls(year * 12, "year", _check_tz(tz))
        raise PeriodError(
            f"period {label!r} is not a month (2026-10), a quarter (2026Q3) or a year (2026)"
        )

    @classmethod
    def month(cls, year: int, month: int, tz: str = "UTC") -> "Period":
        return cls(year * 12 + month - 1, "month", _check_tz(tz))

    @classmethod
    def containing(cls, instant: datetime, tz: str = "UTC", kind: Kind = "month") -> "Period":
        """The period of ``kind`` that contains ``instant`` (read in ``tz``)."""
        local = _aware(instant).astimezone(ZoneInfo(tz))
        index = local.year * 12 + local.month - 1
        if kind == "quarter":
            index -= index % 3
        elif kind == "year":
            index -= index % 12
        return cls(index, kind, _check_tz(tz))

    @classmethod
    def last_complete(cls, now: datetime, tz: str = "UTC", kind: Kind = "month") -> "Period":
        """The latest period of ``kind`` that ended at or before ``now`` in ``tz``."""
        return cls.containing(now, tz, kind).shift(-1)

    # --- what it is ---------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.first_month // 12

    @property
    def months(self) -> int:
        """months_in(P): 1, 3 or 12."""
        return _MONTHS_IN[self.kind]

    @property
    def label(self) -> str:
        year, month0 = divmod(self.first_month, 12)
        if self.kind == "month":
            return f"{year:04d}-{month0 + 1:02d}"
        if self.kind == "quarter":
            return f"{year:04d}Q{month0 // 3 + 1}"
        return f"{year:04d}"

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period({self.label!r}, tz={self.tz!r})"

    @property
    def start(self) -> datetime:
        """Local midnight at the start, as an aware datetime in the reporting zone."""
        return _local_midnight(self.first_month, self.tz)

    @property
    def end(self) -> datetime:
        """Local midnight just after the last day (exclusive bound)."""
        return _local_midnight(self.first_month + self.months, self.tz)

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(timezone.utc)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(timezone.utc)

    def months_before_start_utc(self, count: int) -> datetime:
        """Local midnight ``count`` months before ``start``, in UTC (a look-back window's start)."""
        return _local_midnight(self.first_month - count, self.tz).astimezone(timezone.utc)

    def contains(self, instant: datetime) -> bool:
        return self.start <= _aware(instant) < self.end

    def month_periods(self) -> list["Period"]:
        """The months that make up this period, in order."""
        return [Period(self.first_month + i, "month", self.tz) for i in range(self.months)]

    # --- neighbours ---------------------------------------------------------------
    def shift(self, steps: int) -> "Period":
        """The period ``steps`` periods of the same kind later (negative: earlier)."""
        return Period(self.first_month + steps * self.months, self.kind, self.tz)

    def previous(self) -> "Period":
        return self.shift(-1)

    def year_ago(self) -> "Period":
        return Period(self.first_month - 12, self.kind, self.tz)

    def trailing(self, count: int) -> list["Period"]:
        """The last ``count`` periods ending with this one, oldest first."""
        return [self.shift(-i) for i in range(count - 1, -1, -1)]

    def with_tz(self, tz: str) -> "Period":
        return Period(self.first_month, self.kind, _check_tz(tz))

    @staticmethod
    def range(first: "Period", last: "Period") -> list["Period"]:
        """Every period from ``first`` to ``last`` inclusive (same kind)."""
        if first.kind != last.kind:
            raise PeriodError(f"{first} and {last} are not periods of the same kind")
        steps = (last.first_month - first.first_month) // first.months
        return [first.shift(i) for i in range(steps + 1)]


def _local_midnight(month_index: int, tz: str) -> datetime:
    year, month0 = divmod(month_index, 12)
    return datetime(year, month0 + 1, 1, tzinfo=ZoneInfo(tz))


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=timezone.utc)


def _check_tz(tz: str) -> str:
    try:
        ZoneInfo(tz)
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError for bad keys
        raise PeriodError(f"unknown time zone {tz!r} (use an IANA name such as Europe/Moscow)") from exc
    return tz
