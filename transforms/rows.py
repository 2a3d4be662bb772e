"""The shape every KPI computation returns: one row per (kpi, segment).

``value`` is null when the KPI's denominator is zero (never 0, never an error);
``n`` is the size of the KPI's base.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from transforms.catalogue import BY_ID

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


def rollup(frame: pl.LazyFrame, dims: Sequence[str], measures: Sequence[pl.Expr]) -> pl.LazyFrame:
    """Additive ``measures`` (counts, sums) for segment "all" and per value of each of ``dims``.

    Columns: ``dim`` ("all" or the dimension), ``segment`` ("all" or "dim=value"), the measures.
    The finest groups (all ``dims`` together) are aggregated once and then re-summed, so
    the source frame is read by one aggregation. The "all" row exists even for an empty frame.
    """
    fine = frame.group_by(*dims).agg(*measures) if dims else frame.select(*measures)
    totals = pl.all().exclude(*dims).sum()
    parts = [fine.select(pl.lit(ALL).alias("dim"), pl.lit(ALL).alias("segment"), totals)]
    for dim in dims:
        parts.append(
            fine.group_by(pl.col(dim).alias("dim_value"))
            .agg(totals)
            .select(
                pl.lit(dim).alias("dim"),
                segment_label(dim).alias("segment"),
                pl.exclude("dim_value"),
            )
        )
    return pl.concat(parts)


def metric_rows(
    rolled: pl.LazyFrame, metrics: Mapping[str, tuple[pl.Expr, pl.Expr]]
) -> pl.LazyFrame:
    """Rows (kpi, segment, value, n) from a :func:`rollup`; ``metrics`` maps KPI id -> (value, n).

    Each KPI keeps its "all" row, and a segment row for the dims the catalogue gives it
    when its base is non-empty (n >= 1).
    """
    dim = pl.col("dim")
    columns = [
        pl.when(dim.is_in([ALL, *BY_ID[kpi].dims]) & ((dim == ALL) | (n >= 1)))
        .then(pl.struct(value.cast(pl.Float64).alias("value"), n.cast(pl.Int64).alias("n")))
        .alias(kpi)
        for kpi, (value, n) in metrics.items()
    ]
    return (
        rolled.select("segment", *columns)
        .unpivot(index="segment", variable_name="kpi", value_name="metric")
        .drop_nulls("metric")
        .unnest("metric")
        .select("kpi", "segment", "value", "n")
    )
