"""Throughput and memory of ``scorecard.validation.validate`` on the synthetic workload.

    uv run python -m benchmarks.validation_throughput [--tickets 1000000 10000000] [--seed 0]
        [--one-month 1000000]

Each case runs in its own process (so peak RSS is that case's alone) on the
workload of tests/crosscheck/synthetic.py, cached as Parquet under
benchmarks/data/ (shared with benchmarks/metric_engine.py):

- ``spread``: tickets over 36 months (2024-01 … 2026-12), period 2026-03 — the
  usual case: only the rows that can count in the period are checked;
- ``one-month``: every row in the period itself (2026-03), the worst case for
  the period window: all tickets are checked.

The child loads the frames (RSS after load), warms Great Expectations up on the
first 1,000 rows of each entity (the import and context cost seconds once per
process; RSS after warm-up), then times one ``validate``: wall and CPU seconds,
and the peak RSS during it (Linux VmHWM, reset just before; it includes the
input frames, which stay resident). Per-entity seconds come from the runner's log records. Prints a
table and writes benchmarks/results/validation.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).parent
DATA_DIR = HERE / "data"
RESULTS = HERE / "results" / "validation.json"
PERIOD = "2026-03"
SCENARIOS = {"spread": ("2024-01", 36), "one-month": (PERIOD, 1)}


def workload_folder(tickets: int, seed: int, scenario: str) -> Path:
    """The cached Parquet files of a workload, generated on first use."""
    from tests.crosscheck.synthetic import synthetic_frames
    from transforms.schema import ENTITIES

    first_month, months = SCENARIOS[scenario]
    suffix = "" if scenario == "spread" else f"-{scenario}"  # "spread" shares metric_engine's cache
    folder = DATA_DIR / f"synthetic-{tickets}-seed{seed}{suffix}"
    if not all((folder / f"{entity}.parquet").exists() for entity in ENTITIES):
        frames = synthetic_frames(tickets, seed, first_month=first_month, months=months)
        folder.mkdir(parents=True, exist_ok=True)
        for entity, frame in frames.items():
            frame.write_parquet(folder / f"{entity}.parquet")
    return folder


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1e6


def _reset_peak_rss() -> None:
    """Start a new peak-RSS measurement (Linux: clear_refs 5 resets VmHWM)."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    """Peak resident memory since the last reset, in MB (VmHWM of /proc/self/status)."""
    line = next(
        line
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmHWM")
    )
    return int(line.split()[1]) * 1024 / 1e6


class _EntityTimes(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seconds: dict[str, float] = {}
        self.checked: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "entity"):
            self.seconds[record.entity] = round(record.seconds, 3)
            self.checked[record.entity] = record.checked


def measure(folder: Path) -> dict:
    """One timed validate() over the workload in ``folder`` (run in a fresh process)."""
    from scorecard.validation import ValidationSettings, validate
    from transforms.periods import Period
    from transforms.schema import ENTITIES

    frames = {entity: pl.read_parquet(folder / f"{entity}.parquet") for entity in ENTITIES}
    period = Period.parse(PERIOD)
    settings = ValidationSettings()
    rss_loaded = _rss_mb()
    validate({entity: frame.head(1000) for entity, frame in frames.items()}, period, settings)
    rss_warm = _rss_mb()
    _reset_peak_rss()

    times = _EntityTimes()
    logger = logging.getLogger("scorecard.validation.runner")
    logger.addHandler(times)
    logger.setLevel(logging.INFO)
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = validate(frames, period, settings)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started

    rows = {entity: frame.height for entity, frame in frames.items()}
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "rows": rows,
        "rows_per_s_all": round(sum(rows.values()) / seconds),
        "entity_seconds": times.seconds,
        "entity_rows_checked": times.checked,
        "entity_rows_per_s": {e: round(rows[e] / s) for e, s in times.seconds.items() if s > 0},
        "quarantined": outcome.quarantine.height,
        "critical": outcome.critical,
        "rss_after_load_mb": round(rss_loaded),
        "rss_after_warm_up_mb": round(rss_warm),
        "peak_rss_mb": round(_peak_rss_mb()),
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "input_mb": round(sum(frame.estimated_size() for frame in frames.values()) / 1e6),
    }


def run_case(tickets: int, seed: int, scenario: str) -> dict:
    folder = workload_folder(tickets, seed, scenario)
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.validation_throughput", "--measure", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    return {"tickets": tickets, "scenario": scenario, "period": PERIOD, **result}


def print_table(cases: list[dict]) -> None:
    header = (
        f"{'scenario':<10} {'tickets':>10} {'all rows':>10} {'validate s':>10} {'cpu s':>6} "
        f"{'tickets s':>9} {'tickets rows/s':>14} {'RSS loaded':>10} {'RSS warm':>8} {'peak RSS':>8} {'load':>5}"
    )
    print(header + "   (RSS in MB)")
    for case in cases:
        ticket_s = case["entity_seconds"]["tickets"]
        print(
            f"{case['scenario']:<10} {case['tickets']:>10,} {sum(case['rows'].values()):>10,} "
            f"{case['seconds']:>10.2f} {case['cpu_seconds']:>6.2f} {ticket_s:>9.2f} "
            f"{case['entity_rows_per_s']['tickets']:>14,} {case['rss_after_load_mb']:>10,} "
            f"{case['rss_after_warm_up_mb']:>8,} {case['peak_rss_mb']:>8,} {case['load_average_1min']:>5.1f}"
        )
    for case in cases:
        per_entity = ", ".join(
            f"{e} {case['entity_seconds'][e]:.2f} s ({case['entity_rows_checked'][e]:,}/{case['rows'][e]:,} rows checked)"
            for e in case["entity_seconds"]
        )
        print(f"{case['scenario']} {case['tickets']:,}: {per_entity}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--one-month", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    cases = [run_case(n, args.seed, "spread") for n in args.tickets]
    cases += [run_case(n, args.seed, "one-month") for n in args.one_month]
    print_table(cases)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"machine": platform.platform(), "cpus": _cpus(), "cases": cases}, indent=2)
        + "\n",
        encoding="utf-8",
    )


def _cpus() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
