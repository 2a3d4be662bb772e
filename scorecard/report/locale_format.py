"""Numbers, percentages, money, periods and dates written the way a reader of the language expects.

Everything the report prints passes through here, so a null is always "—" and a
Russian reader always sees "12 345,6" while an English one sees "12,345.6".
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    get_currency_symbol,
)

from scorecard.report.model import Language
from transforms.catalogue import Unit
from transforms.periods import Period

DASH = "—"
MINUS = "\u2212"
NBSP = "\u00a0"

# Changes of these units are differences in the unit itself (percentage points, points);
# every other unit changes by a relative percentage.
ABSOLUTE_CHANGE_UNITS: frozenset[str] = frozenset({"pct", "pp", "nps", "score"})

_DECIMALS: dict[str, int] = {
    "pct": 1, "pp": 1, "count": 0, "ratio": 2, "months": 1, "score": 2, "minutes": 1,
    "hours": 1, "per_1000": 2, "per_agent": 1, "nps": 1,
}
_SUFFIX: dict[str, dict[Language, str]] = {
    "months": {"ru": "мес.", "en": "mo"},
    "minutes": {"ru": "мин", "en": "min"},
    "hours": {"ru": "ч", "en": "h"},
    "pp": {"ru": "п.п.", "en": "pp"},
}


def is_missing(value: float | None) -> bool:
    """True for a null or NaN value: both print as a dash."""
    return value is None or (isinstance(value, float) and math.isnan(value))


class LocaleFormat:
    """Formats values for one language and one reporting currency."""

    def __init__(self, language: Language, currency: str) -> None:
        self.language = language
        self.currency = currency
        self._locale = Locale.parse(language)

    # --- plain numbers ------------------------------------------------------------
    def number(self, value: float | None, decimals: int = 0) -> str:
        if is_missing(value):
            return DASH
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(value, format=pattern, locale=self._locale)
        return text.replace("-", MINUS)

    def count(self, value: float | None) -> str:
        return self.number(value, 0)

    def percent(self, value: float | None, decimals: int = 1) -> str:
        """``value`` is already a percentage (0–100), as every rate in the catalogue."""
        if is_missing(value):
            return DASH
        number = self.number(value, decimals)
        pattern = self._locale.percent_formats[None].pattern  # "#,##0 %" or "#,##0%"
        return pattern.replace("#,##0", number)

    def money(self, value: float | None) -> str:
        """"48,25 млн ₽" from a million up, whole units from 1,000, kopecks/cents below."""
        if is_missing(value):
            return DASH
        if abs(value) >= 1_000_000:
            text = format_compact_currency(
                value, self.currency, locale=self._locale, fraction_digits=2
            )
        else:
            decimals = 0 if abs(value) >= 1000 else 2
            text = format_currency(
                value, self.currency, format=self._currency_pattern(decimals),
                locale=self._locale, currency_digits=False,
            )
        return self._space_letter_symbol(text).replace("-", MINUS)

    # --- KPI values and their changes ---------------------------------------------
    def kpi_value(self, unit: Unit, value: float | None) -> str:
        if is_missing(value):
            return DASH
        if unit == "currency":
            return self.money(value)
        if unit == "pct":
            return self.percent(value, _DECIMALS["pct"])
        text = self.number(value, _DECIMALS[unit])
        if unit == "pp":
            text = self._signed(value, text)
        suffix = _SUFFIX.get(unit)
        return f"{text}{NBSP}{suffix[self.language]}" if suffix else text

    def change(self, unit: Unit, value: float | None, reference: float | None) -> str:
        """The change from ``reference`` to ``value``: "+1,2 п.п." for rates, "+4,5 %" otherwise."""
        if is_missing(value) or is_missing(reference):
            return DASH
        if unit in ABSOLUTE_CHANGE_UNITS:
            difference = value - reference
            decimals = _DECIMALS[unit]
            text = self._signed(difference, self.number(abs(difference), decimals))
            suffix = _SUFFIX["pp"][self.language] if unit in ("pct", "pp") else ""
            return f"{text}{NBSP}{suffix}" if suffix else text
        if reference == 0:
            return DASH
        relative = (value - reference) / abs(reference) * 100
        return self._signed(relative, self.percent(abs(relative), 1))

    def tick(self, unit: Unit, value: float) -> str:
        """A short axis label: "12,3 млн", "85 %", "4,25"."""
        if abs(value) >= 10_000:
            text = format_compact_decimal(
                value, format_type="short", locale=self._locale, fraction_digits=1
            )
            return text.replace("-", MINUS)
        if unit == "pct":
            return self.percent(value, 0 if float(value).is_integer() else 1)
        decimals = next(d for d in (0, 1, 2) if round(value, d) == round(value, 2))
        return self.number(value, decimals)

    # --- periods and dates --------------------------------------------------------
    def period(self, period: Period) -> str:
        """"Октябрь 2026", "Q3 2026", "2026"."""
        first_day = period.start.date()
        if period.kind == "month":
            text = format_date(first_day, "LLLL yyyy", locale=self._locale)
        elif period.kind == "quarter":
            text = format_date(first_day, "QQQ yyyy", locale=self._locale)
        else:
            text = str(period.year)
        return text[:1].upper() + text[1:]

    def period_short(self, period: Period) -> str:
        """An axis label: "окт.", "Q3", "2026"."""
        first_day = period.start.date()
        if period.kind == "month":
            return format_date(first_day, "LLL", locale=self._locale)
        if period.kind == "quarter":
            return format_date(first_day, "QQQ", locale=self._locale)
        return str(period.year)

    def moment(self, instant: datetime, tz: str) -> str:
        """A date and time in the reporting zone, with the zone named."""
        local = instant.astimezone(ZoneInfo(tz))
        day = format_skeleton("yMMMd", local, locale=self._locale)
        clock = format_skeleton("Hm", local, locale=self._locale)
        return f"{day}, {clock} ({tz})"

    def day(self, value: date) -> str:
        return format_skeleton("yMMMd", value, locale=self._locale)

    # --- helpers ------------------------------------------------------------------
    def _currency_pattern(self, decimals: int) -> str:
        """The locale's currency pattern with ``decimals`` digits."""
        pattern = self._locale.currency_formats["standard"].pattern.split(";")[0]
        return pattern.replace("0.00", "0" + ("." + "0" * decimals if decimals else ""))

    def _space_letter_symbol(self, text: str) -> str:
        """A letter symbol ("RUB" in English) gets a no-break space before the number, as
        CLDR's alphaNextToNumber rule asks: "RUB 12,345", not "RUB12,345"."""
        symbol = get_currency_symbol(self.currency, locale=self._locale)
        if not symbol[:1].isalpha():
            return text
        return re.sub(rf"{re.escape(symbol)}(?=[\d-])", symbol + NBSP, text)

    @staticmethod
    def _signed(value: float, magnitude_text: str) -> str:
        """``magnitude_text`` with "+" or "−" in front; no sign when it rounds to zero."""
        if not any(ch in "123456789" for ch in magnitude_text):
            return magnitude_text
        return ("+" if value > 0 else MINUS) + magnitude_text.lstrip(MINUS)
