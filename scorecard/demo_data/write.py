"""Writing the demo frames as the exports a user would hand over."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import polars as pl

from scorecard.demo_data.generate import DEFAULT_TZ

CSV_TIMESTAMP = "%Y-%m-%dT%H:%M:%S%:z"  # ISO 8601 with the local offset: 2026-10-05T14:03:00+03:00


def write_demo(
    frames: Mapping[str, pl.DataFrame],
    out_dir: Path,
    fmt: Literal["csv", "parquet"] = "csv",
    *,
    tz: str = DEFAULT_TZ,
) -> list[Path]:
    """One ``<entity>.<fmt>`` file per frame in ``out_dir``; returns the paths written.

    CSV: UTF-8 with a header, comma-delimited, timestamps in ``tz`` with their
    offset, ``true``/``false``, an empty field for null, plain decimals.
    Parquet: the canonical types as they are.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}; use csv or parquet")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for entity, frame in frames.items():
        path = out_dir / f"{entity}.{fmt}"
        if fmt == "parquet":
            frame.write_parquet(path)
        else:
            local = frame.with_columns(pl.col(pl.Datetime).dt.convert_time_zone(tz))
            local.write_csv(path, datetime_format=CSV_TIMESTAMP, float_scientific=False)
        paths.append(path)
    return paths
