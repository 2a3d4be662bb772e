"""Pulling from a local folder: canonical exports, monthly drops, snapshots, formats."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import polars as pl
import pytest

from scorecard.errors import InputError
from scorecard.sources import SourcesSettings, pull, read_entities
from transforms.periods import Period
from transforms.schema import REQUIRED_ENTITIES, polars_schema

from .exports import (
    COSTS_CSV,
    TICKETS_HEADER,
    assert_archive_intact,
    assert_one_line,
    sha256,
    write_exports,
    xlsx,
)

OCTOBER = Period.parse("2026-10")
Q3 = Period.parse("2026Q3")


def test_a_folder_of_canonical_exports_reads_back_every_entity(tmp_path):
    folder = write_exports(tmp_path / "src")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    settings = SourcesSettings.for_folder(folder)
    manifest = pull(settings, OCTOBER, tmp_path / "run")
    result = read_entities(manifest, settings)

    assert set(result.frames) == set(REQUIRED_ENTITIES)  # costs: absent, not an error
    for entity, frame in result.frames.items():
        assert frame.schema == polars_schema(entity)
    assert result.files == {e: f"{e}.csv" for e in REQUIRED_ENTITIES}
    assert result.problems.is_empty()
    customers = result.frames["customers"]
    # 2025-01-05T10:00+03:00 = 07:00Z; 2026-10-20T12:00+03:00 = 09:00Z
    assert customers["created_at"][0] == datetime(2025, 1, 5, 7, 0, tzinfo=UTC)
    assert customers["churned_at"].to_list() == [None, datetime(2026, 10, 20, 9, 0, tzinfo=UTC)]
    assert result.frames["orders"]["amount"].to_list() == [1500.5, 200.0]
    assert result.frames["survey_responses"]["comment"].to_list() == ["Спасибо!", None]

    written = json.loads(
        (tmp_path / "run" / "archive" / "manifest.json").read_text(encoding="utf-8")
    )
    assert [f["entity"] for f in written["files"]] == list(REQUIRED_ENTITIES)
    assert written["files"][0]["source_uri"] == str((folder / "customers.csv").resolve())
    assert_archive_intact(manifest, {name: data for name, (data, _) in before.items()})
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_an_optional_export_is_read_when_present(tmp_path):
    folder = write_exports(tmp_path / "src")
    (folder / "costs.csv").write_text(COSTS_CSV, encoding="utf-8")
    settings = SourcesSettings.for_folder(folder)
    result = read_entities(pull(settings, OCTOBER, tmp_path / "run"), settings)
    assert result.frames["costs"].rows() == [("2026-10", "support", 250000.0)]


def test_a_missing_required_export_stops_the_pull(tmp_path):
    folder = write_exports(tmp_path / "src", skip=("agents",))
    with pytest.raises(InputError) as caught:
        pull(SourcesSettings.for_folder(folder), OCTOBER, tmp_path / "run")
    assert str(caught.value) == (
        f"{(folder / 'agents.csv').resolve()}: export not found — put agents.csv "
        "(or .parquet, .jsonl, .xlsx) there, or set path/template in [sources.agents]"
    )


def test_two_exports_of_one_entity_are_ambiguous(tmp_path):
    folder = write_exports(tmp_path / "src")
    pl.read_csv(folder / "orders.csv").write_parquet(folder / "orders.parquet")
    with pytest.raises(InputError, match="several exports of orders: orders.csv, orders.parquet"):
        pull(SourcesSettings.for_folder(folder), OCTOBER, tmp_path / "run")


def quarter_of_tickets(folder, months=("2026-07", "2026-08", "2026-09")) -> None:
    for index, month in enumerate(months):
        rows = [
            f"T{index}{n},C1,chat,{month}-1{n}T10:00:00Z,,,A1,north,x,,false,1,0,60"
            for n in range(index + 1)
        ]
        (folder / f"tickets_{month}.csv").write_text(
            "\n".join([TICKETS_HEADER, *rows]) + "\n", encoding="utf-8"
        )


def test_a_quarter_pulls_every_monthly_drop_in_order(tmp_path):
    folder = write_exports(tmp_path / "src", skip=("tickets",))
    quarter_of_tickets(folder)
    # A bad value in the second file: its row 1 is row 1 + 1 (rows of July) = 2 of the frame.
    august = folder / "tickets_2026-08.csv"
    august.write_text(
        august.read_text().replace("T11,C1,chat,2026-08-11T10:00:00Z", "T11,C1,chat,soon")
    )
    settings = SourcesSettings.model_validate(
        {"path": str(folder), "tickets": {"template": "tickets_{period}.csv"}}
    )
    manifest = pull(settings, Q3, tmp_path / "run")
    result = read_entities(manifest, settings)

    assert [e.name for e in manifest.for_entity("tickets")] == [
        "tickets_2026-07.csv",
        "tickets_2026-08.csv",
        "tickets_2026-09.csv",
    ]
    assert result.frames["tickets"]["ticket_id"].to_list() == [
        "T00",
        "T10",
        "T11",
        "T20",
        "T21",
        "T22",
    ]
    assert (
        result.files["tickets"] == "tickets_2026-07.csv, tickets_2026-08.csv, tickets_2026-09.csv"
    )
    assert result.problems.select(
        "file", "row_number", "source_row", "column", "raw_value"
    ).rows() == [("tickets_2026-08.csv", 2, 1, "created_at", "soon")]


def test_a_missing_monthly_drop_is_named(tmp_path):
    folder = write_exports(tmp_path / "src", skip=("tickets",))
    quarter_of_tickets(folder, months=("2026-07", "2026-09"))
    settings = SourcesSettings.model_validate(
        {"path": str(folder), "tickets": {"template": "tickets_{period}.csv"}}
    )
    with pytest.raises(InputError) as caught:
        pull(settings, Q3, tmp_path / "run")
    assert str(caught.value).startswith(
        f"{(folder / 'tickets_2026-08.csv').resolve()}: export not found"
    )
    assert_one_line(str(caught.value))


def test_an_optional_template_with_no_file_is_absent(tmp_path):
    folder = write_exports(tmp_path / "src")
    settings = SourcesSettings.model_validate(
        {"path": str(folder), "costs": {"template": "costs_{period}.csv"}}
    )
    manifest = pull(settings, OCTOBER, tmp_path / "run")
    assert manifest.for_entity("costs") == []
    assert "costs" not in read_entities(manifest, settings).frames


def test_a_glob_pulls_every_match_and_formats_are_read_alike(tmp_path):
    folder = write_exports(tmp_path / "src", skip=("survey_responses",))
    drops = folder / "surveys"
    drops.mkdir()
    frame = pl.DataFrame(
        {
            "response_id": ["R1", "R2"],
            "survey": ["csat", "nps"],
            "score": [5, 10],
            "submitted_at": [
                datetime(2026, 10, 3, 8, tzinfo=UTC),
                datetime(2026, 10, 4, 8, tzinfo=UTC),
            ],
        }
    )
    frame.write_parquet(drops / "a.parquet")
    frame.with_columns(pl.col("response_id") + "j").write_ndjson(drops / "b.jsonl")
    (drops / "c.xlsx").write_bytes(
        xlsx(
            {
                "Sheet1": [  # Excel has no time zones: naive, read as UTC
                    list(frame.columns),
                    *[[f"{r}x", s, n, t.replace(tzinfo=None)] for r, s, n, t in frame.rows()],
                ]
            }
        )
    )
    settings = SourcesSettings.model_validate(
        {"path": str(folder), "survey_responses": {"glob": "surveys/*"}}
    )
    manifest = pull(settings, OCTOBER, tmp_path / "run")
    result = read_entities(manifest, settings)

    responses = result.frames["survey_responses"]
    assert responses["response_id"].to_list() == ["R1", "R2", "R1j", "R2j", "R1x", "R2x"]
    assert responses["score"].to_list() == [5, 10] * 3
    assert responses["submitted_at"].to_list() == frame["submitted_at"].to_list() * 3
    assert result.problems.is_empty()
    assert {e.sha256 for e in manifest.for_entity("survey_responses")} == {
        sha256(p.read_bytes()) for p in drops.iterdir()
    }


def test_a_glob_without_match_for_a_required_entity(tmp_path):
    folder = write_exports(tmp_path / "src", skip=("trainings",))
    settings = SourcesSettings.model_validate(
        {"path": str(folder), "trainings": {"glob": "lms/*.csv"}}
    )
    with pytest.raises(
        InputError, match="no file matches the pattern — put the export there or fix glob"
    ):
        pull(settings, OCTOBER, tmp_path / "run")


def test_pulling_twice_into_one_run_folder_keeps_the_first_copies(tmp_path):
    folder = write_exports(tmp_path / "src")
    settings = SourcesSettings.for_folder(folder)
    first = pull(settings, OCTOBER, tmp_path / "run")
    (folder / "orders.csv").write_text("order_id,customer_id,ordered_at,amount,currency,status\n")
    second = pull(settings, OCTOBER, tmp_path / "run")

    orders = next(e for e in second.files if e.entity == "orders")
    archived = sorted(os.listdir(tmp_path / "run" / "archive" / "orders"))
    assert len(archived) == 2  # both versions kept, each under its own content address
    assert first.for_entity("orders")[0].archived != orders.archived
    assert_archive_intact(first, {})
