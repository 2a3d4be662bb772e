"""The KPI registry: every id of shared/kpi-catalogue.md with its level and unit.

The ids are the product's public interface. Formulas live in the level modules
(financial, customer, operational, growth); this registry says what each id is,
so that storage, status rating and the report treat all KPIs alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["financial", "customer", "operational", "growth"]
Unit = Literal[
    "currency", "pct", "count", "ratio", "months", "score", "minutes", "hours",
    "per_1000", "per_agent", "pp", "nps",
]

LEVELS: tuple[Level, ...] = ("financial", "customer", "operational", "growth")

# Segment dimensions each family of KPIs is also broken down by (catalogue "Segments").
TICKET_DIMS = ("channel", "cjm_stage", "team")
SURVEY_DIMS = ("channel",)
BASE_DIMS = ("customer_segment",)


@dataclass(frozen=True)
class Kpi:
    id: str
    unit: Unit
    dims: tuple[str, ...] = ()
    sample_based: bool = False  # survey KPI: flagged low_sample when n < min_sample

    @property
    def level(self) -> Level:
        return self.id.split(".", 1)[0]  # type: ignore[return-value]


KPIS: tuple[Kpi, ...] = (
    # financial
    Kpi("financial.net_revenue", "currency"),
    Kpi("financial.aov", "currency"),
    Kpi("financial.purchase_frequency", "ratio"),
    Kpi("financial.arpu", "currency", BASE_DIMS),
    Kpi("financial.ltv", "currency"),
    Kpi("financial.nrr", "pct"),
    Kpi("financial.churned_revenue", "currency"),
    Kpi("financial.cost_per_ticket", "currency"),
    # customer
    Kpi("customer.churn_rate", "pct", BASE_DIMS),
    Kpi("customer.retention_rate", "pct", BASE_DIMS),
    Kpi("customer.lifetime_months", "months"),
    Kpi("customer.csat_mean", "score", SURVEY_DIMS, sample_based=True),
    Kpi("customer.csat_pct", "pct", SURVEY_DIMS, sample_based=True),
    Kpi("customer.nps", "nps", SURVEY_DIMS, sample_based=True),
    Kpi("customer.nps_moe", "nps", SURVEY_DIMS, sample_based=True),
    Kpi("customer.ces_mean", "score", SURVEY_DIMS, sample_based=True),
    Kpi("customer.low_effort_pct", "pct", SURVEY_DIMS, sample_based=True),
    Kpi("customer.complaints", "count", TICKET_DIMS),
    Kpi("customer.complaint_rate", "per_1000"),
    Kpi("customer.survey_response_rate", "pct"),
    # operational
    Kpi("operational.tickets_created", "count", TICKET_DIMS),
    Kpi("operational.tickets_resolved", "count", TICKET_DIMS),
    Kpi("operational.backlog_end", "count", TICKET_DIMS),
    Kpi("operational.frt_median_min", "minutes", TICKET_DIMS),
    Kpi("operational.frt_p90_min", "minutes", TICKET_DIMS),
    Kpi("operational.sla_frt_pct", "pct", TICKET_DIMS),
    Kpi("operational.resolution_median_h", "hours", TICKET_DIMS),
    Kpi("operational.resolution_p90_h", "hours", TICKET_DIMS),
    Kpi("operational.fcr_pct", "pct", TICKET_DIMS),
    Kpi("operational.reopen_pct", "pct", TICKET_DIMS),
    Kpi("operational.aht_min", "minutes", TICKET_DIMS),
    Kpi("operational.contacts_per_resolution", "ratio", TICKET_DIMS),
    Kpi("operational.off_hours_frt_ratio", "ratio", TICKET_DIMS),
    Kpi("operational.bot_containment_pct", "pct"),
    # growth & learning
    Kpi("growth.headcount_end", "count"),
    Kpi("growth.hires", "count"),
    Kpi("growth.leavers", "count"),
    Kpi("growth.attrition_pct", "pct"),
    Kpi("growth.training_hours_per_agent", "per_agent"),
    Kpi("growth.enps", "nps", sample_based=True),
    Kpi("growth.tickets_per_agent", "per_agent"),
    Kpi("growth.new_agent_csat_gap", "pp", sample_based=True),
)

BY_ID: dict[str, Kpi] = {k.id: k for k in KPIS}


def kpis_of(level: Level) -> tuple[Kpi, ...]:
    return tuple(k for k in KPIS if k.level == level)
