"""MetricStore: every period's metric rows, run records and the email ledger.

The same methods on both backends: a DuckDB file (the default) or PostgreSQL.
Each method is one transaction; re-storing a period replaces its rows in one
transaction, so no reader ever sees half a period.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple, Protocol

import polars as pl

from scorecard.config import StoreSettings
from scorecard.errors import ConfigError
from scorecard.sources.secrets import optional_env
from scorecard.store.duckdb_backend import DuckDBDatabase
from scorecard.store.postgres_backend import PostgresDatabase
from scorecard.store.schema import DELIVERY_COLUMNS, METRIC_COLUMNS, RUN_COLUMNS, TABLES

PERIOD_SCHEMA = {
    "kpi": pl.String, "segment": pl.String, "value": pl.Float64, "n": pl.Int64,
    "status": pl.String, "run_id": pl.String,
}
HISTORY_SCHEMA = {"period": pl.String, "kpi": pl.String, "segment": pl.String, "value": pl.Float64, "n": pl.Int64}


class Session(Protocol):
    """One transaction on one connection. SQL uses ``?`` placeholders on both backends."""

    def execute(self, query: str, params: Sequence[object] = ()) -> list[tuple]: ...
    def frame(self, query: str, params: Sequence[object], schema: dict[str, pl.DataType]) -> pl.DataFrame: ...
    def insert(self, table: str, frame: pl.DataFrame) -> None: ...


class Database(Protocol):
    """A backend: hands out sessions, creates the tables."""

    location: str  # what a user may see: a path, or postgresql://host:port/dbname

    def create_schema(self, statements: Sequence[str]) -> None: ...
    def session(self) -> AbstractContextManager[Session]: ...


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


class DeliveryRecord(NamedTuple):
    period: str
    recipient: str
    report_checksum: str
    sent_at: datetime  # when the server accepted it; for 'unconfirmed', when it was handed over
    message_id: str
    status: str  # 'sent', or 'unconfirmed': handed to SMTP, acceptance never recorded


class MetricStore:
    """A DuckDB file (``MetricStore(path)``) or a PostgreSQL database (``MetricStore(url=...)``)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        url: str | None = None,
        url_env: str = "SCORECARD_STORE_URL",
        lock_timeout: float = 60.0,
    ) -> None:
        if url is not None:
            self._db: Database = PostgresDatabase(url, url_env)
        elif path is not None:
            self._db = DuckDBDatabase(Path(path), lock_timeout)
        else:
            raise ValueError("MetricStore needs a DuckDB path or a PostgreSQL url")
        self._db.create_schema(TABLES)

    def __repr__(self) -> str:
        return f"MetricStore({self._db.location})"

    @property
    def location(self) -> str:
        """Where the store lives, safe to show: a file path or postgresql://host:port/dbname."""
        return self._db.location

    # --- metric values ------------------------------------------------------------
    def replace_period(self, period: str, rows: pl.DataFrame, run_id: str) -> int:
        """Replace every stored row of ``period`` with ``rows`` in one transaction."""
        frame = rows.with_columns(
            pl.lit(period).alias("period"),
            pl.lit(run_id).alias("run_id"),
            (pl.col("status") if "status" in rows.columns else pl.lit(None)).cast(pl.String).alias("status"),
            pl.lit(_now()).alias("stored_at"),
        ).select(METRIC_COLUMNS).cast({"value": pl.Float64, "n": pl.Int64})
        with self._db.session() as session:
            session.execute("DELETE FROM metric_values WHERE period = ?", [period])
            session.insert("metric_values", frame)
        return frame.height

    def period_values(self, period: str) -> pl.DataFrame:
        """The stored rows of one period (kpi, segment, value, n, status, run_id)."""
        with self._db.session() as session:
            return session.frame(
                "SELECT kpi, segment, value, n, status, run_id FROM metric_values "
                "WHERE period = ? ORDER BY kpi, segment",
                [period],
                PERIOD_SCHEMA,
            )

    def history(self, periods: Sequence[str]) -> pl.DataFrame:
        """Stored rows of the given periods: (period, kpi, segment, value, n)."""
        if not periods:
            return pl.DataFrame(schema=HISTORY_SCHEMA)
        marks = ", ".join("?" * len(periods))
        with self._db.session() as session:
            return session.frame(
                f"SELECT period, kpi, segment, value, n FROM metric_values "
                f"WHERE period IN ({marks}) ORDER BY period, kpi, segment",
                list(periods),
                HISTORY_SCHEMA,
            )

    def stored_periods(self) -> list[str]:
        with self._db.session() as session:
            rows = session.execute("SELECT DISTINCT period FROM metric_values ORDER BY period")
        return [row[0] for row in rows]

    # --- run records ----------------------------------------------------------------
    def start_run(self, run_id: str, period: str, code_version: str) -> None:
        with self._db.session() as session:
            session.execute(
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
        with self._db.session() as session:
            session.execute(
                "UPDATE period_runs SET status = ?, finished_at = ?, input_checksums = ?, "
                "report_path = ?, error = ? WHERE run_id = ?",
                [status, _now(), json.dumps(input_checksums or {}, sort_keys=True), report_path, error, run_id],
            )

    def runs(self, period: str | None = None) -> list[RunRecord]:
        query = f"SELECT {', '.join(RUN_COLUMNS)} FROM period_runs"
        with self._db.session() as session:
            rows = session.execute(*_where_period(query, period, "started_at"))
        return [
            RunRecord(
                run_id=r[0], period=r[1], status=r[2], started_at=r[3], finished_at=r[4],
                code_version=r[5], input_checksums=json.loads(r[6] or "{}"), report_path=r[7], error=r[8],
            )
            for r in rows
        ]

    # --- deliveries ledger: an intent before SMTP, a confirmation after ------------------
    def delivery_status(self, period: str, recipient: str, report_checksum: str) -> str | None:
        """'sent', 'unconfirmed', or None when this report never went to this recipient."""
        with self._db.session() as session:
            rows = session.execute(
                "SELECT status FROM deliveries WHERE period = ? AND recipient = ? AND report_checksum = ?",
                [period, recipient, report_checksum],
            )
        return rows[0][0] if rows else None

    def claim_delivery(
        self, period: str, recipient: str, report_checksum: str, message_id: str, *, replace: bool = False
    ) -> bool:
        """Record the intent to send (status 'unconfirmed') before the message goes to SMTP.

        False when the ledger already holds this (period, recipient, report): another
        send got there first. ``replace`` (a deliberate resend) takes it over.
        """
        on_conflict = (
            "DO UPDATE SET sent_at = excluded.sent_at, message_id = excluded.message_id, status = excluded.status"
            if replace else "DO NOTHING"
        )
        with self._db.session() as session:
            claimed = session.execute(
                "INSERT INTO deliveries (period, recipient, report_checksum, sent_at, message_id, status) "
                "VALUES (?, ?, ?, ?, ?, 'unconfirmed') "
                f"ON CONFLICT (period, recipient, report_checksum) {on_conflict} RETURNING message_id",
                [period, recipient, report_checksum, _now(), message_id],
            )
        return bool(claimed)

    def record_delivery(self, period: str, recipient: str, report_checksum: str, message_id: str) -> None:
        """The server accepted the message: confirm it in the ledger."""
        with self._db.session() as session:
            session.execute(
                "INSERT INTO deliveries (period, recipient, report_checksum, sent_at, message_id, status) "
                "VALUES (?, ?, ?, ?, ?, 'sent') ON CONFLICT (period, recipient, report_checksum) "
                "DO UPDATE SET sent_at = excluded.sent_at, message_id = excluded.message_id, status = 'sent'",
                [period, recipient, report_checksum, _now(), message_id],
            )

    def release_delivery(self, period: str, recipient: str, report_checksum: str, message_id: str) -> None:
        """The server refused the message: drop the intent so a later send tries again."""
        with self._db.session() as session:
            session.execute(
                "DELETE FROM deliveries WHERE period = ? AND recipient = ? AND report_checksum = ? "
                "AND message_id = ? AND status = 'unconfirmed'",
                [period, recipient, report_checksum, message_id],
            )

    def deliveries(self, period: str | None = None) -> list[DeliveryRecord]:
        query = f"SELECT {', '.join(DELIVERY_COLUMNS)} FROM deliveries"
        with self._db.session() as session:
            rows = session.execute(*_where_period(query, period, "sent_at, recipient"))
        return [DeliveryRecord(*row) for row in rows]


def open_store(settings: StoreSettings) -> MetricStore:
    """The configured store: PostgreSQL when ``backend = "postgres"`` or when $<url_env> is set
    (``backend = "auto"``), else the DuckDB file at ``path``."""
    url = optional_env(settings.url_env)
    if settings.backend == "postgres" and url is None:
        raise ConfigError(
            f"store.backend is 'postgres' but ${settings.url_env} is not set — "
            "export it with a postgresql:// URL, or set [store] backend = \"duckdb\""
        )
    if url is not None and settings.backend != "duckdb":
        return MetricStore(url=url, url_env=settings.url_env)
    return MetricStore(settings.path, lock_timeout=settings.lock_timeout_seconds)


def _where_period(query: str, period: str | None, order: str) -> tuple[str, list[str]]:
    if period is None:
        return f"{query} ORDER BY {order}", []
    return f"{query} WHERE period = ? ORDER BY {order}", [period]


def _now() -> datetime:
    return datetime.now(UTC)
