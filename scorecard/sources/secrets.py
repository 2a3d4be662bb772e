"""Secrets for sources: read by NAME (environment variable or Prefect Secret block), never shown.

Configuration holds only the name of where a secret lives. Anything that might
be shown to a user (a manifest entry, a log line, an error) goes through
:func:`scrub` first, and a PostgreSQL URL is shown only as :func:`postgres_uri`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import psycopg
from psycopg.conninfo import conninfo_to_dict

from scorecard.errors import ConfigError


def read_secret(env_name: str | None, block_name: str | None, what: str) -> str:
    """The secret from the Prefect Secret block ``block_name`` if set, else from ``env_name``."""
    if block_name:
        return _from_prefect_block(block_name, what)
    value = os.environ.get(env_name or "")
    if not value:
        raise ConfigError(
            f"{what}: environment variable {env_name} is not set — export it before the run"
        )
    return value


def optional_env(env_name: str) -> str | None:
    """An environment variable's value, or None when unset or empty."""
    return os.environ.get(env_name) or None


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (and a URL's password) replaced by ``***``, on one line."""
    for secret in secrets:
        if not secret:
            continue
        for part in (secret, _password_of(secret)):
            if part:
                text = text.replace(part, "***")
    return " ".join(text.split())


def postgres_uri(url: str) -> str:
    """``postgresql://host:port/dbname`` — what a user may see of a database URL."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:  # its message echoes the raw string: do not keep it
        return "postgresql://(unreadable URL)"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"postgresql://{host}:{port}/{parts.get('dbname') or ''}"


def _password_of(url: str) -> str | None:
    try:
        return conninfo_to_dict(url).get("password") or None
    except psycopg.ProgrammingError:
        return None


def _from_prefect_block(block_name: str, what: str) -> str:
    from prefect.blocks.system import Secret  # imported lazily: Prefect is slow to import

    try:
        return str(Secret.load(block_name).get())
    except Exception as exc:  # noqa: BLE001 — Prefect raises many kinds (missing block, no server)
        raise ConfigError(
            f"{what}: cannot load Prefect Secret block {block_name!r} ({type(exc).__name__})"
            " — create it with `prefect block create secret` or use the environment variable"
        ) from None
