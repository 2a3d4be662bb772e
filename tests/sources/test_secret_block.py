"""Secrets from a Prefect Secret block (needs Prefect's ephemeral server: slow)."""

from __future__ import annotations

import pytest

from scorecard.errors import ConfigError
from scorecard.sources import SourcesSettings, pull, read_entities
from transforms.periods import Period

from .conftest import PG_PASSWORD, TICKETS_QUERY

pytestmark = pytest.mark.slow


def test_the_database_url_comes_from_a_secret_block(database, tmp_path, monkeypatch):
    from prefect.blocks.system import Secret
    from prefect.testing.utilities import prefect_test_harness

    monkeypatch.delenv("SCORECARD_DATABASE_URL", raising=False)
    settings = SourcesSettings.model_validate(
        {
            "kind": "postgres",
            "postgres": {"url_secret_block": "crm-database-url"},
            "tickets": {"query": TICKETS_QUERY},
        }
    )
    with prefect_test_harness(server_startup_timeout=180):
        with pytest.raises(
            ConfigError, match="cannot load Prefect Secret block 'crm-database-url'"
        ):
            pull(settings, Period.parse("2026-10"), tmp_path / "before")
        Secret(value=database.url()).save("crm-database-url")
        manifest = pull(settings, Period.parse("2026-10"), tmp_path / "run")

    assert read_entities(manifest, settings).frames["tickets"]["ticket_id"].to_list() == [
        "T1",
        "T2",
    ]
    assert PG_PASSWORD not in (tmp_path / "run" / "archive" / "manifest.json").read_text()
