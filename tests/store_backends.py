"""Shared by the store, delivery and crash-safety tests: one store per backend, big synthetic periods.

A pytest plugin (registered in tests/conftest.py), so its fixtures need no import.

``store_settings`` is parametrized over both backends: a DuckDB file in the test's
temporary folder, and a fresh database in the session's PostgreSQL cluster (its URL
in ``$SCORECARD_STORE_URL``, as a user would set it). Child processes inherit the
environment, so ``open_store(store_settings)`` reaches the same store in them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from scorecard.config import StoreSettings
from scorecard.store import MetricStore, open_store

WORKER = Path(__file__).with_name("store_worker.py")
BACKENDS = ["duckdb", "postgres"]


@pytest.fixture(params=BACKENDS)
def store_settings(request, tmp_path, monkeypatch) -> StoreSettings:
    if request.param == "postgres":
        monkeypatch.setenv("SCORECARD_STORE_URL", request.getfixturevalue("postgres_server").new_database())
    return StoreSettings(path=tmp_path / "var" / "scorecard.duckdb")


@pytest.fixture
def store(store_settings) -> MetricStore:
    return open_store(store_settings)


@pytest.fixture
def another_store(store, request, tmp_path) -> MetricStore:
    """A second, empty store on the same backend as ``store``."""
    if store.location.startswith("postgresql://"):
        return MetricStore(url=request.getfixturevalue("postgres_server").new_database())
    return MetricStore(tmp_path / "another.duckdb")


def synthetic_rows(count: int, value: float) -> pl.DataFrame:
    """``count`` metric rows (kpi × segment) whose values all equal ``value``."""
    index = pl.int_range(count, eager=True)
    return pl.DataFrame(
        {
            "kpi": "kpi." + (index % 50).cast(pl.String),
            "segment": "agent:A" + (index // 50).cast(pl.String),
            "value": pl.repeat(value, count, eager=True),
            "n": index,
            "status": pl.repeat("green", count, eager=True),
        }
    )


def start_worker(*args: object) -> subprocess.Popen[str]:
    """``tests/store_worker.py`` in a child process; its stdout is a pipe of lines."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(worker: subprocess.Popen[str], prefix: str) -> str:
    """The worker's next line, which must start with ``prefix``."""
    assert worker.stdout is not None
    line = worker.stdout.readline()
    if not line.startswith(prefix):
        worker.kill()
        raise AssertionError(f"worker said {line!r}, expected {prefix!r}; stderr: {worker.stderr.read()}")
    return line.strip()
