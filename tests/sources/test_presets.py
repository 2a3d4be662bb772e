"""The shipped presets on realistic sample exports (tests/sources/samples/)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from scorecard.sources import SourcesSettings, pull, read_entities
from transforms.periods import Period
from transforms.schema import polars_schema

from .exports import assert_archive_intact, write_exports

SAMPLES = Path(__file__).parent / "samples"
OCTOBER = Period.parse("2026-10", "Europe/Moscow")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_zendesk_export_becomes_canonical_tickets(tmp_path):
    sample = SAMPLES / "zendesk_tickets_2026-10.json"
    settings = SourcesSettings.model_validate(
        {
            "path": str(write_exports(tmp_path / "src", skip=("tickets",))),
            "tickets": {"preset": "zendesk_tickets", "path": str(sample)},
        }
    )
    manifest = pull(settings, OCTOBER, tmp_path / "run")
    result = read_entities(manifest, settings)

    tickets = result.frames["tickets"]
    assert tickets.schema == polars_schema("tickets")
    # 7 listed: 104 is deleted, 105 is listed twice (its last version, solved, is kept).
    assert tickets["ticket_id"].to_list() == ["101", "102", "103", "106", "105"]
    rows = {row["ticket_id"]: row for row in tickets.to_dicts()}

    # 101: email; reply 30 min after 06:00Z; solved 120 min after; 1 reply -> 1 contact.
    assert rows["101"] == {
        "ticket_id": "101",
        "customer_id": "9001",
        "channel": "email",
        "created_at": utc(2026, 10, 1, 6, 0),
        "first_response_at": utc(2026, 10, 1, 6, 30),
        "resolved_at": utc(2026, 10, 1, 8, 0),
        "agent_id": "501",
        "team": "77",
        "category": "question",
        "cjm_stage": None,
        "is_complaint": False,
        "contacts": 1,
        "reopens": 0,
        "handle_seconds": None,
    }
    # 102: whatsapp -> messenger; 10:15+03:00 = 07:15Z; +5 min; closed 2880 min = 2 days later;
    # no type -> first tag; tagged complaint; 3 replies -> 1 + (3 - 1) = 3 contacts; 1 reopen.
    assert rows["102"]["channel"] == "messenger"
    assert rows["102"]["created_at"] == utc(2026, 10, 2, 7, 15)
    assert rows["102"]["first_response_at"] == utc(2026, 10, 2, 7, 20)
    assert rows["102"]["resolved_at"] == utc(2026, 10, 4, 7, 15)
    assert (rows["102"]["category"], rows["102"]["is_complaint"]) == ("delivery", True)
    assert (rows["102"]["contacts"], rows["102"]["reopens"]) == (3, 1)
    # 103: voice -> phone, anonymous, open: no reply time, not resolved; 0 replies -> 1 contact.
    assert (rows["103"]["channel"], rows["103"]["customer_id"]) == ("phone", None)
    assert (rows["103"]["first_response_at"], rows["103"]["resolved_at"]) == (None, None)
    assert (rows["103"]["contacts"], rows["103"]["reopens"]) == (1, 0)
    # 105: facebook -> social; last version: solved by agent 503, 60 min after 08:00Z.
    assert (rows["105"]["channel"], rows["105"]["agent_id"]) == ("social", "503")
    assert rows["105"]["resolved_at"] == utc(2026, 10, 4, 9, 0)
    assert rows["105"]["contacts"] == 2
    # 106: a channel the preset does not map is kept for validation to report; no metric set.
    assert (rows["106"]["channel"], rows["106"]["contacts"], rows["106"]["reopens"]) == (
        "slack",
        None,
        None,
    )

    assert result.problems.filter(pl.col("entity") == "tickets").is_empty()
    assert result.files["tickets"] == "zendesk_tickets_2026-10.json"
    assert_archive_intact(manifest, {sample.name: sample.read_bytes()})


def test_wide_survey_export_becomes_one_row_per_answer(tmp_path):
    sample = SAMPLES / "wide_survey_2026-10.csv"  # Windows-1251, ';', CRLF, naive Moscow times
    settings = SourcesSettings.model_validate(
        {
            "path": str(write_exports(tmp_path / "src", skip=("survey_responses",))),
            "survey_responses": {
                "preset": "wide_survey",
                "path": str(sample),
                "wide_survey": {"channel_column": "Канал"},
                "mapping": {
                    "source_timezone": "Europe/Moscow",
                    "values": {"channel": {"Телефон": "phone", "Чат": "chat", "Email": "email"}},
                },
            },
        }
    )
    manifest = pull(settings, OCTOBER, tmp_path / "run")
    result = read_entities(manifest, settings)

    responses = result.frames["survey_responses"]
    assert responses.schema == polars_schema("survey_responses")
    # Moscow is UTC+3: 14:22 -> 11:22Z, 09:05 -> 06:05Z, 18:40 -> 15:40Z, 23:59 -> 20:59Z.
    # R-004 answered nothing: no row. The comment goes to the first answered question.
    assert responses.select(
        "response_id", "survey", "score", "submitted_at", "channel", "comment"
    ).rows() == [
        ("R-001-csat", "csat", 5, utc(2026, 10, 3, 11, 22), "phone", "Всё отлично, спасибо"),
        ("R-001-ces", "ces", 4, utc(2026, 10, 3, 11, 22), "phone", None),
        ("R-001-nps", "nps", 9, utc(2026, 10, 3, 11, 22), "phone", None),
        ("R-002-csat", "csat", 2, utc(2026, 10, 4, 6, 5), "chat", "Долго ждал ответа"),
        ("R-002-nps", "nps", 3, utc(2026, 10, 4, 6, 5), "chat", None),
        ("R-003-nps", "nps", 10, utc(2026, 10, 5, 15, 40), None, None),
        ("R-005-csat", "csat", 4, utc(2026, 10, 7, 20, 59), "chat", "Хорошо; быстро"),
        ("R-005-ces", "ces", None, utc(2026, 10, 7, 20, 59), "chat", None),
        ("R-005-nps", "nps", 8, utc(2026, 10, 7, 20, 59), "chat", None),
    ]
    # The unreadable answer is row 7 of the frame, respondent row 4 of the file.
    assert result.problems.rows(named=True) == [
        {
            "entity": "survey_responses",
            "file": "wide_survey_2026-10.csv",
            "row_number": 7,
            "source_row": 4,
            "column": "score",
            "raw_value": "отлично",
            "rule": "unparseable integer",
        }
    ]
    assert_archive_intact(manifest, {sample.name: sample.read_bytes()})
