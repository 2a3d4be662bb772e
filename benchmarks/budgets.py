"""The performance budgets (2 cores, 24 GB) checked against a benchmark's results.

Each budget reads the results dict of benchmarks/run.py and gives the measured value
and PASS, MISS or SKIP (not measured in this run, with the reason).
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass

VALIDATION_MIN_ROWS = 1_000_000  # suites checking fewer rows measure fixed overhead, not throughput
MB_PER_GB = 1000  # MB and GB are decimal, as in benchmarks/processes.py


@dataclass(frozen=True)
class Budget:
    name: str
    limit: str
    measured: str
    status: str  # PASS | MISS | SKIP
    note: str = ""


def _check(name: str, limit: str, ok: bool, shown: str, note: str = "") -> Budget:
    return Budget(name, limit, shown, "PASS" if ok else "MISS", note)


def _skip(name: str, limit: str, note: str) -> Budget:
    return Budget(name, limit, "—", "SKIP", note)


def _stage(results: dict, workload: str, stage: str) -> dict | None:
    return next(
        (s for s in results["stages"] if s["workload"] == workload and s["stage"] == stage), None
    )


def _e2e(results: dict, workload: str, predicate) -> list[dict]:
    return [row for row in results["end_to_end"] if row["workload"] == workload and predicate(row)]


def engine_budgets(results: dict) -> list[Budget]:
    budgets = []
    for engine in results["engines"]:
        name = engine["workload"]
        budgets.append(
            _check(
                f"engine / DuckDB ({name})",
                "≤ 1.0×",
                engine["polars_over_duckdb"] <= 1.0,
                f"{engine['polars_over_duckdb']:.2f}×",
            )
        )
        budgets.append(
            _check(
                f"engine / pandas ({name})",
                "≤ 0.3×",
                engine["polars_over_pandas"] <= 0.3,
                f"{engine['polars_over_pandas']:.2f}×",
            )
        )
    return budgets


def validation_budgets(results: dict, workload: str) -> list[Budget]:
    stage = _stage(results, workload, "validate")
    rate, peak = "validation rows/s per suite", "validation peak RSS at 10M rows"
    if stage is None:
        return [
            _skip(rate, "≥ 2M rows/s", f"no {workload} run"),
            _skip(peak, "≤ 2 GB", f"no {workload} run"),
        ]
    big = {e: s for e, s in stage["suites"].items() if s["rows_checked"] >= VALIDATION_MIN_ROWS}
    budgets = []
    if big:
        slowest = min(big, key=lambda e: big[e]["rows_per_s"])
        value = big[slowest]["rows_per_s"]
        budgets.append(
            _check(
                f"{rate} ({workload})",
                "≥ 2M rows/s",
                value >= 2_000_000,
                f"{value / 1e6:.2f}M ({slowest})",
                f"slowest of the suites checking ≥ {VALIDATION_MIN_ROWS:,} rows",
            )
        )
    else:
        budgets.append(
            _skip(rate, "≥ 2M rows/s", f"no suite checked ≥ {VALIDATION_MIN_ROWS:,} rows")
        )
    gb = stage["peak_rss_mb"] / MB_PER_GB
    budgets.append(_check(f"{peak} ({workload})", "≤ 2 GB", gb <= 2, f"{gb:.2f} GB"))
    return budgets


def monthly_budgets(results: dict, workload: str) -> list[Budget]:
    """The monthly run against a Prefect server (how the schedule runs it) and in
    ephemeral mode (a server subprocess started by the command itself)."""
    budgets = []
    for server, how in ((True, "Prefect server"), (False, "ephemeral Prefect")):
        name = f"monthly run end to end ({workload}, {how}), process start included"
        warm = _e2e(
            results,
            workload,
            lambda r, server=server: r["what"].startswith("monthly run")
            and not r["cold"]
            and r["ok"]
            and r.get("server", False) == server,
        )
        if not warm:
            budgets.append(_skip(name, "≤ 20 s", "no successful monthly run with a warm Prefect home"))
            continue
        seconds = statistics.median(row["seconds"] for row in warm)
        budgets.append(
            _check(name, "≤ 20 s", seconds <= 20, f"{seconds:.1f} s", f"median of {len(warm)} runs")
        )
    return budgets


def backfill_budgets(results: dict, workload: str) -> list[Budget]:
    speed, rerun = "backfill 24 months: parallel 2 vs 1", "unchanged backfill re-run vs first run"
    rows = {
        row.get("parallel"): row
        for row in _e2e(results, workload, lambda r: r["what"].startswith("backfill"))
        if not row.get("rerun")
    }
    again = _e2e(results, workload, lambda r: r.get("rerun", False))
    if not (rows.get(1) and rows.get(2) and again) or not all(
        r["ok"] for r in (rows[1], rows[2], again[0])
    ):
        note = next((n for n in results["notes"] if "backfill" in n), "backfill not measured")
        return [_skip(speed, "≥ 1.7× faster", note), _skip(rerun, "≤ 10 %", note)]
    speedup = rows[1]["seconds"] / rows[2]["seconds"]
    share = again[0]["seconds"] / rows[2]["seconds"]
    skipped = f"the re-run skipped {again[0]['periods_skipped']} of 24 periods"
    return [
        _check(f"{speed} ({workload})", "≥ 1.7× faster", speedup >= 1.7, f"{speedup:.2f}×"),
        _check(f"{rerun} ({workload})", "≤ 10 %", share <= 0.10, f"{share * 100:.0f} %", skipped),
    ]


def whole_run_budget(results: dict, workload: str) -> Budget:
    name = f"peak RSS of the whole monthly run ({workload})"
    runs = _e2e(results, workload, lambda r: r["what"].startswith("monthly run") and r["ok"])
    if not runs:
        return _skip(name, "≤ 4 GB", f"no successful monthly run on {workload}")
    gb = max(row["peak_rss_mb"] for row in runs) / MB_PER_GB
    return _check(name, "≤ 4 GB", gb <= 4, f"{gb:.2f} GB")


def render_budgets(results: dict, workload: str) -> list[Budget]:
    stage = _stage(results, workload, "render")
    if stage is None:
        return [
            _skip("report render", "≤ 3 s", f"no {workload} run"),
            _skip("report size", "≤ 1 MB", ""),
        ]
    mb = stage["pdf_bytes"] / 1e6
    return [
        _check(
            f"report render ({workload})",
            "≤ 3 s",
            stage["seconds"] <= 3,
            f"{stage['seconds']:.1f} s",
        ),
        _check(
            f"report size ({workload})",
            "≤ 1 MB",
            mb <= 1,
            f"{mb:.2f} MB ({stage['pdf_pages']} pages)",
        ),
    ]


def evaluate(results: dict, monthly: str, large: str, backfill: str) -> list[dict]:
    """Every budget, as dicts for the JSON; the names say which workload each is read from."""
    budgets = [
        *engine_budgets(results),
        *validation_budgets(results, large),
        *monthly_budgets(results, monthly),
        *backfill_budgets(results, backfill),
        whole_run_budget(results, large),
        *render_budgets(results, monthly),
    ]
    return [asdict(budget) for budget in budgets]
