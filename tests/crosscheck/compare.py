"""How two sets of metric rows differ: the cross-check's one comparison rule."""

from __future__ import annotations

import math

import polars as pl

REL_TOL = 1e-9
ABS_TOL = 1e-9  # only matters for values at zero (e.g. a gap of 50 % − 50 %)


def disagreements(polars_rows: pl.DataFrame, duckdb_rows: pl.DataFrame) -> list[str]:
    """Every (kpi, segment) whose presence, n or value differs between the two engines.

    Values agree when both are null, or both are within 1e-9 relative of each other.
    """
    joined = polars_rows.join(
        duckdb_rows, on=["kpi", "segment"], how="full", suffix="_duckdb", coalesce=True
    )
    problems = []
    for row in joined.sort("kpi", "segment").iter_rows(named=True):
        ours, theirs = row["value_duckdb"], row["value"]
        where = f"{row['kpi']} [{row['segment']}]"
        if row["n"] is None or row["n_duckdb"] is None:
            side = "duckdb" if row["n"] is None else "polars"
            problems.append(f"{where}: only in {side} (n={row['n'] or row['n_duckdb']})")
        elif row["n"] != row["n_duckdb"]:
            problems.append(f"{where}: n polars={row['n']} duckdb={row['n_duckdb']}")
        elif (ours is None) != (theirs is None) or (
            ours is not None and not math.isclose(ours, theirs, rel_tol=REL_TOL, abs_tol=ABS_TOL)
        ):
            problems.append(f"{where}: value polars={theirs!r} duckdb={ours!r} (n={row['n']})")
    return problems
