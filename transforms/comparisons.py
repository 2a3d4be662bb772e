"""Comparisons and status of one period's metric rows (shared/kpi-catalogue.md,
"Comparisons and status").

:func:`compare` puts next to each row of a period its previous period, the same
period a year earlier, a baseline period, a 12-period trend, whether a survey
change is beyond the margin of error, and a status against its target.
:func:`rank_for_summary` orders the news for the executive summary: what missed
its target first, then what improved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl

from transforms.catalogue import KPIS
from transforms.periods import Period
from transforms.rows import ALL

TREND_PERIODS = 12
Z_95 = 1.96  # two-sided 95 % normal quantile
CSAT_PCT = "customer.csat_pct"
NPS = "customer.nps"
NPS_MOE = "customer.nps_moe"
SAMPLE_BASED_KPIS = [kpi.id for kpi in KPIS if kpi.sample_based]

KEYS = ["kpi", "segment"]
ADDED_COLUMNS = [
    "prev_value", "prev_n", "yoy_value", "baseline_value", "trend", "change_prev",
    "significant", "low_sample", "target", "direction", "status",
]  # fmt: skip
HISTORY_SCHEMA = pl.Schema(
    {
        "period": pl.String(),
        "kpi": pl.String(),
        "segment": pl.String(),
        "value": pl.Float64(),
        "n": pl.Int64(),
    }
)
TARGET_SCHEMA = pl.Schema(
    {
        "kpi": pl.String(),
        "target": pl.Float64(),
        "direction": pl.String(),
        "amber_band": pl.Float64(),
    }
)


@dataclass(frozen=True)
class Target:
    """A KPI's target: met when the value is at least (``higher``) or at most (``lower``)
    ``target``; a miss by no more than ``amber_band`` is amber."""

    target: float
    direction: Literal["higher", "lower"]
    amber_band: float = 0.0


def compare(
    current: pl.DataFrame,
    history: pl.DataFrame,
    period: Period,
    *,
    baseline: Period | None,
    targets: Mapping[str, Target],
    min_sample: int,
) -> pl.DataFrame:
    """``current``'s metric rows with prev_value, prev_n, yoy_value, baseline_value, trend,
    change_prev, significant, low_sample, target, direction and status.

    ``history`` holds rows (period label, kpi, segment, value, n) of any periods; for
    ``period`` itself ``current`` is used.
    """
    rows = _all_periods(current, history, period)
    previous = period.previous().label
    lookups = [
        _values_at(rows, previous, "prev_value", "prev_n"),
        _values_at(rows, period.year_ago().label, "yoy_value"),
        _baseline_values(rows, baseline),
        _trend(current, rows, period),
        _nps_margins(rows, period.label, previous),
    ]
    compared = current
    for lookup in lookups:
        compared = compared.join(lookup, on=KEYS, how="left", maintain_order="left")
    low_sample = pl.col("kpi").is_in(SAMPLE_BASED_KPIS) & (pl.col("n") < min_sample)
    return (
        compared.join(_targets_frame(targets), on="kpi", how="left", maintain_order="left")
        .with_columns((pl.col("value") - pl.col("prev_value")).alias("change_prev"))
        .with_columns(_significant().alias("significant"), low_sample.alias("low_sample"))
        .with_columns(_status().alias("status"))
        .select(*current.columns, *ADDED_COLUMNS)
    )


def rank_for_summary(compared: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The "all" rows for the executive summary, bad news first.

    ``missed``: red then amber, each worst first (largest miss relative to the target).
    ``improved``: rows whose change against the previous period went in the target's
    direction, largest relative change first; rows with a low sample or a change
    within the margin of error (``significant`` false) are left out.
    """
    overall = compared.filter(pl.col("segment") == ALL)
    relative_miss = _relative(_shortfall(), pl.col("target"))
    missed = overall.filter(pl.col("status").is_in(["red", "amber"])).sort(
        pl.col("status") == "amber", relative_miss, "kpi", descending=[False, True, False]
    )
    change = pl.col("change_prev")
    went_the_right_way = (
        pl.when(pl.col("direction") == "higher").then(change > 0).otherwise(change < 0)
    )
    improved = overall.filter(
        pl.col("direction").is_not_null()
        & went_the_right_way
        & ~pl.col("low_sample")
        & pl.col("significant").fill_null(True)
    ).sort(_relative(change.abs(), pl.col("prev_value")), "kpi", descending=[True, False])
    return missed, improved


# --- the parts of compare ---------------------------------------------------------------


def _all_periods(current: pl.DataFrame, history: pl.DataFrame, period: Period) -> pl.DataFrame:
    """History of other periods plus ``current`` labelled with ``period``."""
    past = (
        history.select(HISTORY_SCHEMA.names())
        .cast(dict(HISTORY_SCHEMA))
        .filter(pl.col("period") != period.label)
    )
    now = current.select(pl.lit(period.label).alias("period"), *KEYS, "value", "n").cast(
        dict(HISTORY_SCHEMA)
    )
    return pl.concat([past, now])


