"""The command line as a user runs it: a subprocess, its stdout, its exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from scorecard.demo_data import generate_demo, write_demo
from transforms.compute import compute_metrics
from transforms.params import MetricParams
from transforms.periods import Period

PERIOD = Period.parse("2026-10", "Europe/Moscow")


def scorecard(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORECARD_")}
    return subprocess.run(
        [sys.executable, "-m", "scorecard.cli", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict[str, pl.DataFrame]]:
    folder = tmp_path_factory.mktemp("exports")
    frames = generate_demo(end=PERIOD, months=2, seed=3, tickets_per_month=400, tz="Europe/Moscow")
    write_demo(frames, folder, fmt="csv")
    return folder, frames


def test_help_is_instant_and_lists_the_commands(tmp_path):
    result = scorecard("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "metrics", "validate", "demo-data", "demo"):
        assert command in result.stdout


def test_metrics_json_equals_the_engine_on_the_generated_frames(demo, tmp_path):
    folder, frames = demo
    result = scorecard(
        "metrics", "--period", "2026-10", "--source", str(folder), "--timezone", "Europe/Moscow",
        "--format", "json", cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    printed = pl.DataFrame(json.loads(result.stdout)).sort("kpi", "segment")
    # Independent path: the generator's frames straight into the engine (no CSV, no validation).
    expected = compute_metrics(
        {name: frame.lazy() for name, frame in frames.items()}, PERIOD, MetricParams(reporting_tz="Europe/Moscow")
    )
    assert printed.columns == ["kpi", "segment", "value", "n"]
    assert printed["kpi"].n_unique() == 42
    joined = printed.join(expected, on=["kpi", "segment"], how="full", suffix="_expected")
    assert joined.height == expected.height == printed.height
    assert (joined["n"] == joined["n_expected"]).all()
    for value, wanted in zip(joined["value"], joined["value_expected"]):
        assert (value is None and wanted is None) or value == pytest.approx(wanted, rel=1e-9)


def test_metrics_csv_has_the_same_rows(demo, tmp_path):
    folder, _ = demo
    result = scorecard("metrics", "--period", "2026-10", "--source", str(folder), "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "kpi,segment,value,n"


def test_a_missing_column_is_one_line_and_a_non_zero_exit(demo, tmp_path):
    folder, frames = demo
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in folder.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    frames["tickets"].drop("channel").write_csv(broken / "tickets.csv")
    result = scorecard("metrics", "--period", "2026-10", "--source", str(broken), cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "tickets.csv" in lines[0] and "channel" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("metrics", "--period", "2026-13"), "--period"),
        (("metrics", "--period", "2026-10", "--timezone", "Mars/Base"), "reporting.timezone"),
        (("metrics", "--period", "2026-10", "--source", "/nonexistent"), "--source must be a folder"),
    ],
)
def test_wrong_arguments_are_one_line(tmp_path, args, expected):
    result = scorecard(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_metrics_of_an_empty_period_are_null_not_an_error(demo, tmp_path):
    folder, _ = demo
    result = scorecard("metrics", "--period", "2030-01", "--source", str(folder), "--timezone", "Europe/Moscow", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {(r["kpi"], r["segment"]): r for r in json.loads(result.stdout)}
    assert rows[("operational.tickets_created", "all")]["value"] == 0
    assert rows[("customer.csat_pct", "all")]["value"] is None
    assert rows[("customer.csat_pct", "all")]["n"] == 0
