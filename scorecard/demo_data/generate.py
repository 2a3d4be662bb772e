"""The whole demo data set: every canonical entity, consistent with each other."""

from __future__ import annotations

import numpy as np
import polars as pl

from scorecard.demo_data.costs import make_costs
from scorecard.demo_data.customers import make_customers, make_orders
from scorecard.demo_data.staff import make_agents, make_trainings
from scorecard.demo_data.surveys import make_surveys
from scorecard.demo_data.tickets import make_tickets
from scorecard.demo_data.timeline import Calendar
from transforms.periods import Period

DEFAULT_TZ = "Europe/Moscow"
# One independent random stream per step, so that changing one entity leaves the others as they were.
STEPS = ("customers", "orders", "agents", "trainings", "tickets", "surveys", "costs")


def generate_demo(
    *, end: Period, months: int = 24, seed: int = 42, tickets_per_month: int = 3000, tz: str = DEFAULT_TZ
) -> dict[str, pl.DataFrame]:
    """Canonical frames of every entity for the ``months`` months ending with ``end`` (its last month).

    Customers and agents who joined before the range are included. The same
    arguments always give the same frames.
    """
    if months < 1 or tickets_per_month < 1:
        raise ValueError("months and tickets_per_month must be at least 1")
    cal = Calendar.build(end.with_tz(tz).month_periods()[-1], months)
    streams = np.random.SeedSequence(seed).spawn(len(STEPS))
    rng = {step: np.random.default_rng(stream) for step, stream in zip(STEPS, streams)}

    customers = make_customers(rng["customers"], cal, tickets_per_month)
    staff = make_agents(rng["agents"], cal, tickets_per_month)
    tickets = make_tickets(rng["tickets"], cal, tickets_per_month, customers, staff)
    return {
        "customers": customers.frame(),
        "orders": make_orders(rng["orders"], cal, customers),
        "tickets": tickets.frame(customers, staff),
        "agents": staff.frame(),
        "trainings": make_trainings(rng["trainings"], cal, staff),
        "survey_responses": make_surveys(rng["surveys"], cal, tickets, customers, staff),
        "costs": make_costs(rng["costs"], cal, staff, tickets),
    }
