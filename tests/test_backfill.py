"""Backfill planning on hand-made run records, then real backfills through Prefect.

The Prefect part runs the command line in this process against one test server:
four periods of which the last has no data (fault isolation), two at a time, no
email unless --send (a real SMTP server on localhost counts what arrives).
"""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from workspace import TIMEZONE, write_workspace

from scorecard.backfill import (
    PeriodOutcome,
    outcome_of,
    outcome_table,
    parse_only,
    periods_between,
    plan,
    plan_table,
)
from scorecard.errors import ScorecardError, ValidationFailed
from scorecard.locks import PeriodBusy
from scorecard.store import RunRecord
from transforms.periods import Period

T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
PERIODS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]


def record(period: str, status: str, minute: int, code: str = "v1", inputs: dict | None = None) -> RunRecord:
    started = T0 + timedelta(minutes=minute)
    return RunRecord(
        run_id=f"{period}-{minute}", period=period, status=status, started_at=started,
        finished_at=None if status == "running" else started + timedelta(seconds=30), code_version=code,
        input_checksums=inputs or {}, report_path=f"/out/{period}/report.pdf" if status == "succeeded" else None,
        error="boom" if "failed" in status else None,
    )


RUNS = [
    record("2026-01", "succeeded", 0, inputs={"tickets.csv": "aa"}),
    record("2026-02", "validation failed", 1),
    record("2026-03", "succeeded", 2, inputs={"tickets.csv": "aa"}),
    record("2026-03", "failed", 3),
    record("2026-04", "running", 4),  # its process died: nobody holds the lock
]
CURRENT = {"2026-01": {"tickets.csv": "aa"}, "2026-03": {"tickets.csv": "bb"}}


def decisions(only: str, running=None, code: str = "v1", checksums=CURRENT) -> dict[str, tuple[bool, str]]:
    items = plan(PERIODS, RUNS, only=parse_only(only), running=running or {}, checksums=checksums, code_version=code)
    return {item.period: (item.run, item.reason) for item in items}


def to_run(only: str) -> dict[str, str]:
    """The periods the plan for --only runs, each with its reason."""
    return {period: reason for period, (run, reason) in decisions(only).items() if run}


def test_every_period_runs_without_only():
    assert decisions("") == {
        "2026-01": (True, "last run succeeded 2026-11-01 06:00"),
        "2026-02": (True, "last run validation failed 2026-11-01 06:01"),
        "2026-03": (True, "last run failed 2026-11-01 06:03"),
        "2026-04": (True, "last run running 2026-11-01 06:04"),
        "2026-05": (True, "never run"),
    }


def test_missing_means_no_report_yet():
    assert set(to_run("missing")) == {"2026-02", "2026-04", "2026-05"}


def test_failed_means_last_run_failed_or_interrupted():
    assert to_run("failed") == {
        "2026-02": "last run validation failed",
        "2026-03": "last run failed",
        "2026-04": "last run interrupted",
    }


def test_changed_compares_inputs_and_code_with_the_last_report():
    assert to_run("changed") == {
        "2026-02": "no report yet",
        "2026-03": "inputs changed (tickets.csv)",
        "2026-04": "no report yet",
        "2026-05": "no report yet",
    }
    assert decisions("changed", code="v2")["2026-01"] == (True, "code changed (v1 → v2)")
    unreadable = {**CURRENT, "2026-01": "tickets.csv: export not found — put the file there"}
    assert decisions("changed", checksums=unreadable)["2026-01"] == (
        True, "inputs cannot be pulled (tickets.csv: export not found — put the file there)")


def test_choices_combine_and_running_periods_are_left_alone():
    assert set(to_run("missing,failed")) == {"2026-02", "2026-03", "2026-04", "2026-05"}
    running = {"2026-04": "pid 77 since 2026-11-01T06:04:00+00:00"}
    assert decisions("failed", running=running)["2026-04"] == (False, "running now (pid 77 since 2026-11-01T06:04:00+00:00)")
    assert decisions("", running=running)["2026-04"][0] is True  # asked for: it waits or reports "already running"


def test_bad_choices_and_ranges_are_one_line():
    with pytest.raises(ScorecardError, match="--only: unknown choice 'missed'"):
        parse_only("missing,missed")
    first, last = Period.parse("2026-10"), Period.parse("2026-08")
    with pytest.raises(ScorecardError, match="--from 2026-10 is after --to 2026-08; swap them"):
        periods_between(first, last)
    with pytest.raises(ScorecardError, match="must both be months"):
        periods_between(Period.parse("2026Q1"), Period.parse("2026-08"))
    assert [p.label for p in periods_between(Period.parse("2025-11"), Period.parse("2026-02"))] == [
        "2025-11", "2025-12", "2026-01", "2026-02"]


