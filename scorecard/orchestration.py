"""Run flows from the command line: Prefect's environment, then the flow.

Prefect reads its settings when it is imported, so this module sets them first:
its state lives beside the metric store (never in the user's home), analytics
are off, the ephemeral server gets a generous start-up time, and the shutdown
noise of the ephemeral server is kept out of the user's terminal.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from scorecard.config import Settings
from transforms.periods import Period

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
}


def prepare_prefect(state_dir: Path) -> None:
    """Point Prefect at ``state_dir`` unless the user chose a home or a server."""
    if "PREFECT_HOME" not in os.environ:
        state_dir.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(state_dir)
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    logging.getLogger("prefect.server").addFilter(_drop_shutdown_noise)


def _drop_shutdown_noise(record: logging.LogRecord) -> bool:
    """The ephemeral server logs CancelledError tracebacks while it stops; they mean nothing."""
    return not (record.exc_info and record.exc_info[0] is not None and record.exc_info[0].__name__ == "CancelledError")


def prefect_state_dir(settings: Settings) -> Path:
    return settings.store.path.parent / "prefect"


def run_monthly(
    settings: Settings, period: Period, *, config: Path | None, source: Path | None, send: bool
) -> Path:
    """Run the monthly flow for ``period`` (settings already validated) and return the PDF path."""
    prepare_prefect(prefect_state_dir(settings))
    from flows.monthly import monthly_scorecard

    pdf = monthly_scorecard(
        period=period.label,
        config=str(config) if config else None,
        source=str(source) if source else None,
        send=send,
    )
    return Path(pdf)
