"""validate() on the small data set of _data.py: a clean set, then one bad input per case.

Every case runs Great Expectations for real (one context per process).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest

from scorecard.validation import (
    ValidationOutcome,
    ValidationSettings,
    format_summary_table,
    validate,
)
from tests.validation._data import FILES, PERIOD, copy_of, ts, valid_frames, with_rows, with_value

SETTINGS = ValidationSettings()


def run(frames: dict[str, pl.DataFrame], settings: ValidationSettings = SETTINGS) -> ValidationOutcome:
    return validate(frames, PERIOD, settings, files=FILES)


def quarantined(outcome: ValidationOutcome) -> list[tuple[str, int, str, str]]:
    """(entity, row_number, column, rule) of every quarantined row."""
    return sorted(outcome.quarantine.select("entity", "row_number", "column", "rule").iter_rows())


def critical_lines(outcome: ValidationOutcome) -> list[str]:
    return [finding.message for finding in outcome.findings if finding.severity == "critical"]


def test_a_valid_set_passes_with_nothing_quarantined():
    frames = valid_frames()
    outcome = run(frames)
    assert outcome.quarantine.is_empty()
    assert outcome.findings == []
    assert not outcome.critical
    for entity, frame in frames.items():
        assert outcome.clean[entity].equals(frame)


# --- row rules: quarantined, the run goes on ------------------------------------------
@dataclass(frozen=True)
class BadRow:
    """A copy of a valid row (``template``) with ``changes``, and the rules it must break."""

    entity: str
    template: int
    changes: dict[str, Any]
    rules: tuple[str, ...]


ID_COLUMNS = {
    "customers": "customer_id", "orders": "order_id", "tickets": "ticket_id",
    "agents": "agent_id", "survey_responses": "response_id",
}
BAD_ROWS = [
    BadRow("tickets", 0, {"ticket_id": None}, ("ticket_id is set",)),
    BadRow("survey_responses", 0, {"score": 6}, ("csat score within the csat scale",)),
    BadRow("survey_responses", 2, {"score": 6}, ("ces score within the ces scale",)),
    BadRow("survey_responses", 3, {"score": 11}, ("nps score within the nps scale",)),
    BadRow("survey_responses", 4, {"score": -1}, ("enps score within the enps scale",)),
    BadRow("survey_responses", 1, {"survey": "xsat"}, ("survey is csat, ces, nps or enps",)),
    BadRow("orders", 0, {"amount": -300.0}, ("amount >= 0",)),
    BadRow("orders", 0, {"status": "pending"}, ("status is paid, refunded or cancelled",)),
    BadRow("tickets", 0, {"channel": "fax"}, ("channel is a configured channel",)),
    BadRow("survey_responses", 3, {"channel": "fax"}, ("channel is a configured channel",)),
    BadRow("tickets", 0, {"cjm_stage": "purchasing"}, ("cjm_stage is a customer-journey stage",)),
    # t1 was created 2026-10-01 09:00: a first response or resolution at 08:59 is before it
    BadRow("tickets", 0, {"first_response_at": ts("2026-10-01", "08:59")}, ("first_response_at >= created_at",)),
    BadRow("tickets", 0, {"resolved_at": ts("2026-10-01", "08:59")}, ("resolved_at >= created_at",)),
    # c1 was created 2025-03-01; a1 was hired 2025-01-10
    BadRow("customers", 0, {"churned_at": ts("2025-02-28")}, ("churned_at >= created_at",)),
    BadRow("agents", 0, {"left_at": ts("2025-01-09")}, ("left_at >= hired_at",)),
    BadRow("trainings", 0, {"hours": 0.0}, ("hours > 0",)),
    BadRow("tickets", 1, {"contacts": 0}, ("contacts >= 1",)),
    BadRow("tickets", 1, {"reopens": -1}, ("reopens >= 0",)),
    BadRow("tickets", 0, {"handle_seconds": -5}, ("handle_seconds >= 0",)),
    BadRow("tickets", 1, {"contacts": 0, "reopens": -2}, ("contacts >= 1", "reopens >= 0")),
    # r1 names t1 (created 2026-10-01 09:00) but would be submitted at 08:00
    BadRow("survey_responses", 0, {"submitted_at": ts("2026-10-01", "08:00")}, ("submitted_at >= its ticket's created_at",)),
    BadRow("orders", 0, {"customer_id": "c404"}, ("customer_id exists in customers",)),
    BadRow("trainings", 0, {"agent_id": "a404"}, ("agent_id exists in agents",)),
    BadRow("survey_responses", 1, {"ticket_id": "t404"}, ("ticket_id exists in tickets",)),
    BadRow("costs", 1, {"period": "2026-13"}, ("period is a month YYYY-MM",)),
]


def _planted() -> tuple[dict[str, pl.DataFrame], list[tuple[BadRow, int]]]:
    """The valid set with every bad row appended; each bad row with its row number."""
    frames = valid_frames()
    placed = []
    for number, bad in enumerate(BAD_ROWS):
        id_column = ID_COLUMNS.get(bad.entity)
        changes = {id_column: f"bad-{number}", **bad.changes} if id_column else bad.changes
        placed.append((bad, frames[bad.entity].height))
        frames = with_rows(frames, bad.entity, copy_of(frames, bad.entity, bad.template, **changes))
    return frames, placed


@pytest.fixture(scope="module")
def corpus() -> tuple[ValidationOutcome, list[tuple[BadRow, int]]]:
    frames, placed = _planted()
    return run(frames), placed


@pytest.mark.parametrize("case", range(len(BAD_ROWS)), ids=[f"{b.entity}: {' & '.join(b.rules)}" for b in BAD_ROWS])
def test_a_row_that_breaks_a_row_rule_is_quarantined_with_the_rule(corpus, case):
    outcome, placed = corpus
    bad, row = placed[case]
    mine = outcome.quarantine.filter((pl.col("entity") == bad.entity) & (pl.col("row_number") == row))
    assert sorted(mine.select("column", "rule").rows()) == sorted(
        (column, rule) for column, rule in zip(bad.changes, bad.rules, strict=True)
    )
    assert set(mine.get_column("severity")) == {"critical"}


def test_the_corpus_quarantines_exactly_the_bad_rows_and_the_run_goes_on(corpus):
    outcome, _ = corpus
    assert outcome.quarantine.height == sum(len(bad.rules) for bad in BAD_ROWS)
    for entity, frame in valid_frames().items():
        assert outcome.clean[entity].equals(frame), entity
    assert not outcome.critical
    assert {finding.severity for finding in outcome.findings} == {"warning"}
    contacts = [f for f in outcome.findings if f.rule == "contacts >= 1"]
    assert [f.failed_count for f in contacts] == [2]  # the contacts-only row and the two-rule row


def test_the_quarantine_keeps_the_bad_value_as_text():
    outcome = run(with_value(valid_frames(), "orders", 1, "amount", -300.0))
    assert outcome.quarantine.row(0, named=True) == {
        "entity": "orders", "file": "orders.csv", "row_number": 1, "column": "amount",
        "rule": "amount >= 0", "severity": "critical", "value": "-300.0",
    }


def test_a_row_rule_finding_is_one_line_naming_file_column_rule_and_action():
    outcome = run(with_value(valid_frames(), "tickets", 1, "contacts", 0))
    assert [finding.message for finding in outcome.findings] == [
        ("tickets.csv, column 'contacts': contacts >= 1 — 1 row quarantined (first row_number 1); "
        "count the first contact too (contacts starts at 1)")
    ]


def test_an_extended_channel_list_accepts_the_new_channel():
    frames = with_value(valid_frames(), "tickets", 3, "channel", "fax")
    settings = ValidationSettings(channels=[*SETTINGS.channels, "fax"])
    assert run(frames, settings).quarantine.is_empty()


def test_a_configured_scale_moves_the_bounds():
    frames = with_value(valid_frames(), "survey_responses", 0, "score", 7)  # csat 7: outside 0-5, inside 1-10
    settings = ValidationSettings(survey_scales={**SETTINGS.survey_scales, "csat": (1, 10)})
    outcome = run(frames, settings)
    # r2 scores csat 0, below the new minimum 1; r1's 7 is now fine
    assert quarantined(outcome) == [("survey_responses", 1, "score", "csat score within the csat scale")]


# --- duplicated ids --------------------------------------------------------------------
def test_duplicates_within_the_tolerated_share_quarantine_the_repeats_only():
    # t7 (row 6) again as row 10: 1 repeat among the 10 checked tickets (t10 lies outside
    # the period's window) = 10.0 % <= 10 %
    frames = with_rows(valid_frames(), "tickets", valid_frames()["tickets"][6])
    outcome = run(frames, ValidationSettings(max_duplicate_share=0.10))
    assert quarantined(outcome) == [("tickets", 10, "ticket_id", "ticket_id is unique")]
    assert outcome.clean["tickets"].equals(valid_frames()["tickets"])
    assert not outcome.critical


def test_duplicates_above_the_tolerated_share_stop_the_period():
    # 1 repeat among the 10 checked tickets = 10.0 % > the default 1 %
    frames = with_rows(valid_frames(), "tickets", valid_frames()["tickets"][6])
    outcome = run(frames)
    assert outcome.critical
    assert outcome.quarantine.is_empty()
    assert critical_lines(outcome) == [
        ("tickets.csv, column 'ticket_id': ticket_id is unique — 1 row with a repeated id "
        "(10.0% of 10 rows checked; tolerated 1.0%); export each ticket once")
    ]


# --- file rules: a critical finding, the period stops ----------------------------------
def test_a_foreign_currency_stops_the_period():
    outcome = run(with_value(valid_frames(), "orders", 3, "currency", "USD"))
    assert outcome.critical
    assert critical_lines(outcome) == [
        ("orders.csv, column 'currency': currency is the configured currency — 1 row in breach "
        "(found 'USD'); export amounts in the configured currency or change validation.currency")
    ]
    assert outcome.quarantine.is_empty()


def test_a_missing_column_stops_the_period():
    frames = valid_frames()
    frames["tickets"] = frames["tickets"].drop("contacts")
    outcome = run(frames)
    assert critical_lines(outcome) == [
        ("tickets.csv, column 'contacts': the export has every canonical column — the column is "
        "missing; map the column in the source's mapping or re-export the file with it")
    ]


def test_an_export_without_tickets_in_the_period_stops_it():
    frames = valid_frames()
    frames["tickets"] = frames["tickets"].filter(pl.col("created_at") < PERIOD.start_utc)  # t5, t8, t9, t10
    outcome = run(frames)
    assert critical_lines(outcome) == [
        ("tickets.csv, column 'created_at': the export has tickets created in the period — no row "
        "has created_at in 2026-10 (4 rows in the export); export tickets that cover the whole period")
    ]


def test_an_empty_export_of_a_required_entity_stops_the_period():
    frames = valid_frames()
    frames["survey_responses"] = frames["survey_responses"].clear()
    outcome = run(frames)
    assert critical_lines(outcome) == [
        ("survey.csv, column 'submitted_at': the export has responses submitted in the period — no row "
        "has submitted_at in 2026-10 (0 rows in the export); export survey responses that cover the "
        "whole period")
    ]


def test_an_entity_not_required_for_the_period_may_be_empty():
    frames = valid_frames()
    frames["trainings"] = frames["trainings"].clear()
    assert not run(frames).critical


# --- warnings: reported, the row stays -------------------------------------------------
def test_a_ticket_of_an_unknown_agent_is_a_warning_and_stays():
    frames = with_value(valid_frames(), "tickets", 1, "agent_id", "a404")
    outcome = run(frames)
    assert not outcome.critical
    assert outcome.clean["tickets"].equals(frames["tickets"])
    assert outcome.quarantine.select("row_number", "rule", "severity").rows() == [
        (1, "agent_id exists in agents", "warning")
    ]
    assert [finding.message for finding in outcome.findings] == [
        ("tickets.csv, column 'agent_id': agent_id exists in agents — 1 row flagged and kept "
        "(first row_number 1); add these agents to the HR export (the tickets still count)")
    ]


# --- the period's window ---------------------------------------------------------------
def test_only_rows_that_can_count_in_the_period_are_checked():
    frames = valid_frames()
    frames = with_value(frames, "tickets", 9, "contacts", 0)  # t10: February, no response names it
    frames = with_value(frames, "tickets", 8, "contacts", 0)  # t9: March, but October's r6 names it
    frames = with_value(frames, "tickets", 7, "reopens", -1)  # t8: August, still open (backlog)
    # orders: 12 months before 2026-10 is 2025-10-01 — the first is checked, the second is not
    recent = copy_of(frames, "orders", 0, order_id="o-recent", amount=-1.0, ordered_at=ts("2025-10-01", "00:00"))
    old = copy_of(frames, "orders", 0, order_id="o-old", amount=-1.0, ordered_at=ts("2025-09-30", "23:59"))
    outcome = run(with_rows(frames, "orders", pl.concat([recent, old])))
    assert quarantined(outcome) == [
        ("orders", 5, "amount", "amount >= 0"),
        ("tickets", 7, "reopens", "reopens >= 0"),
        ("tickets", 8, "contacts", "contacts >= 1"),
    ]


# --- summary -----------------------------------------------------------------------------
def test_the_summary_table_has_one_line_per_entity():
    frames = with_value(with_value(valid_frames(), "tickets", 1, "contacts", 0), "orders", 3, "currency", "USD")
    table = format_summary_table(run(frames))
    assert table.splitlines() == [
        "entity            file           rows  quarantined  warnings  critical",
        "customers         customers.csv     4            0         0  no",
        "orders            orders.csv        5            0         0  yes",
        "tickets           tickets.csv      10            1         1  no",
        "agents            agents.csv        3            0         0  no",
        "trainings         trainings.csv     3            0         0  no",
        "survey_responses  survey.csv        6            0         0  no",
        "costs             costs.csv         2            0         0  no",
    ]


def test_data_docs_are_written_only_when_asked(tmp_path):
    frames = valid_frames()
    run_without = validate(frames, PERIOD, ValidationSettings(write_data_docs=True))
    assert run_without.findings == []
    validate(frames, PERIOD, ValidationSettings(), docs_dir=tmp_path / "off")
    assert not (tmp_path / "off").exists()
    validate(frames, PERIOD, ValidationSettings(write_data_docs=True), docs_dir=tmp_path / "docs")
    index = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert "tickets" in index and "survey_responses" in index


# --- values the reader could not parse -------------------------------------------------
def test_values_the_reader_could_not_parse_are_quarantined_with_the_readers_rule():
    frames = with_value(valid_frames(), "tickets", 2, "handle_seconds", None)  # t3 read "12 мин" as null
    problems = pl.DataFrame(
        {
            "entity": ["tickets"], "file": ["tickets.csv"], "row_number": [2], "source_row": [2],
            "column": ["handle_seconds"], "raw_value": ["12 мин"], "rule": ["unparseable integer"],
        }
    )
    outcome = validate(frames, PERIOD, SETTINGS, files=FILES, problems=problems)
    assert outcome.quarantine.rows() == [
        ("tickets", "tickets.csv", 2, "handle_seconds", "unparseable integer", "critical", "12 мин")
    ]
    assert outcome.clean["tickets"].get_column("ticket_id").to_list() == [
        "t1", "t2", "t4", "t5", "t6", "t7", "t8", "t9", "t10",
    ]
    assert [finding.message for finding in outcome.findings] == [
        ("tickets.csv, column 'handle_seconds': unparseable integer — 1 row quarantined (first row_number 2); "
        "correct the value in the export, or its format in the source's mapping")
    ]
