"""What the executive summary shows, in which order: bad news first, then what improved."""

from __future__ import annotations

from collections.abc import Sequence

from scorecard.report.metric_view import MetricRow

# Two per level: the figures an executive reads first.
HEADLINE_KPIS: tuple[str, ...] = (
    "financial.net_revenue", "financial.ltv",
    "customer.churn_rate", "customer.nps",
    "operational.sla_frt_pct", "operational.fcr_pct",
    "growth.attrition_pct", "growth.enps",
)


def missed_targets(rows: Sequence[MetricRow]) -> list[MetricRow]:
    """Off-target KPIs first, then near-target ones; each group keeps the given order."""
    return [r for r in rows if r.status == "red"] + [r for r in rows if r.status == "amber"]


def improvements(rows: Sequence[MetricRow]) -> list[MetricRow]:
    """KPIs that moved the right way since the previous period; small samples are not news."""
    return [r for r in rows if not r.low_sample and r.tone(r.prev_value) == "good"]


def status_counts(rows: Sequence[MetricRow]) -> dict[str, int]:
    """How many KPIs with a target are green, amber and red, and how many were rated at all."""
    rated = [r for r in rows if r.status in ("green", "amber", "red")]
    counts = {s: sum(r.status == s for r in rated) for s in ("green", "amber", "red")}
    return {**counts, "rated": len(rated)}
