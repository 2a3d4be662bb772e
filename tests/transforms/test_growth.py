"""Growth & learning KPIs on small hand-written sets; expected values worked out in comments."""

from __future__ import annotations

import pytest

from tests.transforms._og_fixtures import frames, row, run, utc
from transforms import growth
from transforms.catalogue import kpis_of
from transforms.params import MetricParams
from transforms.periods import Period

OCT = Period.parse("2026-10")  # [2026-10-01 00:00Z, 2026-11-01 00:00Z)
OCT_MSK = Period.parse("2026-10", "Europe/Moscow")  # [2026-09-30 21:00Z, 2026-10-31 21:00Z)

AGENTS = [
    # a1: there all along                                   -> at start, at end
    {"agent_id": "a1", "hired_at": utc("2026-01-01 00:00")},
    # a2: hired exactly at P.start                          -> hire; at end only
    {"agent_id": "a2", "hired_at": utc("2026-10-01 00:00")},
    # a3: left exactly at P.start                           -> leaver; at start only
    {"agent_id": "a3", "hired_at": utc("2025-05-01 00:00"), "left_at": utc("2026-10-01 00:00")},
    # a4: left exactly at P.end                             -> at start and at end, not a leaver
    {"agent_id": "a4", "hired_at": utc("2026-03-01 00:00"), "left_at": utc("2026-11-01 00:00")},
    # a5: hired exactly at P.end                            -> nothing
    {"agent_id": "a5", "hired_at": utc("2026-11-01 00:00")},
    # a6: hired and left inside P                           -> hire and leaver
    {"agent_id": "a6", "hired_at": utc("2026-10-10 00:00"), "left_at": utc("2026-10-20 00:00")},
    # a7: gone before P                                     -> nothing
    {"agent_id": "a7", "hired_at": utc("2024-01-01 00:00"), "left_at": utc("2026-09-30 00:00")},
]
# at P.start: a1, a3, a4 = 3; at P.end: a1, a2, a4 = 3; average headcount 3;
# active at start or end: a1, a2, a3, a4 = 4


def test_rows_follow_the_catalogue_ids() -> None:
    rows = run(growth, frames(agents=AGENTS), OCT)

    assert sorted(rows["kpi"]) == sorted(k.id for k in kpis_of("growth"))
    assert set(rows["segment"]) == {"all"}


def test_headcount_hires_leavers_and_attrition_at_the_period_boundaries() -> None:
    rows = run(growth, frames(agents=AGENTS), OCT)

    assert row(rows, "growth.headcount_end") == (3.0, 3)  # a1, a2, a4
    assert row(rows, "growth.hires") == (2.0, 2)  # a2, a6
    assert row(rows, "growth.leavers") == (2.0, 2)  # a3, a6
    assert row(rows, "growth.attrition_pct") == (pytest.approx(200 / 3), 4)  # 2 / 3 × 100


def test_hires_and_leavers_are_read_in_the_reporting_time_zone() -> None:
    agents = [
        {"agent_id": "x", "hired_at": utc("2026-09-30 21:00")},  # Oct 1 00:00 MSK
        {"agent_id": "y", "hired_at": utc("2026-01-01 00:00"),
         "left_at": utc("2026-10-31 21:00")},  # Nov 1 00:00 MSK
    ]
    moscow = run(growth, frames(agents=agents), OCT_MSK)
    utc_rows = run(growth, frames(agents=agents), OCT)

    # Moscow: x hired at P.start (a hire), y leaves at P.end (still counted at the end)
    assert row(moscow, "growth.hires") == (1.0, 1)
    assert row(moscow, "growth.leavers") == (0.0, 0)
    assert row(moscow, "growth.headcount_end") == (2.0, 2)
    # UTC: x was hired before Oct 1 00:00Z, y left inside October
    assert row(utc_rows, "growth.hires") == (0.0, 0)
    assert row(utc_rows, "growth.leavers") == (1.0, 1)
    assert row(utc_rows, "growth.headcount_end") == (1.0, 1)


