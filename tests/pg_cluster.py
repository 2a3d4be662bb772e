"""A throwaway PostgreSQL cluster for the tests, made from Debian's `postgresql` binaries.

``postgres_server`` (session-wide, registered in tests/conftest.py) runs initdb in a
temporary folder, starts the server on a free port with password authentication and
stops it at the end. As root the server runs as the ``postgres`` user. Without the
binaries the tests that need it are skipped, saying what to install.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PG_USER = "scorecard"
PG_PASSWORD = "pg-Secret-7f3a9c"  # the tests assert it never shows up anywhere


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int

    def url(self, password: str = PG_PASSWORD, dbname: str = "postgres") -> str:
        return f"postgresql://{PG_USER}:{password}@{self.host}:{self.port}/{dbname}"

    def new_database(self) -> str:
        """Create an empty database with a fresh name; return its URL."""
        name = f"test_{secrets.token_hex(6)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(dbname=name)


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
    port = free_port()

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
