"""Monthly service costs: salaries and licences follow headcount, telephony follows calls."""

from __future__ import annotations

import numpy as np
import polars as pl

from scorecard.demo_data.frames import canonical
from scorecard.demo_data.sampling import count_active
from scorecard.demo_data.staff import Staff
from scorecard.demo_data.tickets import CHANNEL_NAMES, TicketSet
from scorecard.demo_data.timeline import Calendar

COST_CENTRES = ("Зарплата операторов", "Телефония", "Лицензии ПО")
SALARY_RUB = 95_000.0  # per agent employed at the month's end
LICENCE_RUB = 3_500.0  # per agent
TELEPHONY_BASE_RUB = 25_000.0
TELEPHONY_PER_CALL_RUB = 45.0
PHONE = CHANNEL_NAMES.index("phone")


def make_costs(rng: np.random.Generator, cal: Calendar, staff: Staff, tickets: TicketSet) -> pl.DataFrame:
    """One row per month and cost centre, amounts in RUB with a little noise."""
    months = len(cal.months)
    headcount = count_active(staff.hired, staff.left, cal.month_bounds[1:])
    calls = np.bincount(tickets.month[tickets.channel == PHONE], minlength=months)
    planned = np.stack(
        [headcount * SALARY_RUB, TELEPHONY_BASE_RUB + calls * TELEPHONY_PER_CALL_RUB, headcount * LICENCE_RUB],
        axis=1,
    )
    amount = np.round(planned * (1 + rng.normal(0, 0.02, planned.shape)), 2)
    return canonical("costs", {
        "period": np.repeat([p.label for p in cal.months], len(COST_CENTRES)),
        "cost_center": np.tile(COST_CENTRES, months),
        "amount": amount.ravel(),
    })
