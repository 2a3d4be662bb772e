"""Operational KPIs on small hand-written ticket sets; expected values worked out in comments."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

from tests.transforms._og_fixtures import frames, row, run, segments, utc
from transforms import operational
from transforms.catalogue import BY_ID, kpis_of
from transforms.params import MetricParams
from transforms.periods import Period

OCT = Period.parse("2026-10")  # [2026-10-01 00:00Z, 2026-11-01 00:00Z)
OCT_MSK = Period.parse("2026-10", "Europe/Moscow")  # [2026-09-30 21:00Z, 2026-10-31 21:00Z)


def answered(created: str, seconds: float, **columns: object) -> dict:
    """A ticket created at ``created`` (UTC) and first answered ``seconds`` later."""
    created_at = utc(created)
    return {
        "created_at": created_at,
        "first_response_at": created_at + timedelta(seconds=seconds),
        **columns,
    }


def resolved(created: str, hours: float, **columns: object) -> dict:
    """A ticket created at ``created`` (UTC) and resolved ``hours`` later."""
    created_at = utc(created)
    return {"created_at": created_at, "resolved_at": created_at + timedelta(hours=hours), **columns}


def test_rows_follow_the_catalogue_ids_and_dims() -> None:
    tickets = [
        answered("2026-10-05 10:00", 60, channel="chatbot", team="bots", cjm_stage="purchase",
                 resolved_at=utc("2026-10-05 11:00")),
    ]
    rows = run(operational, frames(tickets=tickets), OCT)

    all_rows = rows.filter(pl.col("segment") == "all")
    assert sorted(all_rows["kpi"]) == sorted(k.id for k in kpis_of("operational"))
    assert rows.select("kpi", "segment").is_duplicated().sum() == 0
    for kpi, segment in rows.filter(pl.col("segment") != "all").select("kpi", "segment").rows():
        assert segment.split("=")[0] in BY_ID[kpi].dims
    assert segments(rows, "operational.bot_containment_pct") == {}
    assert segments(rows, "operational.tickets_created") == {
        "channel=chatbot": (1.0, 1), "cjm_stage=purchase": (1.0, 1), "team=bots": (1.0, 1),
    }


def test_created_resolved_and_backlog_counts_with_boundaries_and_segments() -> None:
    tickets = [
        # A: opened before P, resolved in P                    -> resolved
        {"created_at": utc("2026-09-20 10:00"), "resolved_at": utc("2026-10-05 10:00"),
         "channel": "chat", "team": "red"},
        # B: opened before P, never resolved                   -> backlog
        {"created_at": utc("2026-09-25 10:00"), "channel": "email", "team": "red"},
        # C: opened in P, resolved after P                     -> created, backlog
        {"created_at": utc("2026-10-10 10:00"), "resolved_at": utc("2026-11-02 10:00"),
         "channel": "email", "team": "blue"},
        # D: opened and resolved in P                          -> created, resolved
        {"created_at": utc("2026-10-15 10:00"), "resolved_at": utc("2026-10-16 10:00"),
         "channel": "chat"},
        # E: opened exactly at P.end                           -> nothing
        {"created_at": utc("2026-11-01 00:00"), "channel": "phone"},
        # F: resolved just before P.start                      -> nothing
        {"created_at": utc("2026-08-01 10:00"), "resolved_at": utc("2026-09-30 23:59:59"),
         "channel": "chat"},
        # G: opened in P, resolved exactly at P.end            -> created, backlog
        {"created_at": utc("2026-10-31 23:59"), "resolved_at": utc("2026-11-01 00:00"),
         "channel": "phone", "team": "blue"},
        # H: resolved exactly at P.start                       -> resolved
        {"created_at": utc("2026-09-30 23:59"), "resolved_at": utc("2026-10-01 00:00"),
         "channel": "social"},
    ]
    rows = run(operational, frames(tickets=tickets), OCT)

    assert row(rows, "operational.tickets_created") == (3.0, 3)  # C, D, G
    assert row(rows, "operational.tickets_resolved") == (3.0, 3)  # A, D, H
    assert row(rows, "operational.backlog_end") == (3.0, 3)  # B, C, G
    assert segments(rows, "operational.tickets_created") == {
        "channel=email": (1.0, 1), "channel=chat": (1.0, 1), "channel=phone": (1.0, 1),
        "team=blue": (2.0, 2), "team=(none)": (1.0, 1),  # C, G blue; D no team
        "cjm_stage=(none)": (3.0, 3),
    }
    assert segments(rows, "operational.tickets_resolved") == {
        "channel=chat": (2.0, 2), "channel=social": (1.0, 1),  # A, D chat; H social
        "team=red": (1.0, 1), "team=(none)": (2.0, 2),
        "cjm_stage=(none)": (3.0, 3),
    }
    assert segments(rows, "operational.backlog_end") == {
        "channel=email": (2.0, 2), "channel=phone": (1.0, 1),  # B, C email; G phone
        "team=red": (1.0, 1), "team=blue": (2.0, 2),
        "cjm_stage=(none)": (3.0, 3),
    }


def test_created_in_p_is_read_in_the_reporting_time_zone() -> None:
    tickets = [
        {"created_at": utc("2026-09-30 20:55"), "channel": "phone"},  # 23:55 MSK Sep 30
        {"created_at": utc("2026-09-30 21:05"), "channel": "chat"},  # 00:05 MSK Oct 1
        {"created_at": utc("2026-10-31 20:55"), "channel": "email"},  # 23:55 MSK Oct 31
        {"created_at": utc("2026-10-31 21:05"), "channel": "social"},  # 00:05 MSK Nov 1
    ]
    moscow = run(operational, frames(tickets=tickets), OCT_MSK)
    utc_rows = run(operational, frames(tickets=tickets), OCT)

    assert set(segments(moscow, "operational.tickets_created")) == {
        "channel=chat", "channel=email", "cjm_stage=(none)", "team=(none)"}
    assert set(segments(utc_rows, "operational.tickets_created")) == {
        "channel=email", "channel=social", "cjm_stage=(none)", "team=(none)"}
    # backlog at 00:00 MSK Nov 1 = 21:00Z Oct 31: phone, chat, email (social not yet created)
    assert row(moscow, "operational.backlog_end") == (3.0, 3)


def test_frt_median_and_p90_use_exact_fractional_minutes() -> None:
    tickets = [
        answered("2026-10-02 10:00", 90.5, team="red"),  # 1.508333 min
        answered("2026-10-03 10:00", 150, team="red"),  # 2.5 min
        answered("2026-10-04 10:00", 210, team="blue"),  # 3.5 min
        answered("2026-10-05 10:00", 600.6),  # 10.01 min
        {"created_at": utc("2026-10-06 10:00")},  # no first response: not in the base
        answered("2026-09-30 23:00", 7200),  # created before P: not in the base
    ]
    rows = run(operational, frames(tickets=tickets), OCT)

    # sorted 1.508333, 2.5, 3.5, 10.01: median = (2.5 + 3.5) / 2 = 3.0
    assert row(rows, "operational.frt_median_min") == (pytest.approx(3.0), 4)
    # p90 position 0.9 × 3 = 2.7: 3.5 + 0.7 × (10.01 − 3.5) = 8.057 (whole seconds would give 8.05)
    assert row(rows, "operational.frt_p90_min") == (pytest.approx(8.057), 4)
    # red: 1.508333 and 2.5 -> median 2.0041667, p90 1.508333 + 0.9 × 0.991667 = 2.4008333
    assert row(rows, "operational.frt_median_min", "team=red") == (pytest.approx(2.0041667), 2)
    assert row(rows, "operational.frt_p90_min", "team=red") == (pytest.approx(2.4008333), 2)
    assert row(rows, "operational.frt_median_min", "team=blue") == (pytest.approx(3.5), 1)
    # the unanswered ticket is a created ticket but not in the FRT base of team=(none)
    assert row(rows, "operational.frt_median_min", "team=(none)") == (pytest.approx(10.01), 1)


def test_sla_met_breached_and_unknown_at_the_period_end() -> None:
    tickets = [
        answered("2026-10-10 10:00", 300, channel="chat"),  # exactly 5 min: met
        answered("2026-10-10 11:00", 300.000001, channel="chat"),  # 1 µs over 5 min: breach
        # email, no answer, 1440 min later is exactly P.end: breach (created + target <= P.end)
        {"created_at": utc("2026-10-31 00:00"), "channel": "email"},
        # email, no answer, 1440 min later is 1 s past P.end: outcome unknown, left out
        {"created_at": utc("2026-10-31 00:00:01"), "channel": "email"},
        answered("2026-10-10 12:00", 60, channel="fax"),  # no target for fax: left out
        answered("2026-09-30 23:00", 60, channel="chat"),  # created before P: left out
    ]
    data = frames(tickets=tickets)
    rows = run(operational, data, OCT)

    assert row(rows, "operational.sla_frt_pct") == (pytest.approx(100 / 3), 3)  # 1 met of 3
    assert segments(rows, "operational.sla_frt_pct") == {
        "channel=chat": (pytest.approx(50.0), 2),  # 1 of 2
        "channel=email": (0.0, 1),  # 0 of 1; no fax row: its base is empty
        "team=(none)": (pytest.approx(100 / 3), 3),
        "cjm_stage=(none)": (pytest.approx(100 / 3), 3),
    }
    # with a fax target of 2 min the fax ticket (1 min) joins the base and meets it: 2 of 4
    params = MetricParams(sla_frt_minutes={"chat": 5, "email": 1440, "fax": 2})
    assert row(run(operational, data, OCT, params), "operational.sla_frt_pct") == (50.0, 4)


def test_resolution_times_in_hours_over_tickets_resolved_in_p() -> None:
    tickets = [
        resolved("2026-10-02 10:00", 0.5),
        resolved("2026-10-03 10:00", 2),
        resolved("2026-10-04 10:00", 3),
        resolved("2026-10-05 10:00", 24),
        resolved("2026-09-30 00:00", 49.5),  # opened before P, resolved Oct 2 01:30: counts
        resolved("2026-10-30 10:00", 72),  # resolved Nov 2: not in P
        {"created_at": utc("2026-10-06 10:00")},  # open: not in the base
    ]
    rows = run(operational, frames(tickets=tickets), OCT)

    # sorted 0.5, 2, 3, 24, 49.5: median 3
    assert row(rows, "operational.resolution_median_h") == (pytest.approx(3.0), 5)
    # p90 position 0.9 × 4 = 3.6: 24 + 0.6 × (49.5 − 24) = 39.3
    assert row(rows, "operational.resolution_p90_h") == (pytest.approx(39.3), 5)


def test_a_quarter_is_computed_from_raw_rows_not_from_its_months() -> None:
    tickets = [
        resolved("2026-10-02 10:00", 1),
        resolved("2026-10-03 10:00", 2),
        resolved("2026-10-04 10:00", 3),
        resolved("2026-11-04 10:00", 10),
    ]
    data = frames(tickets=tickets)
    quarter = run(operational, data, Period.parse("2026Q4"))
    october = run(operational, data, OCT)
    november = run(operational, data, Period.parse("2026-11"))

    assert row(october, "operational.resolution_median_h")[0] == pytest.approx(2.0)
    assert row(november, "operational.resolution_median_h")[0] == pytest.approx(10.0)
    # quarter: median of 1, 2, 3, 10 = 2.5, not the mean of the monthly medians (2 + 10) / 2 = 6
    assert row(quarter, "operational.resolution_median_h") == (pytest.approx(2.5), 4)


def test_fcr_reopen_aht_and_contacts_per_resolution() -> None:
    day = "2026-10-10 10:00"
    tickets = [
        resolved(day, 1, contacts=1, reopens=0, handle_seconds=300, channel="chat"),
        resolved(day, 1, contacts=2, reopens=0, handle_seconds=450, channel="chat"),
        resolved(day, 1, contacts=1, reopens=1, channel="email"),
        resolved(day, 1, contacts=3, reopens=2, handle_seconds=90, channel="email"),
        resolved("2026-10-31 23:00", 2, contacts=1, reopens=0, handle_seconds=10_000),  # Nov
    ]
    rows = run(operational, frames(tickets=tickets), OCT)

    assert row(rows, "operational.fcr_pct") == (25.0, 4)  # only the first: 1 / 4
    assert row(rows, "operational.reopen_pct") == (50.0, 4)  # third and fourth: 2 / 4
    # (300 + 450 + 90) / 3 / 60 = 280 / 60 min, over the 3 tickets that have handle_seconds
    assert row(rows, "operational.aht_min") == (pytest.approx(280 / 60), 3)
    assert row(rows, "operational.contacts_per_resolution") == (1.75, 4)  # (1+2+1+3) / 4
    assert row(rows, "operational.fcr_pct", "channel=chat") == (50.0, 2)
    assert row(rows, "operational.aht_min", "channel=email") == (pytest.approx(1.5), 1)  # 90 / 60


# 2026-10-01 is a Thursday. Moscow is UTC+3 all year.
OFF_HOURS_TICKETS = [
    answered("2026-10-01 05:59", 20 * 60),  # Thu 08:59 MSK: off-hours, 20 min
    answered("2026-10-01 06:00", 4 * 60),  # Thu 09:00 MSK: business, 4 min
    answered("2026-10-02 14:59", 6 * 60),  # Fri 17:59 MSK: business, 6 min
    answered("2026-10-02 15:00", 30 * 60),  # Fri 18:00 MSK: off-hours, 30 min
    answered("2026-10-03 07:00", 40 * 60),  # Sat 10:00 MSK: off-hours (weekend), 40 min
    {"created_at": utc("2026-10-03 08:00")},  # no first response: not in the base
]


def test_off_hours_frt_ratio_in_the_reporting_time_zone() -> None:
    rows = run(operational, frames(tickets=OFF_HOURS_TICKETS), OCT_MSK)

    # off-hours median of 20, 30, 40 = 30; business median of 4, 6 = 5; 30 / 5 = 6
    assert row(rows, "operational.off_hours_frt_ratio") == (pytest.approx(6.0), 5)


def test_off_hours_follow_the_business_days_and_hours_parameters() -> None:
    params = MetricParams(reporting_tz="Europe/Moscow", business_days=(1, 2, 3, 4, 5, 6))
    rows = run(operational, frames(tickets=OFF_HOURS_TICKETS), OCT_MSK, params)

    # Saturday is a business day now: off-hours 20, 30 -> 25; business 4, 6, 40 -> 6; 25 / 6
    assert row(rows, "operational.off_hours_frt_ratio") == (pytest.approx(25 / 6), 5)


def test_off_hours_frt_ratio_is_null_without_one_group_or_with_a_zero_business_median() -> None:
    only_business = [answered("2026-10-01 06:00", 60)]  # Thu 09:00 MSK
    zero_business = [answered("2026-10-01 06:00", 0), answered("2026-10-03 07:00", 60)]

    rows = run(operational, frames(tickets=only_business), OCT_MSK)
    assert row(rows, "operational.off_hours_frt_ratio") == (None, 1)
    rows = run(operational, frames(tickets=zero_business), OCT_MSK)
    assert row(rows, "operational.off_hours_frt_ratio") == (None, 2)


def test_bot_containment_counts_chatbot_tickets_resolved_without_an_agent() -> None:
    tickets = [
        resolved("2026-10-10 10:00", 1, channel="chatbot"),
        resolved("2026-10-11 10:00", 1, channel="chatbot"),
        resolved("2026-10-12 10:00", 1, channel="chatbot", agent_id="a1"),
        resolved("2026-10-31 23:00", 2, channel="chatbot"),  # resolved in November
        resolved("2026-10-13 10:00", 1, channel="chat"),  # not a chatbot ticket
    ]
    rows = run(operational, frames(tickets=tickets), OCT)

    assert row(rows, "operational.bot_containment_pct") == (pytest.approx(200 / 3), 3)  # 2 / 3
    assert segments(rows, "operational.bot_containment_pct") == {}


def test_an_empty_period_gives_zero_counts_null_rates_and_no_segments() -> None:
    tickets = [resolved("2026-08-10 10:00", 1, first_response_at=utc("2026-08-10 10:01"))]
    rows = run(operational, frames(tickets=tickets), OCT)

    counts = {"operational.tickets_created", "operational.tickets_resolved",
              "operational.backlog_end"}
    assert rows.height == len(kpis_of("operational"))
    for kpi, segment, value, n in rows.rows():
        assert (segment, n) == ("all", 0)
        assert value == (0.0 if kpi in counts else None)
