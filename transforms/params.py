"""The parameters the KPI formulas need, as one plain value.

The application's configuration builds this; transforms never read config files.
Defaults are the catalogue's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_SLA_FRT_MINUTES: dict[str, float] = {
    "social": 30, "messenger": 60, "chat": 5, "chatbot": 1, "phone": 1, "email": 1440,
}


@dataclass(frozen=True)
class MetricParams:
    reporting_tz: str = "UTC"
    # surveys
    csat_min: int = 0
    csat_max: int = 5
    csat_satisfied_threshold: int = 4  # csat_pct counts scores >= this
    ces_min: int = 0
    ces_max: int = 5
    ces_low_effort_threshold: int = 1  # low_effort_pct counts scores <= this ...
    ces_higher_is_more_effort: bool = True  # ... or >= this when False
    min_sample: int = 30
    # financial
    gross_margin: float = 1.0
    churned_revenue_months: int = 12
    # operational
    sla_frt_minutes: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SLA_FRT_MINUTES))
    business_days: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays, Monday = 1
    business_start: str = "09:00"  # local time, inclusive
    business_end: str = "18:00"  # local time, exclusive
    # growth
    new_agent_tenure_days: int = 90
