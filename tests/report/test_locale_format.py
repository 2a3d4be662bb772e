"""Numbers, money, rates, changes and dates per locale (Babel), nulls as a dash."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scorecard.report.locale_format import DASH, MINUS, NBSP, LocaleFormat
from transforms.periods import Period

RU = LocaleFormat("ru", "RUB")
EN = LocaleFormat("en", "RUB")


def test_grouping_and_decimal_separators_follow_the_locale() -> None:
    assert RU.number(12345.6, 1) == f"12{NBSP}345,6"
    assert EN.number(12345.6, 1) == "12,345.6"
    assert RU.number(-1234.5, 1) == f"{MINUS}1{NBSP}234,5"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_a_missing_value_is_a_dash_in_every_unit(missing: float | None) -> None:
    units = ("currency", "pct", "count", "ratio", "months", "score", "minutes", "hours",
             "per_1000", "per_agent", "pp", "nps")
    assert {RU.kpi_value(unit, missing) for unit in units} == {DASH}
    assert RU.change("pct", missing, 50.0) == DASH
    assert RU.change("count", 10.0, missing) == DASH


def test_money_scales_with_the_amount() -> None:
    assert RU.money(48_250_000) == f"48,25{NBSP}млн{NBSP}₽"
    assert EN.money(48_250_000) == f"RUB{NBSP}48.25M"
    assert RU.money(12_345.6) == f"12{NBSP}346{NBSP}₽"  # whole roubles from 1,000
    assert EN.money(12_345.6) == f"RUB{NBSP}12,346"  # a letter symbol gets a space
    assert RU.money(961.4) == f"961,40{NBSP}₽"
    assert LocaleFormat("en", "USD").money(12_345.6) == "$12,346"


def test_rates_and_units() -> None:
    assert RU.kpi_value("pct", 87.54) == f"87,5{NBSP}%"
    assert EN.kpi_value("pct", 87.54) == "87.5%"
    assert RU.kpi_value("minutes", 14.5) == f"14,5{NBSP}мин"
    assert EN.kpi_value("hours", 6.8) == f"6.8{NBSP}h"
    assert EN.kpi_value("pp", -6.84) == f"{MINUS}6.8{NBSP}pp"
    assert RU.kpi_value("count", 24_870) == f"24{NBSP}870"


def test_changes_are_points_for_rates_and_percentages_for_amounts() -> None:
    assert RU.change("pct", 86.4, 83.1) == f"+3,3{NBSP}п.п."  # 86.4 − 83.1 = 3.3 points
    assert EN.change("nps", 41.7, 43.9) == f"{MINUS}2.2"  # 41.7 − 43.9 = −2.2 points
    assert EN.change("currency", 110.0, 100.0) == "+10.0%"  # (110 − 100) / 100
    assert EN.change("count", 1_845, 1_285) == "+43.6%"  # 560 / 1285 = 0.4358
    assert EN.change("count", 5, 0) == DASH  # no relative change from zero
    assert EN.change("score", 4.001, 4.0) == "0.00"  # rounds to zero: no sign


def test_periods_and_moments_in_each_language() -> None:
    october = Period.parse("2026-10", "Europe/Moscow")
    assert RU.period(october) == "Октябрь 2026"
    assert EN.period(october) == "October 2026"
    assert EN.period(Period.parse("2026Q3")) == "Q3 2026"
    assert RU.period_short(october) == "окт."
    generated = datetime(2026, 11, 2, 6, 15, tzinfo=UTC)  # 09:15 in Moscow (UTC+3)
    assert RU.moment(generated, "Europe/Moscow") == "2 нояб. 2026\u202fг., 09:15 (Europe/Moscow)"
    assert EN.moment(generated, "Europe/Moscow") == "Nov 2, 2026, 09:15 (Europe/Moscow)"


def test_axis_ticks_are_short() -> None:
    assert RU.tick("currency", 48_000_000) == f"48{NBSP}млн"
    assert EN.tick("pct", 85.0) == "85%"
    assert EN.tick("score", 4.25) == "4.25"