def test_training_hours_and_tickets_per_agent_divide_by_the_average_headcount() -> None:
    trainings = [
        {"agent_id": "a1", "completed_at": utc("2026-10-05 12:00"), "hours": 4.0},
        {"agent_id": "a2", "completed_at": utc("2026-10-31 23:59"), "hours": 2.5},
        {"agent_id": "a1", "completed_at": utc("2026-11-01 00:00"), "hours": 8.0},  # November
        {"agent_id": "a4", "completed_at": utc("2026-09-30 23:59"), "hours": 8.0},  # September
    ]
    tickets = [
        {"created_at": utc("2026-09-28 10:00"), "resolved_at": utc("2026-10-01 00:00")},
        {"created_at": utc("2026-10-05 10:00"), "resolved_at": utc("2026-10-06 10:00")},
        {"created_at": utc("2026-10-30 10:00"), "resolved_at": utc("2026-10-31 23:59")},
        {"created_at": utc("2026-10-30 10:00"), "resolved_at": utc("2026-11-01 00:00")},  # Nov
        {"created_at": utc("2026-10-30 10:00")},  # open
    ]
    rows = run(growth, frames(agents=AGENTS, trainings=trainings, tickets=tickets), OCT)

    assert row(rows, "growth.training_hours_per_agent") == (pytest.approx(6.5 / 3), 4)
    assert row(rows, "growth.tickets_per_agent") == (1.0, 4)  # 3 resolved / 3


def test_enps_uses_the_nps_bands_over_enps_responses_in_p() -> None:
    responses = [
        {"survey": "enps", "score": score, "submitted_at": utc("2026-10-15 12:00")}
        for score in (10, 9, 9, 7, 3)
    ] + [
        {"survey": "csat", "score": 1, "submitted_at": utc("2026-10-15 12:00")},  # not enps
        {"survey": "enps", "score": 0, "submitted_at": utc("2026-11-01 00:00")},  # November
    ]
    rows = run(growth, frames(survey_responses=responses), OCT)

    # promoters 10, 9, 9 = 3; detractor 3 = 1; 100 × (3 − 1) / 5 = 40
    assert row(rows, "growth.enps") == (pytest.approx(40.0), 5)


def test_enps_can_be_negative() -> None:
    responses = [
        {"survey": "enps", "score": score, "submitted_at": utc("2026-10-15 12:00")}
        for score in (0, 5, 9)
    ]
    rows = run(growth, frames(survey_responses=responses), OCT)

    assert row(rows, "growth.enps") == (pytest.approx(-100 / 3), 3)  # 100 × (1 − 2) / 3


GAP_AGENTS = [
    {"agent_id": "n1", "hired_at": utc("2026-09-01 00:00")},
    {"agent_id": "e1", "hired_at": utc("2026-01-01 00:00")},
    {"agent_id": "e2", "hired_at": utc("2026-07-07 00:00")},
]
GAP_TICKETS = [
    {"ticket_id": "T1", "agent_id": "n1", "created_at": utc("2026-10-05 00:00")},  # 34 days: new
    {"ticket_id": "T2", "agent_id": "e1", "created_at": utc("2026-09-20 00:00")},  # 262 days
    {"ticket_id": "T3", "agent_id": "e2", "created_at": utc("2026-10-05 00:00")},  # exactly 90 d
    {"ticket_id": "T4", "agent_id": "e2", "created_at": utc("2026-10-04 23:59")},  # 89 d 23:59
    {"ticket_id": "T5", "created_at": utc("2026-10-05 00:00")},  # no agent
    {"ticket_id": "T6", "agent_id": "ghost", "created_at": utc("2026-10-05 00:00")},  # unknown
]


def csat(ticket_id: str | None, score: int, submitted: str = "2026-10-15 12:00",
         survey: str = "csat") -> dict:
    return {"survey": survey, "score": score, "ticket_id": ticket_id,
            "submitted_at": utc(submitted)}


