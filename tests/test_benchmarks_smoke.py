"""The benchmark harness runs end to end on a tiny workload and writes valid results.

Timings are never asserted (the machine is shared); what is checked is that every
stage ran on the rows the generator made, and that the three metric engines agree.
"""

from __future__ import annotations

import json

from benchmarks.run import main
from benchmarks.stages import STAGES
from benchmarks.workloads import SEED, TIMEZONE, Workload
from scorecard.demo_data import generate_demo
from scorecard.report import MIN_REPORT_PAGES
from scorecard.sources import RowWindow


def test_the_harness_measures_a_tiny_workload_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    argv = [
        "--workload",
        "T=300x2",
        "--runs",
        "1",
        "--no-end-to-end",
        "--data-dir",
        str(tmp_path),
        "--out",
        str(out),
    ]

    assert main(argv) == 0

    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["errors"] == []
    stages = {stage["stage"]: stage for stage in results["stages"]}
    assert list(stages) == list(STAGES)
    assert all(stage["seconds"] > 0 and stage["peak_rss_mb"] > 0 for stage in stages.values())

    workload = Workload("T", 300, 2)
    generated = generate_demo(
        end=workload.period, months=2, seed=SEED, tickets_per_month=300, tz=TIMEZONE
    )
    # the read keeps the rows the month can use (12 months of orders look-back by default)
    window = RowWindow.for_periods([workload.period.with_tz(TIMEZONE)], 12)
    expected = {
        entity: frame.height if (keep := window.rows(entity, window.related_ids(entity, generated))) is None
        else frame.filter(keep).height
        for entity, frame in generated.items()
    }
    assert stages["read"]["rows"] == expected
    assert expected["tickets"] < generated["tickets"].height  # last month's tickets, not both
    assert stages["validate"]["critical"] is False
    assert stages["validate"]["suites"]["tickets"]["rows_checked"] > 0
    assert stages["store"]["rows_stored"] == stages["compute"]["metric_rows"]
    assert stages["render"]["pdf_pages"] >= MIN_REPORT_PAGES

    (engines,) = results["engines"]
    assert engines["duckdb_disagreements"] == []
    assert engines["pandas_disagreements"] == []  # pandas agrees with every Polars row within 1e-9
    assert engines["pandas_rows"] == engines["metric_rows"] == stages["compute"]["metric_rows"]

    budgets = {budget["name"]: budget["status"] for budget in results["budgets"]}
    assert set(budgets.values()) <= {"PASS", "MISS", "SKIP"}
    assert budgets["monthly run end to end (T, Prefect server), process start included"] == "SKIP"
    assert "engine / pandas (T)" in budgets
