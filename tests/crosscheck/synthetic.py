"""Random canonical frames, rich in edge cases, for the cross-check and the benchmark.

``synthetic_frames(tickets, seed)`` returns every canonical entity with the dtypes of
transforms/schema.py, sized from the ticket count (see :class:`Sizes`): 10M tickets
give the benchmark workload (500k customers, 3M orders, 2M survey responses, 2k agents).

Every period kind starts at a month start, so local month starts in UTC and in
Europe/Moscow are the "period boundaries" the generator aims at. Planted on purpose:

- timestamps exactly at a boundary or one microsecond either side (creation, churn,
  orders, tickets, resolutions, responses, hires, leaves, trainings);
- tickets created exactly at local 09:00 / 18:00 (the business-hours edges);
- unanswered tickets whose SLA limit falls exactly at (or 1 µs around) a period end,
  and answered ones whose first response takes exactly their target;
- tickets created exactly at the new-agent tenure limit of their agent;
- null teams, stages, customer segments, anonymous tickets, responses without a
  channel or a ticket (and a few naming a ticket that does not exist), tickets whose
  agent is not in the agents export;
- a rare team and a rare customer segment, so that some segments have a tiny base;
- refunded, cancelled and zero-amount orders; chatbot tickets with and without agents;
- a costs export with one month in seven missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from transforms.params import DEFAULT_SLA_FRT_MINUTES, MetricParams
from transforms.periods import Period
from transforms.schema import CANONICAL, CHANNELS, CJM_STAGES, ORDER_STATUSES, SURVEYS

EDGE_ZONES = ("UTC", "Europe/Moscow")
MICROS_PER_MINUTE = 60_000_000
MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE
MICROS_PER_DAY = 24 * MICROS_PER_HOUR
JITTER_US = np.array([-1, 0, 0, 1])  # on the instant itself, or one microsecond either side

CHANNEL_SHARES = (0.2, 0.2, 0.2, 0.1, 0.15, 0.15)  # in CHANNELS order
SLA_TARGET_US = np.array(
    [DEFAULT_SLA_FRT_MINUTES[c] * MICROS_PER_MINUTE for c in CHANNELS], dtype=np.int64
)
CHATBOT = CHANNELS.index("chatbot")
SURVEY_SHARES = (0.5, 0.15, 0.25, 0.1)  # in SURVEYS order: csat, ces, nps, enps
ENPS = SURVEYS.index("enps")
TEAMS = ("tier1", "tier2", "billing", "vip", "social", "bots")
RARE_TEAM = "night"
SEGMENTS = ("b2c", "b2b", "vip", "gov")
CATEGORIES = ("billing", "delivery", "returns", "account", "<b>urgent</b>")
COMMENTS = ("спасибо", "дякую, все добре", "too slow", "<script>alert(1)</script>", "=1+1")
COURSES = ("onboarding", "empathy", "product", "tools")
COST_CENTERS = ("support", "bots", None)


@dataclass(frozen=True)
class Sizes:
    """Row counts of each entity."""

    tickets: int
    customers: int
    orders: int
    responses: int
    agents: int
    trainings: int

    @classmethod
    def for_tickets(cls, tickets: int) -> Sizes:
        agents = max(60, tickets // 5000)
        return cls(
            tickets=tickets,
            customers=max(50, tickets // 20),
            orders=tickets * 3 // 10,
            responses=tickets // 5,
            agents=agents,
            trainings=agents * 8,
        )


@dataclass(frozen=True)
class Calendar:
    """The data's time range and the instants edge cases aim at, in µs since the epoch."""

    first: Period
    months: int
    start: int
    end: int
    month_starts: np.ndarray  # local month starts in every EDGE_ZONES zone
    business_edges: np.ndarray  # local business start and end of every day, every zone


def synthetic_frames(
    tickets: int, seed: int, first_month: str = "2024-01", months: int = 36
) -> dict[str, pl.DataFrame]:
    """All canonical entities, ``tickets`` tickets spread over ``months`` months from ``first_month``."""
    rng = np.random.default_rng(seed)
    sizes = Sizes.for_tickets(tickets)
    calendar = _calendar(Period.parse(first_month), months)
    customers = _customers(rng, sizes, calendar)
    agents = _agents(rng, sizes, calendar)
    tickets_frame = _tickets(rng, sizes, calendar, agents)
    return {
        "customers": customers,
        "orders": _orders(rng, sizes, calendar, customers),
        "tickets": tickets_frame,
        "agents": agents,
        "trainings": _trainings(rng, sizes, calendar),
        "survey_responses": _responses(rng, sizes, calendar, tickets_frame),
        "costs": _costs(rng, calendar),
    }


