"""A backfill on a real local Dask cluster (two worker processes) through prefect-dask."""

from __future__ import annotations

from pathlib import Path

import pytest
from workspace import TIMEZONE, write_workspace

from scorecard.config import load_settings
from scorecard.store import open_store
from transforms.periods import Period

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as local,
        Client(local) as client,
    ):
        yield local, client


def test_periods_run_on_both_dask_workers(prefect_test_server, cluster, tmp_path, capsys):
    from scorecard.cli import main

    local, client = cluster
    orchestration = f"""[orchestration]
task_runner = "dask"
dask_address = "{local.scheduler_address}"
"""
    config = write_workspace(tmp_path, end=Period.parse("2026-10", TIMEZONE), months=2, seed=5, tickets_per_month=300,
                             extra_config=orchestration) / "scorecard.toml"

    code = main(["backfill", "--from", "2026-09", "--to", "2026-10", "--config", str(config)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert [line.split()[:2] for line in out.splitlines()[1:]] == [["2026-09", "succeeded"], ["2026-10", "succeeded"]]

    store = open_store(load_settings(config).store)
    assert store.stored_periods() == ["2026-09", "2026-10"]
    assert all(Path(run.report_path).is_file() for run in store.runs())
    # Both worker processes did work: two periods, each a values pass and a monthly run.
    executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and all(count >= 1 for count in executed.values())
    assert sum(executed.values()) == 4
