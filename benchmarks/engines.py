"""The Polars metric engine against DuckDB SQL and pandas on one workload, in one process.

Each engine computes the whole catalogue for the workload's period ``--runs`` times
on frames already in memory (the Polars engine and DuckDB from Polars frames, pandas
from ``pd.read_parquet`` frames); the medians are reported with the ratios
Polars / DuckDB and Polars / pandas. The rows of the three engines are compared
(tests/crosscheck/compare.py, 1e-9), so the timings are of computations known to agree.

    uv run python -m benchmarks.engines FOLDER --period 2026-10 [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import pandas as pd
import polars as pl

from benchmarks.metric_engine import timed_runs
from benchmarks.pandas_catalogue import pandas_metrics
from benchmarks.processes import peak_rss_mb, run_child
from benchmarks.workloads import TIMEZONE, Workload, load_frames
from tests.crosscheck.compare import disagreements
from tests.crosscheck.duckdb_catalogue import duckdb_metrics
from transforms.compute import compute_metrics
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.rows import METRIC_SCHEMA


def compare_engines(workload: Workload, folder: Path, runs: int) -> dict:
    """Run the comparison in a fresh process (so the workload's memory is freed after it)."""
    result = run_child(
        "benchmarks.engines", str(folder), "--period", workload.period.label, "--runs", str(runs)
    )
    return {"workload": workload.name, **result}


def measure(folder: Path, period: Period, runs: int) -> dict:
    """Each engine ``runs`` times; the Polars frames are dropped before pandas reads its own,
    so that the process holds one copy of the workload at a time."""
    params = MetricParams(reporting_tz=TIMEZONE)
    (polars_s, polars_rows), (duckdb_s, duckdb_rows) = _on_polars_frames(
        folder, period, params, runs
    )
    pandas_s, pandas_rows = _on_pandas_frames(folder, period, params, runs)

    medians = {
        name: statistics.median(s)
        for name, s in (("polars", polars_s), ("duckdb", duckdb_s), ("pandas", pandas_s))
    }
    return {
        "period": period.label,
        "runs": runs,
        "polars_s": medians["polars"],
        "duckdb_s": medians["duckdb"],
        "pandas_s": medians["pandas"],
        "polars_over_duckdb": medians["polars"] / medians["duckdb"],
        "polars_over_pandas": medians["polars"] / medians["pandas"],
        "runs_s": {"polars": polars_s, "duckdb": duckdb_s, "pandas": pandas_s},
        "metric_rows": polars_rows.height,
        "pandas_rows": pandas_rows.height,
        "duckdb_disagreements": disagreements(polars_rows, duckdb_rows),
        "pandas_disagreements": [
            line.replace("duckdb", "pandas") for line in disagreements(polars_rows, pandas_rows)
        ],
        "peak_rss_mb": peak_rss_mb(),
    }


def _on_polars_frames(folder: Path, period: Period, params: MetricParams, runs: int):
    """(seconds, rows) of the Polars engine and of DuckDB, on the same Polars frames."""
    frames = load_frames(folder)
    lazy = {entity: frame.lazy() for entity, frame in frames.items()}
    return (
        timed_runs(lambda: compute_metrics(lazy, period, params), runs),
        timed_runs(lambda: duckdb_metrics(frames, period, params), runs),
    )


def _on_pandas_frames(folder: Path, period: Period, params: MetricParams, runs: int):
    """(seconds, rows) of pandas on frames read by ``pd.read_parquet``."""
    frames = {path.stem: pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}
    seconds, table = timed_runs(lambda: pandas_metrics(frames, period, params), runs)
    return seconds, pl.from_pandas(table, nan_to_null=True).cast(dict(METRIC_SCHEMA))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a workload folder of Parquet exports")
    parser.add_argument("--period", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.folder, Period.parse(args.period, TIMEZONE), args.runs)))


if __name__ == "__main__":
    main()