def test_outcomes_say_what_failed_and_the_tables_line_up():
    def busy():
        raise PeriodBusy("period 2026-02 is already running (pid 9 since x); wait for it or pass --wait")

    def invalid():
        raise ValidationFailed("tickets.csv: no row in the period")

    def broken():
        raise RuntimeError("disk full\nsecond line")

    outcomes = [outcome_of("2026-01", lambda: None), outcome_of("2026-02", busy),
                outcome_of("2026-03", invalid), outcome_of("2026-04", broken)]
    assert [(o.status, o.error) for o in outcomes] == [
        ("succeeded", None),
        ("already running", "period 2026-02 is already running (pid 9 since x); wait for it or pass --wait"),
        ("validation failed", "tickets.csv: no row in the period"),
        ("failed", "RuntimeError: disk full"),
    ]
    assert [o.ok for o in outcomes] == [True, False, False, False]
    table = outcome_table([PeriodOutcome("2026-01", "succeeded", 12.345), PeriodOutcome("2026-02", "failed", 3.0, "boom")])
    assert table.splitlines() == [
        "period   status     seconds  error",
        "2026-01  succeeded     12.3",
        "2026-02  failed         3.0  boom",
    ]
    items = plan(["2026-05"], RUNS, only=frozenset(), running={}, checksums={}, code_version="v1")
    assert plan_table(items).splitlines() == ["period   action  reason", "2026-05  run     never run"]


# --- real backfills through Prefect ---------------------------------------------------------
@pytest.fixture(scope="module")
def workspace(tmp_path_factory, module_smtp_server) -> Path:
    return write_workspace(tmp_path_factory.mktemp("backfill"), end=Period.parse("2026-10", TIMEZONE), months=3,
                           seed=11, tickets_per_month=300, smtp_port=module_smtp_server[1])


def cli(capsys, *args: str) -> tuple[int, str, str]:
    from scorecard.cli import main

    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_backfill_isolates_failures_and_sends_nothing(prefect_test_server, workspace, module_smtp_server, capsys):
    from scorecard.config import load_settings
    from scorecard.store import open_store

    inbox = module_smtp_server[0]
    config = str(workspace / "scorecard.toml")
    code, out, err = cli(capsys, "backfill", "--from", "2026-08", "--to", "2026-11", "--max-parallel", "2",
                         "--config", config)
    assert code == 1, err
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    for period in ("2026-08", "2026-09", "2026-10"):
        assert rows[period].split()[1] == "succeeded"
    assert "validation failed" in rows["2026-11"]
    assert "no row has ordered_at in 2026-11" in rows["2026-11"]
    assert "4/4" in err  # the progress bar went to stderr
    assert "Traceback" not in err

    store = open_store(load_settings(config).store)
    assert store.stored_periods() == ["2026-08", "2026-09", "2026-10"]
    last = {run.period: run for run in store.runs()}
    assert {p: r.status for p, r in last.items()} == {
        "2026-08": "succeeded", "2026-09": "succeeded", "2026-10": "succeeded", "2026-11": "validation failed"}
    for period in ("2026-08", "2026-09", "2026-10"):
        assert Path(last[period].report_path).is_file()
        assert set(store.period_values(period)["run_id"]) == {last[period].run_id}  # the run's own rows
    assert inbox.messages == [] and store.deliveries() == []  # a backfill never emails unless asked
    # Two at a time, yet each month compared and stored after the month before it had stored
    # its own values (scorecard.values_order): the metric rows' stored_at rise with the period.
    import duckdb

    with duckdb.connect(str(load_settings(config).store.path), read_only=True) as db:
        stored = db.sql("SELECT period, min(stored_at), max(stored_at) FROM metric_values "
                        "GROUP BY period ORDER BY period").fetchall()
    assert [row[0] for row in stored] == ["2026-08", "2026-09", "2026-10"]
    assert all(earlier[2] < later[1] for earlier, later in zip(stored, stored[1:]))

    # Nothing changed since: --only changed leaves the three good months alone.
    code, out, _ = cli(capsys, "backfill", "--from", "2026-08", "--to", "2026-11", "--only", "changed",
                       "--dry-run", "--config", config)
    assert code == 0
    actions = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
    assert actions == {"2026-08": "skip", "2026-09": "skip", "2026-10": "skip", "2026-11": "run"}

    # A changed export changes every period that pulls it.
    tickets = workspace / "data" / "tickets.csv"
    original = tickets.read_bytes()
    tickets.write_bytes(original + b"\n")
    code, out, _ = cli(capsys, "backfill", "--from", "2026-09", "--to", "2026-10", "--only", "changed",
                       "--dry-run", "--config", config)
    tickets.write_bytes(original)
    assert [line.split(None, 2)[1:] for line in out.splitlines()[1:]] == [
        ["run", "inputs changed (tickets.csv)"], ["run", "inputs changed (tickets.csv)"]]

    # --send emails the period's report, once.
    code, out, err = cli(capsys, "backfill", "--from", "2026-10", "--to", "2026-10", "--send", "--config", config)
    assert code == 0, out + err
    assert len(inbox.messages) == 1
    recipients, raw = inbox.messages[0]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert recipients == ["ceo@example.test"] and "2026-10" in message["Subject"]
