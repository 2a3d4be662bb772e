"""What only the PostgreSQL store has: choosing it by URL, keeping the URL secret.

The behaviour both backends share is tested once for both in tests/test_store.py.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from pg_cluster import PG_PASSWORD, free_port
from polars.testing import assert_frame_equal

from scorecard.config import StoreSettings, load_settings
from scorecard.errors import ConfigError
from scorecard.store import MetricStore, StoreUnavailable, open_store

REPO = Path(__file__).resolve().parent.parent


def test_the_url_in_the_named_variable_selects_postgresql(postgres_server, tmp_path, monkeypatch):
    url = postgres_server.new_database()
    dbname = url.rpartition("/")[2]
    settings = StoreSettings(path=tmp_path / "scorecard.duckdb", url_env="TEAM_METRICS_URL")
    assert open_store(settings).location == str(tmp_path / "scorecard.duckdb")  # variable unset: DuckDB

    monkeypatch.setenv("TEAM_METRICS_URL", url)
    store = open_store(settings)
    assert store.location == f"postgresql://127.0.0.1:{postgres_server.port}/{dbname}"
    assert repr(store) == f"MetricStore({store.location})"
    # backend = "duckdb" keeps the file even when the variable is set.
    pinned = settings.model_copy(update={"backend": "duckdb"})
    assert open_store(pinned).location == str(tmp_path / "scorecard.duckdb")


def test_backend_postgres_without_the_variable_is_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("SCORECARD_STORE_URL", raising=False)
    with pytest.raises(ConfigError) as caught:
        open_store(StoreSettings(path=tmp_path / "s.duckdb", backend="postgres"))
    assert caught.value.line() == (
        "store.backend is 'postgres' but $SCORECARD_STORE_URL is not set — export it with a "
        'postgresql:// URL, or set [store] backend = "duckdb"'
    )


@pytest.mark.parametrize("problem", ["wrong password", "nothing listening"])
def test_an_unreachable_store_is_one_line_without_the_password(problem, postgres_server, caplog):
    caplog.set_level(logging.DEBUG)
    url = (
        postgres_server.url(password="not-" + PG_PASSWORD)
        if problem == "wrong password"
        else f"postgresql://scorecard:{PG_PASSWORD}@127.0.0.1:{free_port()}/postgres"
    )
    with pytest.raises(StoreUnavailable) as caught:
        MetricStore(url=url)
    line = caught.value.line()
    assert line.startswith("postgresql://127.0.0.1:") and "cannot connect to the PostgreSQL store" in line
    assert line.endswith("— check the server and $SCORECARD_STORE_URL")
    assert PG_PASSWORD not in line and "\n" not in line and PG_PASSWORD not in caplog.text


def test_the_command_line_says_one_line_when_the_store_is_down(tmp_path):
    url = f"postgresql://scorecard:{PG_PASSWORD}@127.0.0.1:{free_port()}/metrics"
    done = subprocess.run(
        [sys.executable, "-m", "scorecard.cli", "status"],
        cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "SCORECARD_STORE_URL": url, "PYTHONPATH": str(REPO)},
        check=False,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 5
    assert done.stderr.startswith(f"scorecard: {url.replace(f'scorecard:{PG_PASSWORD}@', '')}: cannot connect")
    assert done.stderr.count("\n") == 1 and PG_PASSWORD not in done.stderr + done.stdout


def test_the_pipeline_stores_the_same_rows_in_postgresql_as_in_duckdb(postgres_server, tmp_path, monkeypatch):
    from scorecard import pipeline
    from scorecard.demo_data import generate_demo, write_demo
    from transforms.periods import Period

    end = Period.parse("2026-10", "Europe/Moscow")
    write_demo(generate_demo(end=end, months=3, seed=11, tickets_per_month=300, tz="Europe/Moscow"),
               tmp_path / "data", fmt="csv")
    config = tmp_path / "scorecard.toml"
    config.write_text(
        '[reporting]\ntimezone = "Europe/Moscow"\n[sources]\npath = "data"\n[store]\npath = "var/scorecard.duckdb"\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    periods = end.trailing(3)
    pipeline.fill_history(settings, periods)  # DuckDB: the variable is unset
    monkeypatch.setenv("SCORECARD_STORE_URL", postgres_server.new_database())
    pipeline.fill_history(settings, periods)

    duck, postgres = MetricStore(settings.store.path), open_store(settings.store)
    assert postgres.location.startswith("postgresql://")
    assert postgres.stored_periods() == duck.stored_periods() == [p.label for p in periods]
    for period in periods:
        stored = postgres.period_values(period.label)
        assert stored.height > 100 and stored["status"].is_not_null().any()
        assert_frame_equal(stored, duck.period_values(period.label))
