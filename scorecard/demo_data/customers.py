"""Customers (signing up and churning) and their orders."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from scorecard.demo_data.frames import canonical, ids, labels, timestamps
from scorecard.demo_data.sampling import count_active, lognormal, pick_active
from scorecard.demo_data.timeline import (
    MONTH_S,
    MONTHLY_GROWTH,
    NEVER,
    SHOPPING_PATTERN,
    US,
    Calendar,
    seconds,
)
from transforms.schema import ORDER_STATUSES

# Per segment code: b2c, b2b, vip, and no segment recorded.
SEGMENT_NAMES = ("b2c", "b2b", "vip", None)
SEGMENT_SHARE = np.array([0.80, 0.15, 0.04, 0.01])
MONTHLY_CHURN = np.array([0.035, 0.015, 0.010, 0.035])
ORDER_WEIGHT = np.array([1.0, 1.6, 2.0, 1.0])  # how often a customer orders, relative
ORDER_MEDIAN_RUB = np.array([2_500.0, 25_000.0, 12_000.0, 2_500.0])
TICKET_WEIGHT = np.array([1.0, 1.0, 1.5, 1.0])  # how often a customer contacts support, relative

CUSTOMERS_PER_TICKET = 2  # base size at the start per monthly ticket
HISTORY_MONTHS = 36  # the oldest customers signed up this long before the range
ORDERS_PER_CUSTOMER_MONTH = 0.45
STATUS_SHARE = (0.88, 0.05, 0.07)  # paid, refunded, cancelled (ORDER_STATUSES order)


@dataclass(frozen=True)
class CustomerBase:
    """Customers ordered by sign-up: index i is customer ``ids("C", n)[i]``."""

    created: np.ndarray
    churned: np.ndarray  # NEVER while still a customer at the end of the data
    segment: np.ndarray  # code into SEGMENT_NAMES

    @cached_property
    def ids(self) -> pl.Series:
        return ids("C", len(self.created))

    def frame(self) -> pl.DataFrame:
        return canonical("customers", {
            "customer_id": self.ids,
            "created_at": timestamps(self.created),
            "churned_at": timestamps(self.churned),
            "segment": labels(SEGMENT_NAMES, self.segment),
        })


def make_customers(rng: np.random.Generator, cal: Calendar, tickets_per_month: int) -> CustomerBase:
    """A base of ``2 × tickets_per_month`` customers at the start, replenished and growing."""
    start_size = CUSTOMERS_PER_TICKET * tickets_per_month
    # Customers active at the start: signed up earlier, and (churn being memoryless)
    # an exponential remaining lifetime counted from the start.
    old_created = cal.start - rng.integers(1, HISTORY_MONTHS * MONTH_S, size=start_size) * US
    old_segment = rng.choice(len(SEGMENT_SHARE), size=start_size, p=SEGMENT_SHARE)
    old_churned = cal.start + _lifetime(rng, old_segment)

    mean_churn = float(SEGMENT_SHARE @ MONTHLY_CHURN)
    signups = cal.sample(rng, start_size * (mean_churn + MONTHLY_GROWTH) * cal.volume_shape, SHOPPING_PATTERN)
    new_segment = rng.choice(len(SEGMENT_SHARE), size=len(signups.at), p=SEGMENT_SHARE)
    new_churned = signups.at + _lifetime(rng, new_segment)

    created = np.concatenate([old_created, signups.at])
    churned = np.concatenate([old_churned, new_churned])
    segment = np.concatenate([old_segment, new_segment])
    order = np.argsort(created, kind="stable")
    churned = churned[order]
    return CustomerBase(
        created=created[order],
        churned=np.where(churned >= cal.end, NEVER, churned),
        segment=segment[order],
    )


def make_orders(rng: np.random.Generator, cal: Calendar, base: CustomerBase) -> pl.DataFrame:
    """Orders of active customers: evenings and weekends, a December peak; some refunded or cancelled."""
    active = count_active(base.created, base.churned, cal.midpoints)
    per_month = active * ORDERS_PER_CUSTOMER_MONTH * cal.season
    placed = cal.sample(rng, per_month, SHOPPING_PATTERN)
    buyer = pick_active(rng, base.created, base.churned, placed.at, weight=ORDER_WEIGHT[base.segment])
    found = buyer >= 0
    at, buyer = placed.at[found], buyer[found]
    median = ORDER_MEDIAN_RUB[base.segment[buyer]]
    amount = np.round(lognormal(rng, median, 0.8, len(at)), 2)
    status = rng.choice(len(ORDER_STATUSES), size=len(at), p=STATUS_SHARE)
    return canonical("orders", {
        "order_id": ids("O", len(at)),
        "customer_id": base.ids.gather(buyer),
        "ordered_at": timestamps(at),
        "amount": amount,
        "currency": pl.repeat("RUB", len(at), eager=True),
        "status": labels(ORDER_STATUSES, status),
    })


def _lifetime(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    """Exponential customer lifetimes, in microseconds, at each segment's monthly churn."""
    months = rng.exponential(1 / MONTHLY_CHURN[segment])
    return seconds(months * MONTH_S)
