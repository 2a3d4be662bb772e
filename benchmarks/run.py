"""Benchmarks at scale: every stage, the metric engine against DuckDB and pandas, end to end.

    make bench          # S, M and L, then the monthly run and the backfill end to end
    make bench-quick    # S and a small M (50,000 tickets a month × 24)

    uv run python -m benchmarks.run [--quick] [--workload NAME=TICKETSxMONTHS ...] [--runs 3]
        [--no-end-to-end] [--[no-]backfill] [--data-dir DIR] [--out FILE]

For each workload (benchmarks/workloads.py; generated once and cached in benchmarks/data/):

1. stages: read, validate, compute, store and render of the workload's last month,
   each in its own process (benchmarks/stages.py): wall time and peak RSS;
2. engines: the Polars engine, the DuckDB SQL cross-check and pandas on the same
   frames in one process, median of ``--runs`` (benchmarks/engines.py).

Then, unless ``--no-end-to-end``, the ``scorecard`` command as a user runs it
(benchmarks/end_to_end.py): the monthly run on S (once, in a new Prefect home: it pays
Prefect's database migrations), on M (twice) and on L (once: the whole run's peak RSS),
and — unless ``--quick``
or ``--no-backfill`` — the 24-month backfill at parallelism 1 and 2 plus an unchanged
re-run, on B (50,000 tickets a month: 24 monthly runs of the 1M-a-month M take hours).

Ctrl-C stops the measurements (and the command being measured), then prints and
writes what was measured so far.

It prints the tables and every budget (benchmarks/budgets.py) with PASS, MISS or
SKIP, and writes everything to benchmarks/results/bench.json (bench-quick.json
with ``--quick``). Timings are medians; ratios come from one process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from benchmarks import end_to_end
from benchmarks.budgets import evaluate
from benchmarks.engines import compare_engines
from benchmarks.processes import ChildFailed
from benchmarks.stages import run_stages
from benchmarks.workloads import (
    BACKFILL,
    DATA_DIR,
    FULL,
    QUICK,
    Workload,
    ensure_workload,
    parse_workload,
    row_counts,
    write_config,
)

RESULTS_DIR = Path(__file__).parent / "results"
MONTHLY_RUNS = 2  # on M; a run on the first (small) workload first warms the new Prefect home up
PACKAGES = ("polars", "duckdb", "pandas", "pyarrow", "great-expectations", "prefect", "weasyprint")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workloads = args.workload or list(QUICK if args.quick else FULL)
    names = {w.name: w for w in workloads}
    monthly = names.get("M", workloads[-1])
    large = names.get("L", workloads[-1])
    results: dict = {
        "variant": "quick" if args.quick else ("custom" if args.workload else "full"),
        "started_at": _now(),
        "machine": machine(),
        "workloads": {},
        "stages": [],
        "engines": [],
        "end_to_end": [],
        "notes": [],
        "errors": [],
    }
    backfill = args.backfill if args.backfill is not None else not args.quick
    try:
        with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as scratch:
            for workload in workloads:
                measure_workload(workload, args, Path(scratch) / workload.name, results)
            if args.end_to_end:
                measure_end_to_end(
                    workloads[0],
                    monthly,
                    large,
                    backfill,
                    args,
                    Path(scratch) / "end-to-end",
                    results,
                )
            else:
                results["notes"].append("end to end not measured (--no-end-to-end)")
    except KeyboardInterrupt:
        results["notes"].append(
            f"interrupted at {_now()}: what was not measured by then shows as SKIP"
        )
    results["finished_at"] = _now()
    results["load_average_at_end"] = os.getloadavg()
    results["budgets"] = evaluate(
        results, monthly=monthly.name, large=large.name, backfill=BACKFILL.name
    )
    print_report(results)
    out = args.out or RESULTS_DIR / ("bench-quick.json" if args.quick else "bench.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nresults: {out}")
    return 1 if results["errors"] else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="S and a small M only")
    parser.add_argument(
        "--workload",
        action="append",
        type=_workload,
        metavar="NAME=TICKETSxMONTHS",
        help="measure this workload instead of the defaults (repeatable); M and L name the end-to-end ones",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per engine; the median is reported (default 3)"
    )
    parser.add_argument(
        "--no-end-to-end",
        dest="end_to_end",
        action="store_false",
        help="skip the scorecard command runs",
    )
    parser.add_argument(
        "--backfill",
        action=argparse.BooleanOptionalAction,
        help=f"measure the backfill on {BACKFILL.label} (default: yes, except with --quick)",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=DATA_DIR, help="workload cache (default benchmarks/data)"
    )
    parser.add_argument(
        "--out", type=Path, help="results file (default benchmarks/results/bench[-quick].json)"
    )
    return parser.parse_args(argv)


def _workload(text: str) -> Workload:
    try:
        return parse_workload(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def measure_workload(
    workload: Workload, args: argparse.Namespace, scratch: Path, results: dict
) -> None:
    """Generate (or find) the workload, then its stages and the engine comparison."""
    print(f"== {workload.label}", flush=True)
    folder, generated_s = ensure_workload(workload, args.data_dir)
    results["workloads"][workload.name] = {
        "tickets_per_month": workload.tickets_per_month,
        "months": workload.months,
        "period": workload.period.label,
        "folder": str(folder),
        "generated_s": generated_s,
        "rows": row_counts(folder),
    }
    try:
        config = write_config(workload, folder, scratch)
        for stage in run_stages(config, workload.period, scratch / "state"):
            results["stages"].append({"workload": workload.name, **stage})
            print(
                f"   {stage['stage']:<9} {stage['seconds']:8.2f} s  peak {stage['peak_rss_mb']:7,.0f} MB",
                flush=True,
            )
    except ChildFailed as exc:
        _failed(results, f"stages of {workload.name}: {exc}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    try:
        engine = compare_engines(workload, folder, args.runs)
        results["engines"].append(engine)
        print(
            f"   engines   polars {engine['polars_s']:.2f} s, duckdb {engine['duckdb_s']:.2f} s, "
            f"pandas {engine['pandas_s']:.2f} s",
            flush=True,
        )
    except ChildFailed as exc:
        _failed(results, f"engines on {workload.name}: {exc}")


def measure_end_to_end(
    first: Workload,
    monthly: Workload,
    large: Workload,
    backfill: bool,
    args: argparse.Namespace,
    scratch: Path,
    results: dict,
) -> None:
    """The monthly run on M (and once on L), then the backfill when asked and the command exists.

    One run on ``first`` (the smallest workload) comes before them: it pays the new
    Prefect home's database migrations, which a user pays once, not every month.
    """
    prefect_home = scratch / "prefect"
    plan = {first: 1, monthly: MONTHLY_RUNS}  # runs per workload; S, M and L may coincide
    plan.setdefault(large, 1)
    print(f"== end to end: scorecard run on {', '.join(w.name for w in plan)}", flush=True)
    for workload, runs in plan.items():
        folder, _ = ensure_workload(workload, args.data_dir)
        rows = end_to_end.monthly_runs(
            workload, folder, scratch / f"monthly-{workload.name}", prefect_home, runs
        )
        _record(results, rows)
    print(f"== end to end: scorecard run on {monthly.name} against `prefect server start`", flush=True)
    folder, _ = ensure_workload(monthly, args.data_dir)
    server_home = scratch / "prefect-server"
    with end_to_end.prefect_server(server_home) as api_url:
        rows = end_to_end.monthly_runs(
            monthly, folder, scratch / f"monthly-{monthly.name}-server", server_home,
            MONTHLY_RUNS + 1, api_url=api_url,  # the first one warms the new server up
        )
        _record(results, rows)
        if not backfill:
            results["notes"].append(
                "backfill not measured (--quick or --no-backfill; --backfill measures it)"
            )
            return
        print(f"== end to end: scorecard backfill on {BACKFILL.label}, Prefect server", flush=True)
        folder, _ = ensure_workload(BACKFILL, args.data_dir)
        rows = end_to_end.backfill_runs(
            BACKFILL, folder, scratch / "backfill", server_home, api_url=api_url
        )
        _record(results, rows)


def _record(results: dict, rows: Iterable[dict]) -> None:
    for row in rows:
        results["end_to_end"].append(row)
        status = "" if row["ok"] else f"  FAILED: {row['error']}"
        print(
            f"   {row['what']:<40} {row['seconds']:8.1f} s  peak {row['peak_rss_mb']:7,.0f} MB{status}",
            flush=True,
        )
        if not row["ok"]:
            results["errors"].append(f"{row['workload']} {row['what']}: {row['error']}")


def _failed(results: dict, line: str) -> None:
    results["errors"].append(line)
    print(f"bench: {line}", file=sys.stderr, flush=True)


# --- the report -----------------------------------------------------------------------------
def print_report(results: dict) -> None:
    m = results["machine"]
    print(
        f"\nmachine: {m['cpus']} cores ({m['cpu_model']}), {m['memory_gb']:.1f} GiB, Python {m['python']}, "
        f"load average at start {m['load_average'][0]:.1f}"
    )
    print("\nstages (each in its own process; seconds of the stage alone, peak RSS of its process)")
    print(
        _table(
            ["workload", "stage", "seconds", "input load s", "RSS in MB", "peak RSS MB", "notes"],
            [
                [
                    s["workload"],
                    s["stage"],
                    f"{s['seconds']:.2f}",
                    f"{s['load_s']:.2f}",
                    "" if s["stage"] == "read" else f"{s['rss_in_mb']:,.0f}",
                    f"{s['peak_rss_mb']:,.0f}",
                    _stage_note(s),
                ]
                for s in results["stages"]
            ],
        )
    )
    print("\nmetric engine (whole catalogue, same frames, one process, median of runs)")
    print(
        _table(
            [
                "workload",
                "polars s",
                "duckdb s",
                "pandas s",
                "polars/duckdb",
                "polars/pandas",
                "rows",
                "disagreements",
            ],
            [
                [
                    e["workload"],
                    f"{e['polars_s']:.3f}",
                    f"{e['duckdb_s']:.3f}",
                    f"{e['pandas_s']:.3f}",
                    f"{e['polars_over_duckdb']:.2f}×",
                    f"{e['polars_over_pandas']:.2f}×",
                    str(e["metric_rows"]),
                    f"duckdb {len(e['duckdb_disagreements'])}, pandas {len(e['pandas_disagreements'])}",
                ]
                for e in results["engines"]
            ],
        )
    )
    if results["end_to_end"]:
        print("\nend to end (the scorecard command, interpreter start included)")
        print(
            _table(
                ["workload", "what", "seconds", "peak RSS MB", "ok"],
                [
                    [
                        r["workload"],
                        r["what"],
                        f"{r['seconds']:.1f}",
                        f"{r['peak_rss_mb']:,.0f}",
                        "yes" if r["ok"] else "NO",
                    ]
                    for r in results["end_to_end"]
                ],
            )
        )
    print("\nbudgets")
    print(
        _table(
            ["budget", "limit", "measured", "status", "note"],
            [
                [b["name"], b["limit"], b["measured"], b["status"], b["note"]]
                for b in results["budgets"]
            ],
        )
    )
    for note in results["notes"]:
        print(f"note: {note}")
    for error in results["errors"]:
        print(f"error: {error}")


def _stage_note(stage: dict) -> str:
    if stage["stage"] == "read":
        return (
            f"{sum(stage['rows'].values()):,} rows, {stage['input_bytes'] / 1e6:,.0f} MB of Parquet"
        )
    if stage["stage"] == "validate":
        suites = sorted(stage["suites"].items(), key=lambda item: -item[1]["rows_checked"])[:3]
        rates = ", ".join(
            f"{e} {s['rows_per_s'] / 1e6:.2f}M rows/s" for e, s in suites if s["rows_per_s"]
        )
        return f"warm-up {stage['warm_up_s']:.1f} s; {rates}"
    if stage["stage"] == "render":
        return f"{stage['pdf_bytes'] / 1000:,.0f} kB, {stage['pdf_pages']} pages"
    return ""


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip()
        for line in [headers, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_kb / 2**20,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "versions": {package: version(package) for package in PACKAGES},
    }


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


if __name__ == "__main__":
    raise SystemExit(main())
