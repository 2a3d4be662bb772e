"""The store's tables: plain SQL that DuckDB and PostgreSQL both accept, readable by any BI tool.

- ``metric_values``: one row per (period, kpi, segment): value, n, status, run_id, stored_at.
- ``period_runs``: one row per run of a period: status, timings, code version, input
  checksums (JSON text), report path, error.
- ``deliveries``: the email ledger, one row per (period, recipient, report checksum).
  ``status`` is ``unconfirmed`` from just before the message goes to SMTP until the
  server has accepted it, then ``sent``.
"""

from __future__ import annotations

TABLES = (
    """
    CREATE TABLE IF NOT EXISTS metric_values (
        period      VARCHAR NOT NULL,
        kpi         VARCHAR NOT NULL,
        segment     VARCHAR NOT NULL,
        value       DOUBLE PRECISION,
        n           BIGINT NOT NULL,
        status      VARCHAR,
        run_id      VARCHAR NOT NULL,
        stored_at   TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (period, kpi, segment)
    )
    """,
    """
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
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS deliveries (
        period          VARCHAR NOT NULL,
        recipient       VARCHAR NOT NULL,
        report_checksum VARCHAR NOT NULL,
        sent_at         TIMESTAMPTZ NOT NULL,
        message_id      VARCHAR NOT NULL,
        status          VARCHAR NOT NULL DEFAULT 'sent',
        PRIMARY KEY (period, recipient, report_checksum)
    )
    """,
    # Stores made before the two-phase ledger: their rows were all confirmed sends.
    "ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS status VARCHAR DEFAULT 'sent'",
)

METRIC_COLUMNS = ("period", "kpi", "segment", "value", "n", "status", "run_id", "stored_at")
RUN_COLUMNS = (
    "run_id", "period", "status", "started_at", "finished_at",
    "code_version", "input_checksums", "report_path", "error",
)
DELIVERY_COLUMNS = ("period", "recipient", "report_checksum", "sent_at", "message_id", "status")
