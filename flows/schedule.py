"""The monthly schedule: a Prefect deployment of ``monthly-scorecard``, served by this process.

By default it runs at 06:00 on the 1st of every month in the reporting time zone,
with no period: the flow then reports the last complete month in that zone. It
emails the report (the ledger sends each report once) and waits for a manual
run of the same period to finish instead of failing.

Schedules need a Prefect server (``prefect server start``): against the
ephemeral server ``serve`` registers the deployment but never runs it.
"""

from __future__ import annotations

from pathlib import Path

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from flows.monthly import monthly_scorecard
from scorecard.config import Settings
from scorecard.errors import ScorecardError

DEFAULT_CRON = "0 6 1 * *"
DEPLOYMENT_NAME = "monthly"


def monthly_deployment(
    settings: Settings, *, config: Path | None, source: Path | None, cron: str = DEFAULT_CRON
) -> RunnerDeployment:
    """The deployment ``scorecard serve`` runs: ``cron`` in the reporting time zone."""
    try:
        schedule = Cron(cron, timezone=settings.reporting.timezone)
    except ValueError:
        raise ScorecardError(
            f"--cron: {cron!r} is not a cron expression (minute hour day-of-month month day-of-week, "
            f"e.g. {DEFAULT_CRON!r})"
        ) from None
    return monthly_scorecard.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[schedule],
        parameters={
            "config": str(config.resolve()) if config else None,
            "source": str(source.resolve()) if source else None,
            "send": True,
            "wait": True,
        },
        description=f"{settings.company.name}: the last complete month's scorecard, {cron} {settings.reporting.timezone}",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_monthly(settings: Settings, *, config: Path | None, source: Path | None, cron: str = DEFAULT_CRON) -> None:
    """Register the deployment with the Prefect server and run its scheduled runs until stopped."""
    serve(monthly_deployment(settings, config=config, source=source, cron=cron))
