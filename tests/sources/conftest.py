"""Real servers for the source tests: an S3 (moto) server and tables in the throwaway PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from moto.server import ThreadedMotoServer
from pg_cluster import PG_PASSWORD  # noqa: F401 — the cluster fixture lives in tests/pg_cluster.py

from .exports import CANONICAL_CSV


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 at a free port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


TABLES = {
    "customers": "customer_id text, created_at timestamptz, churned_at timestamptz, segment text",
    "orders": "order_id text, customer_id text, ordered_at timestamptz, amount numeric(12,2), currency text, "
    "status text",
    "agents": "agent_id text, team text, hired_at timestamptz, left_at timestamptz",
    "trainings": "agent_id text, completed_at timestamptz, hours double precision, course text",
    "survey_responses": "response_id text, survey text, score smallint, submitted_at timestamptz, "
    "customer_id text, ticket_id text, agent_id text, channel text, comment text",
    "helpdesk.tickets": "ticket_id text, customer_id text, channel text, created_at timestamptz, "
    "first_response_at timestamptz, resolved_at timestamptz, agent_id text, team text, "
    "category text, cjm_stage text, is_complaint boolean, contacts integer, "
    "reopens integer, handle_seconds bigint, internal_note text",
}
TICKETS_QUERY = (
    "SELECT * FROM helpdesk.tickets WHERE created_at >= %(period_start)s AND created_at < %(period_end)s "
    "AND category NOT LIKE 'test%%' ORDER BY ticket_id"
)


@pytest.fixture(scope="session")
def database(postgres_server):
    """The canonical exports loaded by PostgreSQL's own CSV parser, plus two tickets a query leaves out."""
    with psycopg.connect(postgres_server.url(), autocommit=True) as connection:
        connection.execute("DROP SCHEMA IF EXISTS helpdesk CASCADE; CREATE SCHEMA helpdesk")
        for table, columns in TABLES.items():
            connection.execute(f"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({columns})")
            entity = table.split(".")[-1]
            names = ", ".join(
                c.split()[0] for c in columns.split(", ") if c.split()[0] != "internal_note"
            )
            with connection.cursor().copy(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, HEADER)"
            ) as copy:
                copy.write(CANONICAL_CSV[entity].encode())
        connection.execute(
            "INSERT INTO helpdesk.tickets (ticket_id, channel, created_at, is_complaint, contacts, reopens, category)"
            " VALUES ('T0', 'chat', '2026-09-30T23:59:59Z', false, 1, 0, 'x'),"
            " ('T9', 'chat', '2026-10-09T10:00:00Z', false, 1, 0, 'test run')"
        )
    return postgres_server
