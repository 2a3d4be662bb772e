"""Real servers for the source tests: an S3 (moto) server and a throwaway PostgreSQL cluster."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from moto.server import ThreadedMotoServer

from .exports import CANONICAL_CSV

PG_USER = "scorecard"
PG_PASSWORD = "pg-Secret-7f3a9c"  # the tests assert it never shows up anywhere


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 at a free port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int

    def url(self, password: str = PG_PASSWORD, dbname: str = "postgres") -> str:
        return f"postgresql://{PG_USER}:{password}@{self.host}:{self.port}/{dbname}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster made for this session (initdb in a temporary folder, password auth)."""
    initdbs = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not initdbs:
        pytest.skip(
            "PostgreSQL binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    bin_dir = Path(initdbs[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="scorecard-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    password_file = root / "password"
    password_file.write_text(PG_PASSWORD)
    if as_postgres:
        shutil.chown(password_file, "postgres", "postgres")
    port = _free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, timeout=120)

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(root / "data"),
        "-U",
        PG_USER,
        "--pwfile",
        str(password_file),
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--no-sync",
    )
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(root / "data"),
        "-l",
        str(root / "log"),
        "-w",
        "-t",
        "60",
        "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        yield PostgresServer("127.0.0.1", port)
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
