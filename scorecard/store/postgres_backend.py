"""PostgreSQL behind the store: the shared option for a team.

One connection per session, one transaction per session (READ COMMITTED). A
reader never waits for a writer and, statement by statement, sees each period
either as it was before a replacement committed or as it is after. If the
writing process dies, the server rolls its transaction back.

The URL (with its password) stays in this object; users see only
``postgresql://host:port/dbname``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import polars as pl
import psycopg

from scorecard.sources.secrets import postgres_uri, scrub
from scorecard.store.errors import StoreUnavailable

COPY_BATCH_ROWS = 100_000
SCHEMA_LOCK_KEY = 7_215_393_001  # pg_advisory_xact_lock: one process creates the tables at a time


class PostgresSession:
    """One open transaction. Queries are written with ``?`` placeholders, as for DuckDB."""

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self._cursor = cursor

    def execute(self, query: str, params: Sequence[object] = ()) -> list[tuple]:
        self._cursor.execute(query.replace("?", "%s"), list(params))
        return self._cursor.fetchall() if self._cursor.description else []

    def frame(self, query: str, params: Sequence[object], schema: dict[str, pl.DataType]) -> pl.DataFrame:
        return pl.DataFrame(self.execute(query, params), schema=schema, orient="row")

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        """COPY the frame in as CSV: strings quoted, NULL as an unquoted ``\\N``."""
        columns = ", ".join(frame.columns)
        with self._cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')") as copy:
            for batch in frame.iter_slices(COPY_BATCH_ROWS):
                copy.write(
                    batch.write_csv(
                        include_header=False,
                        null_value="\\N",
                        quote_style="non_numeric",
                        datetime_format="%Y-%m-%dT%H:%M:%S%.f%:z",
                    )
                )


class PostgresDatabase:
    """A PostgreSQL database given by URL; ``url_env`` names where the URL came from."""

    def __init__(self, url: str, url_env: str = "SCORECARD_STORE_URL") -> None:
        self._url = url
        self._url_env = url_env
        self.location = postgres_uri(url)

    def create_schema(self, statements: Sequence[str]) -> None:
        with self.session() as session:
            session.execute("SELECT pg_advisory_xact_lock(?)", [SCHEMA_LOCK_KEY])
            for statement in statements:
                session.execute(statement)

    @contextmanager
    def session(self) -> Iterator[PostgresSession]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        try:
            connection = psycopg.connect(
                self._url, connect_timeout=10, application_name="scorecard", options="-c TimeZone=UTC"
            )
        except psycopg.Error as exc:
            reason = scrub(f"{type(exc).__name__}: {exc}", [self._url])
            raise StoreUnavailable(
                f"{self.location}: cannot connect to the PostgreSQL store ({reason}) — "
                f"check the server and ${self._url_env}"
            ) from None
        with connection, connection.cursor() as cursor:
            yield PostgresSession(cursor)
