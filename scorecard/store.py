"""The metric store: plain tables a BI tool can read, one transaction per period.

Tables
- ``metric_values``: one row per (period, kpi, segment) with value, n, status, run_id.
- ``period_runs``: one row per run of a period (status, timings, code version,
  input checksums, error).

Re-storing a period replaces its rows in one transaction, so a reader sees
either the old period or the new one, never half of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

SCHEMA = """
CREATE TABLE IF NOT EXISTS metric_values (
    period      VARCHAR NOT NULL,
    kpi         VARCHAR NOT NULL,
    segment     VARCHAR NOT NULL,
    value       DOUBLE,
    n           BIGINT NOT NULL,
    status      VARCHAR,
    run_id      VARCHAR NOT NULL,
    stored_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (period, kpi, segment)
);
CREATE TABLE IF NOT EXISTS period_runs (
    run_id          VARCHAR PRIMARY KEY,
    period          VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    code_version    VARCHAR,
    input_checksums VARCHAR,
    report_path     VARCHAR,
    error           VARCHAR
);
CREATE TABLE IF NOT EXISTS deliveries (
    period          VARCHAR NOT NULL,
    recipient       VARCHAR NOT NULL,
    report_checksum VARCHAR NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    message_id      VARCHAR NOT NULL,
    PRIMARY KEY (period, recipient, report_checksum)
);
"""

METRIC_COLUMNS = ("period", "kpi", "segment", "value", "n", "status", "run_id")


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    period: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    code_version: str | None
    input_checksums: dict[str, str]
    report_path: str | None
    error: str | None


class MetricStore:
    """A DuckDB file holding every period's metric rows and run records."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(SCHEMA)

    @contextmanager
    def _connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    # --- metric values ------------------------------------------------------------
    def replace_period(self, period: str, rows: pl.DataFrame, run_id: str) -> int:
        """Replace every stored row of ``period`` with ``rows`` in one transaction."""
        frame = rows.with_columns(
            pl.lit(period).alias("period"),
            pl.lit(run_id).alias("run_id"),
            (pl.col("status") if "status" in rows.columns else pl.lit(None, pl.String)).alias("status"),
        ).select(METRIC_COLUMNS)
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("DELETE FROM metric_values WHERE period = ?", [period])
                con.register("incoming", frame.to_arrow())
                con.execute(
                    "INSERT INTO metric_values "
                    "SELECT period, kpi, segment, value, n, status, run_id, now() FROM incoming"
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return frame.height

    def period_values(self, period: str) -> pl.DataFrame:
        """The stored rows of one period (kpi, segment, value, n, status, run_id)."""
        with self._connect() as con:
            return _frame(
                con,
                "SELECT kpi, segment, value, n, status, run_id FROM metric_values "
                "WHERE period = ? ORDER BY kpi, segment",
                [period],
            )

    def history(self, periods: Sequence[str]) -> pl.DataFrame:
        """Stored rows of the given periods: (period, kpi, segment, value, n)."""
        with self._connect() as con:
            frame = _frame(
                con,
                "SELECT period, kpi, segment, value, n FROM metric_values "
                "WHERE period IN (SELECT unnest(?::VARCHAR[])) ORDER BY period, kpi, segment",
                [list(periods)],
            )
        return frame.cast({"n": pl.Int64})

    def stored_periods(self) -> list[str]:
        with self._connect() as con:
            rows = con.execute("SELECT DISTINCT period FROM metric_values ORDER BY period").fetchall()
        return [row[0] for row in rows]

    # --- run records ----------------------------------------------------------------
    def start_run(self, run_id: str, period: str, code_version: str) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT INTO period_runs (run_id, period, status, started_at, code_version) "
                "VALUES (?, ?, 'running', ?, ?)",
                [run_id, period, _now(), code_version],
            )

    def finish_run(
        self,
        run_id: str,
        status: str,
        *,
        input_checksums: dict[str, str] | None = None,
        report_path: str | None = None,
        error: str | None = None,
    ) -> None:
        with self._connect() as con:
            con.execute(
                "UPDATE period_runs SET status = ?, finished_at = ?, input_checksums = ?, "
                "report_path = ?, error = ? WHERE run_id = ?",
                [status, _now(), json.dumps(input_checksums or {}, sort_keys=True), report_path, error, run_id],
            )

    # --- deliveries ledger ------------------------------------------------------------
    def was_delivered(self, period: str, recipient: str, report_checksum: str) -> bool:
        with self._connect() as con:
            found = con.execute(
                "SELECT 1 FROM deliveries WHERE period = ? AND recipient = ? AND report_checksum = ?",
                [period, recipient, report_checksum],
            ).fetchone()
        return found is not None

    def record_delivery(self, period: str, recipient: str, report_checksum: str, message_id: str) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?, ?, ?)",
                [period, recipient, report_checksum, _now(), message_id],
            )

    def deliveries(self, period: str | None = None) -> list[tuple]:
        query = "SELECT period, recipient, report_checksum, sent_at, message_id FROM deliveries"
        params: list[str] = []
        if period is not None:
            query += " WHERE period = ?"
            params.append(period)
        with self._connect() as con:
            return con.execute(query + " ORDER BY sent_at", params).fetchall()

    def runs(self, period: str | None = None) -> list[RunRecord]:
        query = "SELECT * FROM period_runs"
        params: list[str] = []
        if period is not None:
            query += " WHERE period = ?"
            params.append(period)
        with self._connect() as con:
            rows = con.execute(query + " ORDER BY started_at", params).fetchall()
        return [
            RunRecord(
                run_id=r[0], period=r[1], status=r[2], started_at=r[3], finished_at=r[4],
                code_version=r[5], input_checksums=json.loads(r[6]) if r[6] else {},
                report_path=r[7], error=r[8],
            )
            for r in rows
        ]


def _frame(con: duckdb.DuckDBPyConnection, query: str, params: list) -> pl.DataFrame:
    return con.sql(query, params=params).pl()


def _now() -> datetime:
    return datetime.now(timezone.utc)