GAP_RESPONSES = [
    csat("T1", 5),  # new, satisfied
    csat("T4", 2),  # new
    csat("T2", 4),  # experienced, satisfied
    csat("T3", 3),  # experienced (tenure exactly 90 days is not < 90)
    csat("T2", 1),  # experienced
    csat("T5", 5),  # ticket without an agent: left out
    csat("T6", 5),  # agent not in the agents table: left out
    csat(None, 5),  # no ticket: left out
    csat("T1", 1, submitted="2026-11-01 00:00"),  # November: left out
    csat("T1", 1, survey="nps"),  # not csat: left out
]


def test_new_agent_csat_gap_splits_by_tenure_at_ticket_creation() -> None:
    data = frames(agents=GAP_AGENTS, tickets=GAP_TICKETS, survey_responses=GAP_RESPONSES)
    rows = run(growth, data, OCT)

    # new: 1 of 2 satisfied = 50 %; experienced: 1 of 3 = 33.33 %; gap 16.67 pp over 5
    assert row(rows, "growth.new_agent_csat_gap") == (pytest.approx(50 - 100 / 3), 5)


def test_new_agent_csat_gap_follows_threshold_and_tenure_parameters() -> None:
    data = frames(agents=GAP_AGENTS, tickets=GAP_TICKETS, survey_responses=GAP_RESPONSES)
    params = MetricParams(csat_satisfied_threshold=3, new_agent_tenure_days=91)
    rows = run(growth, data, OCT, params)

    # tenure < 91 days: new = T1 (5), T4 (2), T3 (3) -> 2 of 3 score >= 3 = 66.67 %
    # experienced = T2 (4), T2 (1) -> 1 of 2 = 50 %; gap 16.67 pp
    assert row(rows, "growth.new_agent_csat_gap") == (pytest.approx(200 / 3 - 50), 5)


def test_new_agent_csat_gap_is_null_when_a_group_is_empty() -> None:
    responses = [csat("T2", 5), csat("T2", 3)]  # experienced only
    data = frames(agents=GAP_AGENTS, tickets=GAP_TICKETS, survey_responses=responses)
    rows = run(growth, data, OCT)

    assert row(rows, "growth.new_agent_csat_gap") == (None, 2)


def test_a_quarter_is_computed_from_raw_rows_not_from_its_months() -> None:
    agents = [
        {"agent_id": "a", "hired_at": utc("2026-01-01 00:00")},
        {"agent_id": "b", "hired_at": utc("2026-01-01 00:00"), "left_at": utc("2026-10-15 00:00")},
        {"agent_id": "c", "hired_at": utc("2026-11-10 00:00")},
        {"agent_id": "d", "hired_at": utc("2026-11-20 00:00")},
    ]
    data = frames(agents=agents)
    quarter = run(growth, data, Period.parse("2026Q4"))
    october = run(growth, data, OCT)
    november = run(growth, data, Period.parse("2026-11"))
    december = run(growth, data, Period.parse("2026-12"))

    # Oct: 1 leaver / ((2 + 1) / 2) = 66.67 %; Nov: 0 / ((1 + 3) / 2) = 0; Dec: 0 / 3 = 0
    monthly = [row(m, "growth.attrition_pct")[0] for m in (october, november, december)]
    assert monthly == [pytest.approx(200 / 3), 0.0, 0.0]
    # Q4: 1 leaver / ((2 at Oct 1 + 3 at Jan 1) / 2) = 40 %, not the monthly mean 22.22 %
    assert row(quarter, "growth.attrition_pct") == (pytest.approx(40.0), 4)


def test_an_empty_period_gives_zero_counts_and_null_rates() -> None:
    agents = [{"agent_id": "old", "hired_at": utc("2020-01-01"), "left_at": utc("2021-01-01")}]
    rows = run(growth, frames(agents=agents), OCT)

    counts = {"growth.headcount_end", "growth.hires", "growth.leavers"}
    assert rows.height == len(kpis_of("growth"))
    for kpi, _segment, value, n in rows.rows():
        assert n == 0
        assert value == (0.0 if kpi in counts else None)
