"""Pulling tables and queries from a real PostgreSQL server (a throwaway cluster)."""

from __future__ import annotations

import logging

import polars as pl
import psycopg
import pytest
from polars.testing import assert_frame_equal

from scorecard.errors import ConfigError, InputError
from scorecard.sources import SourcesSettings, pull, read_entities
from transforms.periods import Period

from .conftest import PG_PASSWORD, TICKETS_QUERY
from .exports import assert_archive_intact, assert_one_line, write_exports

OCTOBER = Period.parse("2026-10")


def pg_settings(**entities) -> SourcesSettings:
    return SourcesSettings.model_validate(
        {"kind": "postgres", "tickets": {"query": TICKETS_QUERY}, **entities}
    )


def test_tables_and_a_period_query_read_like_the_csv_exports(
    database, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("SCORECARD_DATABASE_URL", database.url())
    caplog.set_level(logging.DEBUG, logger="scorecard")
    settings = pg_settings()
    manifest = pull(settings, OCTOBER, tmp_path / "run")
    from_db = read_entities(manifest, settings)

    folder_settings = SourcesSettings.for_folder(write_exports(tmp_path / "csv"))
    from_csv = read_entities(pull(folder_settings, OCTOBER, tmp_path / "csv-run"), folder_settings)
    # T0 is before October (UTC) and T9 a test ticket: the query leaves both out.
    for entity, frame in from_csv.frames.items():
        assert_frame_equal(from_db.frames[entity], frame)
    assert "costs" not in from_db.frames  # no costs table: an optional entity is absent
    assert from_db.problems.is_empty()

    uris = {e.entity: e.source_uri for e in manifest.files}
    assert uris["customers"] == f"postgresql://127.0.0.1:{database.port}/postgres?table=customers"
    assert uris["tickets"].startswith(
        f"postgresql://127.0.0.1:{database.port}/postgres?query=sha256:"
    )
    assert_archive_intact(manifest, {})
    manifest_text = (tmp_path / "run" / "archive" / "manifest.json").read_text()
    assert PG_PASSWORD not in manifest_text and PG_PASSWORD not in caplog.text


def test_the_archive_holds_the_exact_rows_read(database, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_DATABASE_URL", database.url())
    manifest = pull(pg_settings(), OCTOBER, tmp_path / "run")
    archived = pl.read_parquet(manifest.path_of(manifest.for_entity("tickets")[0]))
    with psycopg.connect(database.url()) as connection:
        cursor = connection.execute(
            TICKETS_QUERY, {"period_start": OCTOBER.start_utc, "period_end": OCTOBER.end_utc}
        )
        rows = cursor.fetchall()
    assert archived.columns[-1] == "internal_note"  # every column read, extra ones too
    assert archived.rows() == rows


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("wrong-password", "cannot read from PostgreSQL (OperationalError: connection failed:"),
        ("malformed", 'cannot read from PostgreSQL (ProgrammingError: missing "=" after'),
    ],
)
def test_connection_failures_never_show_the_password(database, tmp_path, monkeypatch, url, message):
    urls = {
        "wrong-password": database.url(password=PG_PASSWORD + "x"),
        "malformed": database.url().replace("postgresql://", "postgresql//"),
    }
    monkeypatch.setenv("SCORECARD_DATABASE_URL", urls[url])
    with pytest.raises(InputError) as caught:
        pull(pg_settings(), OCTOBER, tmp_path / "run")
    text = str(caught.value)
    assert message in text
    assert PG_PASSWORD not in text and urls[url] not in text
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert_one_line(text)


def test_a_missing_table_and_a_missing_url(database, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_DATABASE_URL", database.url())
    with pytest.raises(InputError, match=r"\?table=crm.agents: table not found — create it or set"):
        pull(pg_settings(agents={"table": "crm.agents"}), OCTOBER, tmp_path / "run")

    monkeypatch.delenv("SCORECARD_DATABASE_URL")
    with pytest.raises(ConfigError, match="environment variable SCORECARD_DATABASE_URL is not set"):
        pull(pg_settings(), OCTOBER, tmp_path / "run2")


def test_the_url_comes_from_the_named_variable(database, tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DB", database.url())
    settings = pg_settings(postgres={"url_env": "CRM_DB"})
    frames = read_entities(pull(settings, OCTOBER, tmp_path / "run"), settings).frames
    assert frames["tickets"]["ticket_id"].to_list() == ["T1", "T2"]