def _values_at(
    rows: pl.DataFrame, label: str, value_name: str, n_name: str | None = None
) -> pl.DataFrame:
    """(kpi, segment, value as ``value_name`` [, n as ``n_name``]) of the period ``label``."""
    columns = [*KEYS, pl.col("value").alias(value_name)]
    if n_name:
        columns.append(pl.col("n").alias(n_name))
    return rows.filter(pl.col("period") == label).select(columns)


def _baseline_values(rows: pl.DataFrame, baseline: Period | None) -> pl.DataFrame:
    """(kpi, segment, baseline_value) of the baseline period; no rows without one."""
    if baseline is None:
        return rows.clear().select(*KEYS, pl.col("value").alias("baseline_value"))
    return _values_at(rows, baseline.label, "baseline_value")


def _trend(current: pl.DataFrame, rows: pl.DataFrame, period: Period) -> pl.DataFrame:
    """(kpi, segment, trend): values of the last 12 periods, oldest first, null where missing."""
    slots = pl.DataFrame(
        {"period": [p.label for p in period.trailing(TREND_PERIODS)], "slot": range(TREND_PERIODS)}
    )
    return (
        current.select(KEYS)
        .join(slots, how="cross")
        .join(rows, on=["period", *KEYS], how="left")
        .group_by(KEYS)
        .agg(pl.col("value").sort_by("slot").alias("trend"))
    )


def _nps_margins(rows: pl.DataFrame, label: str, previous: str) -> pl.DataFrame:
    """(kpi = nps, segment, nps_moe_now, nps_moe_prev): the nps_moe rows of both periods."""
    margins = rows.filter(pl.col("kpi") == NPS_MOE)
    return (
        margins.filter(pl.col("period") == label)
        .select(pl.lit(NPS).alias("kpi"), "segment", pl.col("value").alias("nps_moe_now"))
        .join(
            margins.filter(pl.col("period") == previous).select(
                "segment", pl.col("value").alias("nps_moe_prev")
            ),
            on="segment",
            how="left",
        )
    )


def _targets_frame(targets: Mapping[str, Target]) -> pl.DataFrame:
    return pl.DataFrame(
        [(kpi, t.target, t.direction, t.amber_band) for kpi, t in targets.items()],
        schema=TARGET_SCHEMA,
        orient="row",
    )


def _proportion_moe(pct: pl.Expr, n: pl.Expr) -> pl.Expr:
    """95 % margin of error of a percentage over n answers: 1.96 × 100 × sqrt(p(1 − p)/n)."""
    p = pct / 100.0
    return pl.when(n > 0).then(Z_95 * 100.0 * (p * (1.0 - p) / n).sqrt())


def _significant() -> pl.Expr:
    """|change_prev| beyond the combined margin sqrt(moe_now² + moe_prev²).

    Only for csat_pct and nps; null for other KPIs and when a margin is unknown.
    """
    kpi = pl.col("kpi")
    moe_now = (
        pl.when(kpi == CSAT_PCT)
        .then(_proportion_moe(pl.col("value"), pl.col("n")))
        .when(kpi == NPS)
        .then(pl.col("nps_moe_now"))
    )
    moe_prev = (
        pl.when(kpi == CSAT_PCT)
        .then(_proportion_moe(pl.col("prev_value"), pl.col("prev_n")))
        .when(kpi == NPS)
        .then(pl.col("nps_moe_prev"))
    )
    combined = (moe_now**2 + moe_prev**2).sqrt()
    return pl.when(kpi.is_in([CSAT_PCT, NPS])).then(pl.col("change_prev").abs() > combined)


def _shortfall() -> pl.Expr:
    """How far the value falls short of its target (≤ 0 when it meets it)."""
    return (
        pl.when(pl.col("direction") == "higher")
        .then(pl.col("target") - pl.col("value"))
        .otherwise(pl.col("value") - pl.col("target"))
    )


def _status() -> pl.Expr:
    unrated = pl.col("target").is_null() | pl.col("value").is_null() | pl.col("low_sample")
    return (
        pl.when(unrated)
        .then(pl.lit("grey"))
        .when(_shortfall() <= 0)
        .then(pl.lit("green"))
        .when(_shortfall() <= pl.col("amber_band"))
        .then(pl.lit("amber"))
        .otherwise(pl.lit("red"))
    )


def _relative(amount: pl.Expr, reference: pl.Expr) -> pl.Expr:
    """``amount`` relative to |reference|; the plain amount when the reference is 0 or null."""
    return pl.when(reference.abs() > 0).then(amount / reference.abs()).otherwise(amount)
