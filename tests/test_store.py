"""The metric store on both backends (DuckDB file, real PostgreSQL): one suite, same answers."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC

import duckdb
import polars as pl
import psycopg
import pytest
from polars.testing import assert_frame_equal
from store_backends import start_worker, synthetic_rows, wait_for_line

from scorecard.store import MetricStore, StoreBusy, open_store


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


def test_rerun_replaces_the_period_and_leaves_others(store):
    store.replace_period("2026-09", rows({"a": 1.0, "b": 2.0}), "run-1")
    store.replace_period("2026-10", rows({"a": 3.0, "b": None, "c": 5.0}), "run-2")
    store.replace_period("2026-10", rows({"a": 4.0}), "run-3")
    october = store.period_values("2026-10")
    assert october.select("kpi", "value", "run_id").rows() == [("a", 4.0, "run-3")]
    history = store.history(["2026-09", "2026-10", "2026-11"])
    assert history.select("period", "kpi", "value").rows() == [
        ("2026-09", "a", 1.0), ("2026-09", "b", 2.0), ("2026-10", "a", 4.0),
    ]
    assert history.schema == pl.Schema(
        {"period": pl.String, "kpi": pl.String, "segment": pl.String, "value": pl.Float64, "n": pl.Int64}
    )
    assert store.history([]).height == 0
    assert store.stored_periods() == ["2026-09", "2026-10"]


def test_values_and_names_round_trip_exactly(store):
    segments = ["all", "", 'say "hi", then\nleave', "\\N", "Москва", "<b>urgent</b>", "a;b"]
    values = [0.1 + 0.2, None, math.nan, 1e-300, -2.5, 123456789.123456789, 0.0]
    frame = pl.DataFrame(
        {
            "kpi": [f"k{i}" for i in range(len(segments))],
            "segment": segments,
            "value": values,
            "n": [0, 1, 2**53 + 1, 3, 4, 5, 6],
            "status": ["green", None, "red", "amber", None, "green", ""],
        },
        schema={"kpi": pl.String, "segment": pl.String, "value": pl.Float64, "n": pl.Int64, "status": pl.String},
    )
    assert store.replace_period("2026-10", frame, "run-1") == len(segments)
    stored = store.period_values("2026-10")
    assert_frame_equal(stored, frame.with_columns(pl.lit("run-1").alias("run_id")))


def test_a_failed_write_keeps_the_old_period(store):
    store.replace_period("2026-10", rows({"a": 1.0}), "run-1")
    duplicated = pl.concat([rows({"a": 2.0}), rows({"a": 2.0})])  # violates the primary key
    with pytest.raises((duckdb.ConstraintException, psycopg.errors.UniqueViolation)):
        store.replace_period("2026-10", duplicated, "run-2")
    assert store.period_values("2026-10").select("value", "run_id").rows() == [(1.0, "run-1")]


def test_run_records(store):
    store.start_run("r1", "2026-10", "0.1.0+abc")
    store.finish_run("r1", "failed", error="tickets.csv: column 'channel': unknown value")
    store.start_run("r2", "2026-10", "0.1.0+abc")
    store.finish_run("r2", "succeeded", input_checksums={"tickets.csv": "ff"}, report_path="/x.pdf")
    store.start_run("r3", "2026-11", "0.1.0+abc")
    runs = store.runs("2026-10")
    assert [(r.run_id, r.status) for r in runs] == [("r1", "failed"), ("r2", "succeeded")]
    assert runs[0].error.startswith("tickets.csv")
    assert runs[1].input_checksums == {"tickets.csv": "ff"} and runs[1].report_path == "/x.pdf"
    assert runs[1].finished_at >= runs[1].started_at
    assert runs[1].started_at.utcoffset() == UTC.utcoffset(None)
    assert [r.status for r in store.runs()] == ["failed", "succeeded", "running"]


def test_the_ledger_claims_once_then_confirms(store):
    key = ("2026-10", "ceo@example.test", "abc123")
    assert store.delivery_status(*key) is None
    assert store.claim_delivery(*key, "<m1@x>") is True
    assert store.claim_delivery(*key, "<m2@x>") is False  # somebody is already sending it
    assert store.delivery_status(*key) == "unconfirmed"
    store.record_delivery(*key, "<m1@x>")
    store.release_delivery(*key, "<m1@x>")  # only an unconfirmed intent can be released
    assert store.delivery_status(*key) == "sent"
    assert store.claim_delivery(*key, "<m3@x>", replace=True) is True  # a deliberate resend
    store.release_delivery(*key, "<m3@x>")  # the server refused it
    assert store.delivery_status(*key) is None
    store.claim_delivery("2026-10", "coo@example.test", "abc123", "<m4@x>")
    [record] = store.deliveries("2026-10")
    assert (record.recipient, record.message_id, record.status) == ("coo@example.test", "<m4@x>", "unconfirmed")
    assert store.deliveries("2026-09") == []


def test_threads_of_one_process_use_a_new_store_at_once(store_settings):
    """What a backfill's thread pool does: each task opens the store, creates it if new, writes."""

    def one_period(month: int) -> list[float]:
        store = open_store(store_settings)
        label = f"2026-{month:02d}"
        store.start_run(f"run-{month}", label, "0.1.0")
        store.replace_period(label, rows({"a": float(month), "b": 0.5}), f"run-{month}")
        store.finish_run(f"run-{month}", "succeeded")
        return store.period_values(label)["value"].to_list()

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(one_period, range(1, 7))) == [[float(m), 0.5] for m in range(1, 7)]
    assert [r.status for r in open_store(store_settings).runs()] == ["succeeded"] * 6


