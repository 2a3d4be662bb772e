"""Time the Polars KPI engine against the DuckDB SQL cross-check on the 10M-ticket workload.

    uv run python -m benchmarks.metric_engine [--tickets 10000000] [--runs 3] [--seed 0]

The workload comes from tests/crosscheck/synthetic.py and is cached as Parquet under
benchmarks/data/ (the first run generates it). The frames are loaded into memory once;
then, in this one process, every stage runs ``compute_metrics`` and ``duckdb_metrics``
``--runs`` times each and reports the medians. The two engines' rows are also compared,
so the timing is of two computations known to agree. Results go to
benchmarks/results/metric_engine.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from tests.crosscheck.compare import disagreements
from tests.crosscheck.duckdb_catalogue import duckdb_metrics
from tests.crosscheck.synthetic import Sizes, synthetic_frames
from transforms.compute import compute_metrics
from transforms.params import MetricParams
from transforms.periods import Period
from transforms.schema import ENTITIES

HERE = Path(__file__).parent
DATA_DIR = HERE / "data"
RESULTS = HERE / "results" / "metric_engine.json"
MONTH = "2026-03"
ZONES = ("UTC", "Europe/Moscow")


def load_workload(tickets: int, seed: int) -> tuple[dict[str, pl.DataFrame], float | None, float]:
    """The frames in memory, generating and caching them first if needed.

    Returns the frames, the generation seconds (None when cached) and the load seconds.
    """
    folder = DATA_DIR / f"synthetic-{tickets}-seed{seed}"
    generated_s = None
    if not all((folder / f"{entity}.parquet").exists() for entity in ENTITIES):
        started = time.perf_counter()
        frames = synthetic_frames(tickets, seed)
        generated_s = time.perf_counter() - started
        folder.mkdir(parents=True, exist_ok=True)
        for entity, frame in frames.items():
            frame.write_parquet(folder / f"{entity}.parquet")
        del frames
    started = time.perf_counter()
    frames = {entity: pl.read_parquet(folder / f"{entity}.parquet") for entity in ENTITIES}
    return frames, generated_s, time.perf_counter() - started


def timed_runs(compute: Callable[[], pl.DataFrame], runs: int) -> tuple[list[float], pl.DataFrame]:
    """Seconds of each of ``runs`` calls, and the last call's rows."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = compute()
        seconds.append(time.perf_counter() - started)
    return seconds, rows


def run_stage(frames: dict[str, pl.DataFrame], zone: str, runs: int) -> dict[str, object]:
    period = Period.parse(MONTH, zone)
    params = MetricParams(reporting_tz=zone)
    lazy = {entity: frame.lazy() for entity, frame in frames.items()}
    polars_s, polars_rows = timed_runs(lambda: compute_metrics(lazy, period, params), runs)
    duckdb_s, duckdb_rows = timed_runs(lambda: duckdb_metrics(frames, period, params), runs)
    polars_median, duckdb_median = statistics.median(polars_s), statistics.median(duckdb_s)
    return {
        "stage": f"all KPIs, {MONTH} {zone}",
        "polars_s": round(polars_median, 3),
        "duckdb_s": round(duckdb_median, 3),
        "ratio_polars_over_duckdb": round(polars_median / duckdb_median, 2),
        "polars_runs_s": [round(s, 3) for s in polars_s],
        "duckdb_runs_s": [round(s, 3) for s in duckdb_s],
        "metric_rows": polars_rows.height,
        "disagreements": disagreements(polars_rows, duckdb_rows),
    }


def print_table(stages: list[dict[str, object]]) -> None:
    print(f"{'stage':<36} {'polars s':>9} {'duckdb s':>9} {'ratio':>6}   (ratio = polars / duckdb)")
    for stage in stages:
        print(
            f"{stage['stage']:<36} {stage['polars_s']:>9.3f} {stage['duckdb_s']:>9.3f}"
            f" {stage['ratio_polars_over_duckdb']:>6.2f}   disagreements: {len(stage['disagreements'])}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    frames, generated_s, load_s = load_workload(args.tickets, args.seed)
    rows = {entity: frame.height for entity, frame in frames.items()}
    print(f"workload: {rows}")
    print(
        f"generated in {generated_s:.1f} s"
        if generated_s is not None
        else "workload read from cache"
    )
    print(f"loaded into memory in {load_s:.2f} s")
    stages = [run_stage(frames, zone, args.runs) for zone in ZONES]
    print_table(stages)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "workload": {
                    "sizes": Sizes.for_tickets(args.tickets).__dict__,
                    "rows": rows,
                    "seed": args.seed,
                },
                "generated_s": None if generated_s is None else round(generated_s, 2),
                "load_s": round(load_s, 2),
                "runs": args.runs,
                "stages": stages,
                "versions": {
                    "python": platform.python_version(),
                    "polars": pl.__version__,
                    "duckdb": duckdb.__version__,
                },
            },
            indent=2,
        )
        + "\n"
    )
    print(f"results: {args.out}")


if __name__ == "__main__":
    main()
