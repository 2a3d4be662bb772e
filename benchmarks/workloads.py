"""The benchmark workloads: demo exports at scale, generated once and cached as Parquet.

    S: 100k tickets in one month
    M: 1M tickets a month for 24 months (customers, orders, surveys and agents in proportion)
    L: 10M tickets in one month

Each workload is ``scorecard.demo_data.generate_demo`` with a fixed seed and end month,
written by ``write_demo`` as Parquet into ``benchmarks/data/demo-<tickets>x<months>-seed<seed>/``
(gitignored). The period benchmarked is the workload's last month.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms.periods import Period
from transforms.schema import ENTITIES

DATA_DIR = Path(__file__).parent / "data"
END = "2026-10"
TIMEZONE = "Europe/Moscow"
SEED = 7
# Where the demo configuration differs from the product's defaults, the benchmark runs the
# defaults: Great Expectations Data Docs are written off the hot path (write_data_docs = false).
SETTINGS_ENV = {"SCORECARD_VALIDATION__WRITE_DATA_DOCS": "false"}


@dataclass(frozen=True)
class Workload:
    name: str
    tickets_per_month: int
    months: int

    @property
    def period(self) -> Period:
        """The month every stage runs for: the workload's last month."""
        return Period.parse(END, TIMEZONE)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.tickets_per_month:,} tickets/month × {self.months})"

    def folder(self, data_dir: Path = DATA_DIR) -> Path:
        return data_dir / f"demo-{self.tickets_per_month}x{self.months}-seed{SEED}"


FULL = (Workload("S", 100_000, 1), Workload("M", 1_000_000, 24), Workload("L", 10_000_000, 1))
QUICK = (Workload("S", 100_000, 1), Workload("M", 50_000, 24))
# The backfill runs the monthly flow 24 times (more with --max-parallel 2), each reading every
# export: on the 1M-a-month M that is hours, so it runs on the small M in every variant.
BACKFILL = Workload("B", 50_000, 24)


def parse_workload(text: str) -> Workload:
    """``NAME=TICKETSxMONTHS`` (e.g. ``M=50000x24``) as a Workload."""
    try:
        name, size = text.split("=")
        tickets, months = size.lower().split("x")
        workload = Workload(name, int(tickets), int(months))
    except ValueError:
        raise ValueError(f"workload {text!r}: write NAME=TICKETSxMONTHS, e.g. M=50000x24") from None
    if workload.tickets_per_month < 1 or workload.months < 1:
        raise ValueError(f"workload {text!r}: tickets and months must be at least 1")
    return workload


def ensure_workload(workload: Workload, data_dir: Path = DATA_DIR) -> tuple[Path, float | None]:
    """The workload's folder of Parquet exports, generated first when it is not cached.

    Returns the folder and the generation seconds (None when it was cached). The files
    are written into a scratch folder that is renamed at the end, so an interrupted
    generation never leaves a half-written cache.
    """
    from scorecard.demo_data import generate_demo, write_demo

    folder = workload.folder(data_dir)
    if folder.is_dir():
        return folder, None
    scratch = folder.with_name(folder.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    started = time.perf_counter()
    frames = generate_demo(
        end=workload.period,
        months=workload.months,
        seed=SEED,
        tickets_per_month=workload.tickets_per_month,
        tz=TIMEZONE,
    )
    write_demo(frames, scratch, fmt="parquet", tz=TIMEZONE)
    del frames
    scratch.rename(folder)
    return folder, time.perf_counter() - started


def load_frames(folder: Path) -> dict[str, pl.DataFrame]:
    """Every entity of a workload folder, read into memory."""
    return {
        entity: pl.read_parquet(folder / f"{entity}.parquet")
        for entity in ENTITIES
        if (folder / f"{entity}.parquet").exists()
    }


def row_counts(folder: Path) -> dict[str, int]:
    """Rows per entity, from the Parquet metadata (nothing is read)."""
    return {
        entity: pl.scan_parquet(folder / f"{entity}.parquet").select(pl.len()).collect().item()
        for entity in ENTITIES
        if (folder / f"{entity}.parquet").exists()
    }


def write_config(workload: Workload, folder: Path, workdir: Path) -> Path:
    """``workdir/scorecard.toml``: the demo's configuration (targets included) reading the
    workload's exports, with the store and run folders inside ``workdir``."""
    from scorecard.demo import DEMO_CONFIG

    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "data").symlink_to(folder.resolve(), target_is_directory=True)
    config = workdir / "scorecard.toml"
    baseline = workload.period.shift(-12).label
    config.write_text(
        DEMO_CONFIG.format(tz=TIMEZONE, language="en", baseline=baseline), encoding="utf-8"
    )
    return config
