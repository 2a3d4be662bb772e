"""The operations commands as a user runs them: status, send, run against a busy period, serve.

One real `scorecard run` (a subprocess with its own ephemeral Prefect) makes the
report the other commands work with; email goes to an aiosmtpd server on localhost.
The last test starts a real `prefect server start` and lets `scorecard serve` run
its schedule once.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pg_cluster import free_port
from test_locks import hold, wait_until_locked
from workspace import TIMEZONE, write_workspace

from scorecard.config import load_settings
from scorecard.store import open_store
from transforms.periods import Period

TZ = TIMEZONE
# The schedule reports the last complete month, so the data ends there.
LATEST = Period.last_complete(datetime.now(UTC), TZ)
EARLIER = LATEST.shift(-1)
OLDEST = LATEST.shift(-2)


def scorecard(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SCORECARD_")}
    return subprocess.run(
        [sys.executable, "-m", "scorecard.cli", *args],
        cwd=cwd, env={**environment, **(env or {})}, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, module_smtp_server) -> Path:
    """A config, three months of exports, the latest month run for real, two older runs recorded."""
    root = write_workspace(tmp_path_factory.mktemp("ops"), end=LATEST, months=3, seed=13, tickets_per_month=300,
                           company="Ops Test", smtp_port=module_smtp_server[1])
    result = scorecard("run", "--period", LATEST.label, "--no-send", cwd=root)
    assert result.returncode == 0, result.stderr
    store = open_store(load_settings(root / "scorecard.toml").store)
    store.start_run(f"{EARLIER.label}-failed", EARLIER.label, "test")
    store.finish_run(f"{EARLIER.label}-failed", "validation failed", error="tickets.csv: no row in the period")
    store.start_run(f"{OLDEST.label}-killed", OLDEST.label, "test")  # never finished: its process died
    return root


def test_status_prints_one_line_per_period(workspace):
    store = open_store(load_settings(workspace / "scorecard.toml").store)
    run = store.runs(LATEST.label)[-1]
    rows = store.period_values(LATEST.label).height
    result = scorecard("status", cwd=workspace)
    assert result.returncode == 0, result.stderr
    lines = [line.split("  ") for line in result.stdout.splitlines()]
    cells = {line[0]: [cell.strip() for cell in line if cell.strip()] for line in lines}
    assert cells["period"] == ["period", "computed", "validated", "sent", "failures", "last error"]
    assert cells[LATEST.label] == [LATEST.label, f"{rows} rows ({run.run_id})", "succeeded", "0", "0"]
    assert cells[EARLIER.label] == [EARLIER.label, "-", "validation failed", "0", "1",
                                    "tickets.csv: no row in the period"]
    assert cells[OLDEST.label] == [OLDEST.label, "-", "interrupted", "0", "0"]


def test_send_delivers_the_latest_report_once(workspace, module_smtp_server):
    messages = module_smtp_server[0].messages
    store = open_store(load_settings(workspace / "scorecard.toml").store)
    pdf = Path(store.runs(LATEST.label)[-1].report_path)

    first = scorecard("send", "--period", LATEST.label, cwd=workspace)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("ceo@example.test  sent <")
    assert len(messages) == 1
    message = email.message_from_bytes(messages[0][1], policy=email.policy.default)
    assert message["Subject"] == f"Ops Test: customer service scorecard for {LATEST.label}"
    attachment = next(message.iter_attachments())
    assert hashlib.sha256(attachment.get_content()).hexdigest() == hashlib.sha256(pdf.read_bytes()).hexdigest()

    again = scorecard("send", "--period", LATEST.label, cwd=workspace)
    assert again.returncode == 0 and again.stdout.strip() == "ceo@example.test  already has it"
    assert len(messages) == 1

    forced = scorecard("send", "--period", LATEST.label, "--resend", cwd=workspace)
    assert forced.returncode == 0 and "sent <" in forced.stdout
    assert len(messages) == 2

    nothing = scorecard("send", "--period", EARLIER.label, cwd=workspace)
    assert nothing.returncode == 2
    assert nothing.stderr == (
        f"scorecard: period {EARLIER.label} has no report to send — "
        f"run `scorecard run --period {EARLIER.label}` first\n"
    )
    status = scorecard("status", cwd=workspace).stdout
    assert [line.split()[5] for line in status.splitlines() if line.startswith(LATEST.label)] == ["1"]


def test_a_busy_period_exits_at_once_with_one_line(workspace):
    holder = hold(workspace / "var" / "locks", LATEST.label)
    try:
        wait_until_locked(holder)
        started = time.monotonic()
        result = scorecard("run", "--period", LATEST.label, "--no-send", cwd=workspace)
        assert time.monotonic() - started < 20  # before Prefect's start-up
        assert result.returncode == 6
        assert result.stderr.startswith(f"scorecard: period {LATEST.label} is already running (pid {holder.pid} since ")
        assert result.stderr.endswith("; wait for it or pass --wait\n")
        sent = scorecard("send", "--period", LATEST.label, cwd=workspace)
        assert sent.returncode == 6 and sent.stderr.count("\n") == 1
        status = scorecard("status", cwd=workspace).stdout
        assert f"running (pid {holder.pid} since " in status
    finally:
        holder.kill()
        holder.wait()


def test_serve_without_a_server_says_how_to_start_one(workspace):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([sys.executable, "-m", "scorecard.cli", "serve"], cwd=workspace, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("scorecard: serve needs a Prefect server: the ephemeral one never runs schedules")
    assert "prefect server start" in result.stderr and "PREFECT_API_URL=http://127.0.0.1:4200/api" in result.stderr


def test_the_deployment_runs_monthly_in_the_reporting_zone(workspace):
    from prefect.server.schemas.schedules import CronSchedule as ServerCron

    from flows.schedule import monthly_deployment
    from scorecard.errors import ScorecardError

    settings = load_settings(workspace / "scorecard.toml")
    deployment = monthly_deployment(settings, config=workspace / "scorecard.toml", source=None)
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 6 1 * *", TZ)
    # The server fires it at 06:00 Moscow time on the 1st; the flow, given no period, then reports
    # the month that has just ended there.
    fires = asyncio.run(ServerCron(cron=schedule.cron, timezone=schedule.timezone).get_dates(
        n=2, start=datetime(2026, 10, 15, tzinfo=UTC)))
    assert [fire.astimezone(ZoneInfo(TZ)).isoformat() for fire in fires] == [
        "2026-11-01T06:00:00+03:00", "2026-12-01T06:00:00+03:00"]
    assert Period.last_complete(fires[0], TZ).label == "2026-10"
    assert deployment.name == "monthly" and deployment.flow_name == "monthly-scorecard"
    assert deployment.entrypoint == "flows.monthly.monthly_scorecard"
    # No period: the flow reports the last complete month when it runs; it emails, and waits for a manual run.
    assert deployment.parameters == {
        "config": str((workspace / "scorecard.toml").resolve()), "source": None, "send": True, "wait": True}
    hourly = monthly_deployment(settings, config=None, source=workspace / "data", cron="15 * * * *")
    assert hourly.schedules[0].schedule.cron == "15 * * * *"
    assert hourly.parameters["source"] == str((workspace / "data").resolve())
    with pytest.raises(ScorecardError, match=r"--cron: '61 \* \* \* \*' is not a cron expression"):
        monthly_deployment(settings, config=None, source=None, cron="61 * * * *")


@pytest.mark.slow
def test_serve_runs_the_schedule_on_a_real_prefect_server(workspace, module_smtp_server, tmp_path):
    """`prefect server start`, then `scorecard serve` with a cron of every minute: within about
    a minute the last complete month is reported and emailed. Bounded: 4 minutes at most."""
    inbox = module_smtp_server[0]
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5"}
    env = {k: v for k, v in env.items() if not k.startswith("SCORECARD_")}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serve = None
    try:
        api = f"http://127.0.0.1:{port}/api"
        wait_for(lambda: healthy(api), seconds=120)
        before = len(inbox.messages)
        reports = set(workspace.glob(f"out/{LATEST.label}/*/report.pdf"))
        serve = subprocess.Popen([sys.executable, "-m", "scorecard.cli", "serve", "--cron", "* * * * *"],
                                 cwd=workspace, env={**env, "PREFECT_API_URL": api},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: len(inbox.messages) > before, seconds=150)
        assert set(workspace.glob(f"out/{LATEST.label}/*/report.pdf")) - reports  # a new report of the month
        message = email.message_from_bytes(inbox.messages[-1][1], policy=email.policy.default)
        assert LATEST.label in message["Subject"]
    finally:
        for process in (serve, server):
            if process is not None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def healthy(api: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up after {seconds} s"
        time.sleep(1)