# --- calendar ---------------------------------------------------------------------------


def _calendar(first: Period, months: int) -> Calendar:
    month_starts = [
        _micros(Period(first.first_month + i, "month", zone).start_utc)
        for i in range(months + 1)
        for zone in EDGE_ZONES
    ]
    defaults = MetricParams()
    first_day = first.start.date()
    last_day = first.shift(months).start.date()
    edges = [
        _micros(datetime.combine(first_day + timedelta(days=i), clock, ZoneInfo(zone)))
        for i in range((last_day - first_day).days)
        for zone in EDGE_ZONES
        for clock in (_clock(defaults.business_start), _clock(defaults.business_end))
    ]
    return Calendar(
        first=first,
        months=months,
        start=_micros(first.start_utc),
        end=_micros(first.shift(months).start_utc),
        month_starts=np.array(month_starts, dtype=np.int64),
        business_edges=np.array(edges, dtype=np.int64),
    )


def _micros(instant: datetime) -> int:
    return (instant - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def _clock(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()


# --- entities ---------------------------------------------------------------------------


def _customers(rng: np.random.Generator, sizes: Sizes, cal: Calendar) -> pl.DataFrame:
    n = sizes.customers
    created = _snap(rng, rng.integers(cal.start, cal.end, n), 0.03, cal.month_starts)
    lifetime = rng.exponential(420 * MICROS_PER_DAY, n).astype(np.int64)
    churned = np.maximum(_snap(rng, created + lifetime, 0.05, cal.month_starts), created)
    return _canonical(
        "customers",
        {
            "customer_id": _ids("C", np.arange(n)),
            "created_at": _timestamps(created),
            "churned_at": _timestamps(churned, present=rng.random(n) < 0.45),
            "segment": _labels(_codes(rng, n, (0.6, 0.25, 0.1, 0.005), null_share=0.05), SEGMENTS),
        },
    )


def _orders(
    rng: np.random.Generator, sizes: Sizes, cal: Calendar, customers: pl.DataFrame
) -> pl.DataFrame:
    n = sizes.orders
    buyer = rng.integers(0, sizes.customers, n)
    since = _epoch_us(customers["created_at"])[buyer]
    until = np.minimum(
        customers["churned_at"].dt.epoch("us").fill_null(cal.end).to_numpy()[buyer], cal.end
    )
    ordered = since + (rng.random(n) * np.maximum(until - since, 0)).astype(np.int64)
    amount = np.round(rng.lognormal(7.0, 1.0, n), 2)
    amount[rng.random(n) < 0.02] = 0.0
    return _canonical(
        "orders",
        {
            "order_id": _ids("O", np.arange(n)),
            "customer_id": _ids("C", buyer),
            "ordered_at": _timestamps(_snap(rng, ordered, 0.03, cal.month_starts)),
            "amount": pl.Series(amount),
            "currency": pl.repeat("RUB", n, eager=True),
            "status": _labels(_codes(rng, n, (0.8, 0.1, 0.1)), ORDER_STATUSES),
        },
    )


def _agents(rng: np.random.Generator, sizes: Sizes, cal: Calendar) -> pl.DataFrame:
    n = sizes.agents
    hired = _snap(
        rng, rng.integers(cal.start - 365 * MICROS_PER_DAY, cal.end, n), 0.05, cal.month_starts
    )
    stay = rng.exponential(365 * MICROS_PER_DAY, n).astype(np.int64)
    left = np.maximum(_snap(rng, hired + stay, 0.05, cal.month_starts), hired)
    return _canonical(
        "agents",
        {
            "agent_id": _ids("A", np.arange(n)),
            "team": _labels(
                _codes(rng, n, (0.3, 0.2, 0.15, 0.1, 0.15, 0.1), null_share=0.05), TEAMS
            ),
            "hired_at": _timestamps(hired),
            "left_at": _timestamps(left, present=rng.random(n) < 0.35),
        },
    )


def _trainings(rng: np.random.Generator, sizes: Sizes, cal: Calendar) -> pl.DataFrame:
    n = sizes.trainings
    completed = _snap(rng, rng.integers(cal.start, cal.end, n), 0.03, cal.month_starts)
    return _canonical(
        "trainings",
        {
            "agent_id": _ids("A", rng.integers(0, sizes.agents, n)),
            "completed_at": _timestamps(completed),
            "hours": pl.Series(rng.choice([0.5, 1.0, 1.5, 2.0, 4.0, 8.0], n)),
            "course": _labels(_codes(rng, n, (0.25, 0.25, 0.25, 0.25), null_share=0.2), COURSES),
        },
    )


def _tickets(
    rng: np.random.Generator, sizes: Sizes, cal: Calendar, agents: pl.DataFrame
) -> pl.DataFrame:
    n = sizes.tickets
    channel = _codes(rng, n, CHANNEL_SHARES)
    target = SLA_TARGET_US[channel]
    created = rng.integers(cal.start, cal.end, n)
    created = _snap(rng, created, 0.03, cal.month_starts)
    created = _snap(rng, created, 0.03, cal.business_edges)

    agent = rng.integers(0, sizes.agents, n)
    has_agent = rng.random(n) >= np.where(channel == CHATBOT, 0.5, 0.05)
    at_tenure_limit = has_agent & (rng.random(n) < 0.01)
    tenure_limit = MetricParams().new_agent_tenure_days * MICROS_PER_DAY
    hired = _epoch_us(agents["hired_at"])[agent]
    created[at_tenure_limit] = (
        hired[at_tenure_limit] + tenure_limit + _jitter(rng, at_tenure_limit.sum())
    )

    answered = rng.random(n) < 0.85
    frt = rng.exponential(0.7 * target).astype(np.int64)
    at_target = rng.random(n) < 0.05
    frt[at_target] = target[at_target] + _jitter(rng, at_target.sum())
    frt[rng.random(n) < 0.02] = 0
    # Unanswered tickets whose SLA limit falls on a period end: in the base or not, by 1 µs.
    near_limit = rng.random(n) < 0.03
    created[near_limit] = (
        rng.choice(cal.month_starts, near_limit.sum())
        - target[near_limit]
        + _jitter(rng, near_limit.sum())
    )
    answered[near_limit] = False

    resolution = rng.exponential(30 * MICROS_PER_HOUR, n).astype(np.int64)
    resolved = np.maximum(_snap(rng, created + resolution, 0.03, cal.month_starts), created)

    agent_team = agents["team"].gather(agent)
    own_team = _labels(_codes(rng, n, (0.3, 0.2, 0.15, 0.1, 0.15, 0.1)), TEAMS)
    team = pl.select(
        pl.when(pl.Series(rng.random(n) < 0.05))
        .then(None)
        .when(pl.Series(rng.random(n) < 0.003))
        .then(pl.lit(RARE_TEAM))
        .when(pl.Series(has_agent))
        .then(agent_team)
        .otherwise(own_team)
    ).to_series()
    customer = rng.integers(0, sizes.customers, n)
    agent_id = pl.select(
        pl.when(pl.Series(~has_agent))
        .then(None)
        .when(pl.Series(rng.random(n) < 0.01))
        .then(_ids("A-unknown-", np.arange(n)))
        .otherwise(_ids("A", agent))
    ).to_series()
    handle_seconds = rng.exponential(600, n).astype(np.int64)
    return _canonical(
        "tickets",
        {
            "ticket_id": _ids("T", np.arange(n)),
            "customer_id": _nullable(_ids("C", customer), rng.random(n) >= 0.1),
            "channel": _labels(channel, CHANNELS),
            "created_at": _timestamps(created),
            "first_response_at": _timestamps(created + frt, present=answered),
            "resolved_at": _timestamps(resolved, present=rng.random(n) < 0.8),
            "agent_id": agent_id,
            "team": team,
            "category": _labels(
                _codes(rng, n, (0.3, 0.3, 0.2, 0.1, 0.1), null_share=0.2), CATEGORIES
            ),
            "cjm_stage": _labels(
                _codes(rng, n, (0.1, 0.15, 0.25, 0.35, 0.15), null_share=0.1), CJM_STAGES
            ),
            "is_complaint": pl.Series(rng.random(n) < 0.08),
            "contacts": pl.Series(1 + rng.poisson(0.6, n)),
            "reopens": pl.Series(rng.poisson(0.25, n)),
            "handle_seconds": _nullable(
                pl.Series(handle_seconds), has_agent & (rng.random(n) < 0.9)
            ),
        },
    )


def _responses(
    rng: np.random.Generator, sizes: Sizes, cal: Calendar, tickets: pl.DataFrame
) -> pl.DataFrame:
    n = sizes.responses
    survey = _codes(rng, n, SURVEY_SHARES)
    defaults = MetricParams()
    top = np.array([defaults.csat_max, defaults.ces_max, 10, 10])[survey]
    linked = (survey != ENPS) & (rng.random(n) < 0.7)
    dangling = (survey != ENPS) & ~linked & (rng.random(n) < 0.03)
    ticket = tickets[rng.integers(0, sizes.tickets, n)]
    ticket_created = _epoch_us(ticket["created_at"])
    delay = rng.exponential(2 * MICROS_PER_DAY, n).astype(np.int64)
    submitted = np.where(linked, ticket_created + delay, rng.integers(cal.start, cal.end, n))
    submitted = _snap(rng, submitted, 0.03, cal.month_starts)
    submitted = np.where(linked, np.maximum(submitted, ticket_created), submitted)

    own_channel = _labels(_codes(rng, n, CHANNEL_SHARES), CHANNELS)
    random_customer = _ids("C", rng.integers(0, sizes.customers, n))
    random_agent = _ids("A", rng.integers(0, sizes.agents, n))
    is_enps = pl.Series(survey == ENPS)
    is_linked = pl.Series(linked)
    return _canonical(
        "survey_responses",
        {
            "response_id": _ids("R", np.arange(n)),
            "survey": _labels(survey, SURVEYS),
            "score": pl.Series(rng.integers(0, top + 1)),
            "submitted_at": _timestamps(submitted),
            "customer_id": pl.select(
                pl.when(is_enps)
                .then(None)
                .when(is_linked)
                .then(ticket["customer_id"])
                .when(pl.Series(rng.random(n) < 0.8))
                .then(random_customer)
            ).to_series(),
            "ticket_id": pl.select(
                pl.when(is_linked)
                .then(ticket["ticket_id"])
                .when(pl.Series(dangling))
                .then(_ids("T-missing-", np.arange(n)))
            ).to_series(),
            "agent_id": pl.select(
                pl.when(is_enps).then(random_agent).when(is_linked).then(ticket["agent_id"])
            ).to_series(),
            "channel": _nullable(own_channel, rng.random(n) >= np.where(linked, 0.6, 0.4)),
            "comment": _labels(_codes(rng, n, (0.2, 0.2, 0.2, 0.2, 0.2), null_share=0.7), COMMENTS),
        },
    )


def _costs(rng: np.random.Generator, cal: Calendar) -> pl.DataFrame:
    missing = rng.integers(0, 7)
    labels = [
        Period(cal.first.first_month + i, "month").label
        for i in range(cal.months)
        if i % 7 != missing
    ]
    rows = [(label, center) for label in labels for center in COST_CENTERS]
    return _canonical(
        "costs",
        {
            "period": pl.Series([label for label, _ in rows]),
            "cost_center": pl.Series([center for _, center in rows], dtype=pl.String),
            "amount": pl.Series(np.round(rng.uniform(1e5, 5e5, len(rows)), 2)),
        },
    )


# --- helpers ----------------------------------------------------------------------------


def _canonical(entity: str, columns: dict[str, pl.Series]) -> pl.DataFrame:
    """A frame of ``entity`` with the canonical column order and dtypes."""
    return pl.DataFrame(columns).select(pl.col(c.name).cast(c.dtype) for c in CANONICAL[entity])


def _snap(
    rng: np.random.Generator, micros: np.ndarray, share: float, instants: np.ndarray
) -> np.ndarray:
    """A copy of ``micros`` with about ``share`` of it moved onto ``instants`` (± 1 µs)."""
    out = micros.copy()
    hit = rng.random(len(out)) < share
    out[hit] = rng.choice(instants, hit.sum()) + _jitter(rng, hit.sum())
    return out


def _jitter(rng: np.random.Generator, count: int) -> np.ndarray:
    return rng.choice(JITTER_US, count)


def _codes(
    rng: np.random.Generator, n: int, shares: Sequence[float], null_share: float = 0.0
) -> np.ndarray:
    """Random indexes into a label list with the given shares; -1 (null) for ``null_share``."""
    codes = rng.choice(len(shares), n, p=np.asarray(shares) / np.sum(shares))
    codes[rng.random(n) < null_share] = -1
    return codes


def _labels(codes: np.ndarray, labels: Sequence[str]) -> pl.Series:
    """``labels[code]`` for every code; -1 gives null."""
    mapping = dict(enumerate(labels))
    return pl.Series(codes).replace_strict(mapping, default=None, return_dtype=pl.String)


def _ids(prefix: str, numbers: np.ndarray) -> pl.Series:
    return pl.select(pl.lit(prefix) + pl.Series(numbers).cast(pl.String)).to_series()


def _timestamps(micros: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    series = pl.Series(micros, dtype=pl.Int64).cast(pl.Datetime("us", "UTC"))
    return series if present is None else _nullable(series, present)


def _nullable(series: pl.Series, present: np.ndarray) -> pl.Series:
    """``series`` with nulls where ``present`` is false."""
    return pl.select(pl.when(pl.Series(present)).then(series)).to_series()


def _epoch_us(series: pl.Series) -> np.ndarray:
    return series.dt.epoch("us").to_numpy()
