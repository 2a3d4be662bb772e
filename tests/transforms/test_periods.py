"""The Period value object: parsing, bounds in real time zones, neighbours and ranges."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.transforms._fc_fixtures import local, utc
from transforms.periods import Period, PeriodError

MSK = "Europe/Moscow"  # UTC+3 all year
NEW_YORK = "America/New_York"  # DST 2026: from 8 March to 1 November


def labels(periods: list[Period]) -> list[str]:
    return [period.label for period in periods]


# --- parsing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "label", "months"),
    [
        ("2026-10", "month", "2026-10", 1),
        ("2026Q3", "quarter", "2026Q3", 3),
        (" 2026q3 ", "quarter", "2026Q3", 3),
        ("2026", "year", "2026", 12),
    ],
)
def test_parse_reads_months_quarters_and_years(text, kind, label, months):
    period = Period.parse(text)
    assert (period.kind, period.label, str(period), period.months) == (kind, label, label, months)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026Q5", "2026Q0", "26-10", "2026-1", "Oct 2026", ""]
)
def test_parse_rejects_what_is_not_a_period(text):
    with pytest.raises(PeriodError, match="not a month"):
        Period.parse(text)


def test_an_unknown_time_zone_is_an_error_naming_it():
    with pytest.raises(PeriodError, match="Mars/Olympus"):
        Period.parse("2026-10", "Mars/Olympus")


def test_a_quarter_starts_on_its_first_month():
    assert Period.parse("2026Q3").start == Period.month(2026, 7).start
    assert labels(Period.parse("2026Q3").month_periods()) == ["2026-07", "2026-08", "2026-09"]


# --- bounds ---------------------------------------------------------------------------


def test_moscow_bounds_are_local_midnights_three_hours_before_utc():
    october = Period.parse("2026-10", MSK)
    assert october.start == datetime(2026, 10, 1, tzinfo=ZoneInfo(MSK))
    assert october.start_utc == utc("2026-09-30 21:00")
    assert october.end_utc == utc("2026-10-31 21:00")


def test_new_york_bounds_follow_daylight_saving_time():
    march = Period.parse("2026-03", NEW_YORK)  # starts in EST (−5), ends in EDT (−4)
    assert (march.start_utc, march.end_utc) == (utc("2026-03-01 05:00"), utc("2026-04-01 04:00"))
    assert march.end_utc - march.start_utc == timedelta(days=31) - timedelta(hours=1)
    november = Period.parse("2026-11", NEW_YORK)  # starts in EDT, ends in EST
    assert (november.start_utc, november.end_utc) == (
        utc("2026-11-01 04:00"),
        utc("2026-12-01 05:00"),
    )


def test_a_quarter_and_a_year_span_their_months():
    q3 = Period.parse("2026Q3", MSK)
    assert (q3.start_utc, q3.end_utc) == (utc("2026-06-30 21:00"), utc("2026-09-30 21:00"))
    year = Period.parse("2026", NEW_YORK)
    assert (year.start_utc, year.end_utc) == (utc("2026-01-01 05:00"), utc("2027-01-01 05:00"))


def test_contains_is_half_open():
    october = Period.parse("2026-10", MSK)
    assert october.contains(october.start)
    assert october.contains(local("2026-10-31 23:59", MSK))
    assert not october.contains(october.end)
    assert not october.contains(utc("2026-09-30 20:59"))


def test_months_before_start_is_a_local_midnight_in_utc():
    assert Period.parse("2026-10", MSK).months_before_start_utc(12) == utc("2025-09-30 21:00")
    # 2026-04 in New York starts in EDT; two months back is 1 February, in EST
    assert Period.parse("2026-04", NEW_YORK).months_before_start_utc(2) == utc("2026-02-01 05:00")
    assert Period.parse("2026Q4").months_before_start_utc(0) == Period.parse("2026Q4").start_utc


# --- neighbours -----------------------------------------------------------------------


def test_month_neighbours_cross_the_year_boundary():
    january = Period.parse("2026-01", MSK)
    assert january.previous() == Period.parse("2025-12", MSK)
    assert january.year_ago() == Period.parse("2025-01", MSK)
    assert labels(Period.parse("2026-02").trailing(3)) == ["2025-12", "2026-01", "2026-02"]


def test_quarter_neighbours():
    q1 = Period.parse("2026Q1")
    assert q1.previous().label == "2025Q4"
    assert q1.year_ago().label == "2025Q1"
    assert labels(q1.trailing(4)) == ["2025Q2", "2025Q3", "2025Q4", "2026Q1"]


def test_year_neighbours():
    year = Period.parse("2026")
    assert year.previous().label == "2025"
    assert year.year_ago().label == "2025"
    assert labels(year.trailing(3)) == ["2024", "2025", "2026"]


def test_neighbours_keep_the_time_zone():
    assert Period.parse("2026-10", MSK).previous().tz == MSK


# --- last complete and ranges ------------------------------------------------------------


def test_last_complete_month_is_read_in_the_reporting_zone():
    now = local("2026-11-01 00:30", MSK)  # still 31 October in UTC
    assert Period.last_complete(now, MSK).label == "2026-10"
    assert Period.last_complete(now, "UTC").label == "2026-09"


def test_last_complete_quarter_and_year():
    now = local("2026-10-01 00:30", MSK)  # still 30 September in UTC
    assert Period.last_complete(now, MSK, "quarter").label == "2026Q3"
    assert Period.last_complete(now, "UTC", "quarter").label == "2026Q2"
    new_year = local("2027-01-01 00:30", MSK)
    assert Period.last_complete(new_year, MSK, "year").label == "2026"
    assert Period.last_complete(new_year, "UTC", "year").label == "2025"


def test_a_naive_now_is_read_as_utc():
    assert Period.last_complete(datetime(2026, 11, 1, 0, 30)).label == "2026-10"
    assert (
        Period.last_complete(datetime(2026, 11, 1, 0, 30, tzinfo=timezone.utc)).label == "2026-10"
    )


def test_range_lists_every_period_inclusive():
    months = Period.range(Period.parse("2025-11"), Period.parse("2026-02"))
    assert labels(months) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    quarters = Period.range(Period.parse("2025Q4"), Period.parse("2026Q2"))
    assert labels(quarters) == ["2025Q4", "2026Q1", "2026Q2"]
    assert labels(Period.range(Period.parse("2026-10"), Period.parse("2026-10"))) == ["2026-10"]


def test_range_refuses_periods_of_different_kinds():
    with pytest.raises(PeriodError, match="same kind"):
        Period.range(Period.parse("2026-01"), Period.parse("2026Q2"))
