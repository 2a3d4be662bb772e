"""A PostgreSQL table or query as a source: the rows read are archived as a Parquet file."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import polars as pl
import psycopg
from psycopg import sql

from scorecard.archive import ArchivedFile, archive_stream
from scorecard.errors import InputError
from scorecard.sources.secrets import postgres_uri, read_secret, scrub
from scorecard.sources.settings import EntitySource, PostgresSettings
from transforms.periods import Period

PERIOD_PARAMETERS = ("%(period_start)s", "%(period_end)s")


def pull_postgres(
    settings: PostgresSettings,
    entity: str,
    source: EntitySource,
    period: Period,
    run_dir: Path,
    optional: bool = False,
) -> ArchivedFile | None:
    """Run the entity's table read or query and archive the exact rows read as Parquet.

    An optional entity whose table does not exist is absent (None).
    """
    url = read_secret(settings.url_env, settings.url_secret_block, "PostgreSQL URL")
    statement, what = _statement(entity, source)
    uri = f"{postgres_uri(url)}?{what}"
    try:
        with psycopg.connect(url, connect_timeout=10) as connection, connection.cursor() as cursor:
            cursor.execute(statement, _parameters(source, period))
            names = [column.name for column in cursor.description or ()]
            frame = _frame(names, cursor.fetchall())
    except psycopg.errors.UndefinedTable:
        if optional:
            return None
        raise InputError(
            uri, "table not found", f"create it or set [sources.{entity}] table/query"
        ) from None
    except psycopg.Error as exc:
        reason = scrub(f"{type(exc).__name__}: {exc}", [url])
        raise InputError(
            uri,
            f"cannot read from PostgreSQL ({reason})",
            f"check the server, {settings.url_env} and [sources.{entity}] table/query",
        ) from None
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    buffer.seek(0)
    return archive_stream(run_dir, entity, uri, f"{entity}.parquet", buffer)


def _statement(entity: str, source: EntitySource) -> tuple[sql.Composable | str, str]:
    """The SQL to run and how the manifest names it (a table, or the query's checksum)."""
    if source.query is not None:
        return (
            source.query,
            f"query=sha256:{hashlib.sha256(source.query.encode()).hexdigest()[:16]}",
        )
    table = source.table or entity
    identifier = sql.Identifier(*table.split("."))
    return sql.SQL("SELECT * FROM {}").format(identifier), f"table={table}"


def _parameters(source: EntitySource, period: Period) -> dict[str, object] | None:
    """Period bounds (UTC) for a query that uses them; None otherwise (so '%' stays literal)."""
    if source.query is None or not any(p in source.query for p in PERIOD_PARAMETERS):
        return None
    return {"period_start": period.start_utc, "period_end": period.end_utc}


def _frame(names: list[str], rows: list[tuple[object, ...]]) -> pl.DataFrame:
    """The rows as a frame; values Polars has no type for (uuid, json) become text."""
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    frame = pl.DataFrame(columns, strict=False, nan_to_null=False)
    objects = [name for name, dtype in frame.schema.items() if dtype == pl.Object]
    return frame.with_columns(
        pl.Series(name, [None if v is None else str(v) for v in columns[name]], dtype=pl.String)
        for name in objects
    )
