"""The DuckDB file behind the store (the default backend).

One connection per session, one transaction per session, one session at a time
per process. DuckDB lets a single process open the file for writing: another
process waits for the file lock (up to ``lock_timeout`` seconds) and then sees
every committed period whole.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from scorecard.store.errors import StoreBusy, StoreUnavailable

LOCK_POLL_SECONDS = 0.1
# One session at a time in this process: DuckDB's Python client races when threads open
# and close connections to one file at once (lost tables, "python_arrow_scan does not exist").
SESSION_LOCK = threading.Lock()


class DuckDBSession:
    """One open transaction on the file."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._connection = connection

    def execute(self, query: str, params: Sequence[object] = ()) -> list[tuple]:
        result = self._connection.execute(query, list(params))
        return result.fetchall() if result.description else []

    def frame(self, query: str, params: Sequence[object], schema: dict[str, pl.DataType]) -> pl.DataFrame:
        return self._connection.sql(query, params=list(params)).pl().cast(schema)

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        columns = ", ".join(frame.columns)
        self._connection.register("incoming", frame.to_arrow())  # gone when the session's connection closes
        self._connection.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")


class DuckDBDatabase:
    """A DuckDB file; the folder is created when missing."""

    def __init__(self, path: Path, lock_timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.location = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def create_schema(self, statements: Sequence[str]) -> None:
        with self.session() as session:
            for statement in statements:
                session.execute(statement)

    @contextmanager
    def session(self) -> Iterator[DuckDBSession]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        with SESSION_LOCK:
            connection = self._connect()
            try:
                connection.execute("SET TimeZone = 'UTC'")
                connection.execute("BEGIN TRANSACTION")
                try:
                    yield DuckDBSession(connection)
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            finally:
                connection.close()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting while another process holds its lock."""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return duckdb.connect(str(self.path))
            except duckdb.IOException as exc:
                reason = str(exc).splitlines()[0]
                if "Could not set lock" not in reason:
                    raise StoreUnavailable(
                        f"{self.path}: cannot open the DuckDB store ({reason}) — "
                        "check the path and its permissions ([store] path)"
                    ) from None
                if time.monotonic() >= deadline:
                    holder = reason.partition("Conflicting lock is held in ")[2].split(". See")[0]
                    raise StoreBusy(
                        f"{self.path}: another process holds the store ({holder or 'unknown'}) "
                        f"for over {self.lock_timeout:g} s — let it finish or close it, or use "
                        "PostgreSQL ([store] backend) for shared access"
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
