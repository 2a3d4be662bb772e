"""The DuckDB store: one transaction per period, history queries, run records."""

from __future__ import annotations

import polars as pl
import pytest

from scorecard.store import MetricStore


def rows(values: dict[str, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kpi": list(values),
            "segment": ["all"] * len(values),
            "value": list(values.values()),
            "n": [10] * len(values),
        },
        schema={"kpi": pl.String, "segment": pl.String, "value": pl.Float64, "n": pl.Int64},
    )


def test_rerun_replaces_the_period_and_leaves_others(tmp_path):
    store = MetricStore(tmp_path / "s.duckdb")
    store.replace_period("2026-09", rows({"a": 1.0, "b": 2.0}), "run-1")
    store.replace_period("2026-10", rows({"a": 3.0, "b": None, "c": 5.0}), "run-2")
    store.replace_period("2026-10", rows({"a": 4.0}), "run-3")
    october = store.period_values("2026-10")
    assert october.select("kpi", "value", "run_id").rows() == [("a", 4.0, "run-3")]
    history = store.history(["2026-09", "2026-10", "2026-11"])
    assert history.select("period", "kpi", "value").rows() == [
        ("2026-09", "a", 1.0), ("2026-09", "b", 2.0), ("2026-10", "a", 4.0),
    ]
    assert store.stored_periods() == ["2026-09", "2026-10"]


def test_a_failed_write_keeps_the_old_period(tmp_path):
    store = MetricStore(tmp_path / "s.duckdb")
    store.replace_period("2026-10", rows({"a": 1.0}), "run-1")
    duplicated = pl.concat([rows({"a": 2.0}), rows({"a": 2.0})])  # violates the primary key
    with pytest.raises(Exception):
        store.replace_period("2026-10", duplicated, "run-2")
    assert store.period_values("2026-10").select("value", "run_id").rows() == [(1.0, "run-1")]


def test_run_records(tmp_path):
    store = MetricStore(tmp_path / "s.duckdb")
    store.start_run("r1", "2026-10", "0.1.0+abc")
    store.finish_run("r1", "failed", error="tickets.csv: column 'channel': unknown value")
    store.start_run("r2", "2026-10", "0.1.0+abc")
    store.finish_run("r2", "succeeded", input_checksums={"tickets.csv": "ff"}, report_path="/x.pdf")
    runs = store.runs("2026-10")
    assert [(r.run_id, r.status) for r in runs] == [("r1", "failed"), ("r2", "succeeded")]
    assert runs[0].error.startswith("tickets.csv")
    assert runs[1].input_checksums == {"tickets.csv": "ff"}
    assert runs[1].finished_at >= runs[1].started_at