def test_the_tables_are_plain_for_a_bi_tool(store, store_settings):
    store.replace_period("2026-10", rows({"a": 1.5}), "run-1")
    store.start_run("run-1", "2026-10", "0.1.0")
    store.record_delivery("2026-10", "ceo@example.test", "abc", "<m@x>")
    queries = {
        "metric_values": "SELECT period, kpi, segment, value, n, status, run_id, stored_at FROM metric_values",
        "period_runs": "SELECT run_id, period, status, started_at, finished_at, code_version, "
        "input_checksums, report_path, error FROM period_runs",
        "deliveries": "SELECT period, recipient, report_checksum, sent_at, message_id, status FROM deliveries",
    }
    if store.location.startswith("postgresql://"):
        with psycopg.connect(os.environ["SCORECARD_STORE_URL"]) as connection:
            found = {table: connection.execute(query).fetchall() for table, query in queries.items()}
    else:
        with duckdb.connect(str(store_settings.path), read_only=True) as connection:
            found = {table: connection.execute(query).fetchall() for table, query in queries.items()}
    assert found["metric_values"][0][:7] == ("2026-10", "a", "all", 1.5, 10, None, "run-1")
    assert found["period_runs"][0][:3] == ("run-1", "2026-10", "running")
    assert found["deliveries"][0][4:] == ("<m@x>", "sent")


# --- a reader while another process replaces a big period --------------------------------
BIG = 300_000


@dataclass(frozen=True)
class Read:
    started: float
    finished: float
    state: str  # 'old', 'new', or what else it saw


def read_state(store: MetricStore) -> Read:
    started = time.monotonic()
    values = store.period_values("2026-10")
    finished = time.monotonic()
    seen = (values.height, tuple(sorted(set(values["run_id"]))), tuple(sorted(set(values["value"]))))
    states = {(BIG, ("old",), (1.0,)): "old", (BIG, ("new",), (2.0,)): "new"}
    return Read(started, finished, states.get(seen, f"mixed: {values.height} rows, runs {seen[1]}"))


def test_a_reader_sees_a_period_whole_while_another_process_replaces_it(store, store_settings):
    store.replace_period("2026-10", synthetic_rows(BIG, 1.0), "old")
    worker = start_worker("replace", store_settings.path, "2026-10", BIG, 2.0, "new")
    reads = []
    while worker.poll() is None:
        reads.append(read_state(store))
        time.sleep(0.05)
    assert worker.returncode == 0, worker.stderr.read()
    writing = float(wait_for_line(worker, "writing").split()[1])
    done = float(wait_for_line(worker, "done").split()[1])
    reads.append(read_state(store))

    assert {r.state for r in reads} == {"old", "new"}, [r.state for r in reads]
    assert reads[-1].state == "new"
    if store.location.startswith("postgresql://"):
        # PostgreSQL: readers never wait; a read begun while the write is in flight sees the old period.
        assert any(writing + 0.5 < r.started < done and r.state == "old" for r in reads)
    else:
        # DuckDB: the writing process holds the file; a reader waits, then sees the new period.
        assert any(r.finished - r.started > 0.5 and r.state == "new" for r in reads)


def test_duckdb_names_the_process_holding_the_file_after_the_lock_wait(tmp_path):
    path = tmp_path / "scorecard.duckdb"
    MetricStore(path)
    hold = f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ok\n"
        started = time.monotonic()
        with pytest.raises(StoreBusy) as caught:
            MetricStore(path, lock_timeout=0.5).stored_periods()
        assert 0.5 <= time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    line = caught.value.line()
    assert line.startswith(f"{path}: another process holds the store (") and f"PID {holder.pid}" in line
    assert "\n" not in line
    assert MetricStore(path, lock_timeout=0.5).stored_periods() == []  # free again once it exited
