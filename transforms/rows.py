"""The shape every KPI computation returns: one row per (kpi, segment).

``value`` is null when the KPI's denominator is zero (never 0, never an error);
``n`` is the size of the KPI's base.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

METRIC_SCHEMA = pl.Schema(
    {"kpi": pl.String(), "segment": pl.String(), "value": pl.Float64(), "n": pl.Int64()}
)

ALL = "all"


def empty_rows() -> pl.DataFrame:
    return pl.DataFrame(schema=METRIC_SCHEMA)


def conform(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Select and cast the four metric columns, in order."""
    return frame.select(
        pl.col("kpi").cast(pl.String),
        pl.col("segment").cast(pl.String),
        pl.col("value").cast(pl.Float64),
        pl.col("n").cast(pl.Int64),
    )


def segment_label(dim: str, value_col: str = "dim_value") -> pl.Expr:
    """``"dim=value"`` for a segmented row; a null dimension value reads ``dim=(none)``."""
    return pl.format("{}={}", pl.lit(dim), pl.col(value_col).cast(pl.String).fill_null("(none)"))


def safe_div(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator, null when the denominator is zero or null."""
    return pl.when(denominator != 0).then(numerator / denominator).otherwise(None)


def segment_frames(frame: pl.LazyFrame, dims: Sequence[str], aggs: Sequence[pl.Expr]) -> list[pl.LazyFrame]:
    """``aggs`` over the whole frame (segment "all") and per value of each of ``dims``.

    Each returned frame has a ``segment`` column plus one column per aggregation;
    ``dims`` name columns of ``frame``.
    """
    overall = frame.select(pl.lit(ALL).alias("segment"), *aggs)
    per_dim = [
        frame.group_by(pl.col(dim).alias("dim_value"))
        .agg(*aggs)
        .select(segment_label(dim).alias("segment"), pl.exclude("dim_value"))
        for dim in dims
    ]
    return [overall, *per_dim]


def kpi_rows(aggregated: Sequence[pl.LazyFrame], kpi: str, value: pl.Expr, n: pl.Expr) -> pl.LazyFrame:
    """Metric rows of one KPI from ``segment_frames`` output.

    The "all" row is always kept; a segment row only when its base is non-empty (n >= 1).
    """
    rows = pl.concat(
        [
            frame.select(
                pl.lit(kpi).alias("kpi"),
                pl.col("segment"),
                value.cast(pl.Float64).alias("value"),
                n.cast(pl.Int64).alias("n"),
            )
            for frame in aggregated
        ]
    )
    return rows.filter((pl.col("segment") == ALL) | (pl.col("n") >= 1))
