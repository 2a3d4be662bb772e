"""Support tickets: when they come, through which channel, how fast they are answered and solved."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from scorecard.demo_data.customers import TICKET_WEIGHT, CustomerBase
from scorecard.demo_data.frames import canonical, ids, labels, take, timestamps, with_nulls
from scorecard.demo_data.sampling import lognormal, pick_active
from scorecard.demo_data.staff import TEAMS, Staff
from scorecard.demo_data.timeline import (
    CONTACT_PATTERN,
    DAY_S,
    NEVER,
    US,
    Calendar,
    Instants,
    seconds,
)
from transforms.params import MetricParams


@dataclass(frozen=True)
class ChannelProfile:
    """How one channel behaves. Durations in seconds."""

    name: str
    share_first: float  # share of contacts in the first month ...
    share_last: float  # ... and in the last month (the mix drifts linearly)
    frt_median: float  # first response
    frt_sigma: float
    off_hours_slowdown: float  # first responses at night and on weekends take this many times longer
    solve_median: float  # from the first response to the resolution
    solve_sigma: float
    handle_median: float  # agent time spent on the ticket
    unanswered: float  # share never answered
    follow_ups: float  # mean extra contacts besides the first one


# In the order of transforms.schema.CHANNELS.
PROFILES = (
    ChannelProfile("phone", 0.24, 0.18, 35, 0.7, 1.6, 5 * 60, 1.2, 6 * 60, 0.005, 0.35),
    ChannelProfile("email", 0.22, 0.18, 4 * 3600, 0.9, 3.0, 14 * 3600, 1.0, 5 * 60, 0.03, 0.5),
    ChannelProfile("chat", 0.22, 0.24, 100, 0.8, 2.0, 12 * 60, 1.0, 9 * 60, 0.015, 0.25),
    ChannelProfile("social", 0.07, 0.08, 20 * 60, 0.9, 2.5, 2 * 3600, 1.2, 4 * 60, 0.07, 0.3),
    ChannelProfile("messenger", 0.13, 0.16, 12 * 60, 0.9, 2.5, 90 * 60, 1.2, 6 * 60, 0.03, 0.3),
    ChannelProfile("chatbot", 0.12, 0.16, 3, 0.5, 1.0, 40 * 60, 1.0, 7 * 60, 0.0, 0.1),
)
CHANNEL_NAMES = tuple(p.name for p in PROFILES)
CHATBOT = CHANNEL_NAMES.index("chatbot")
EMAIL = CHANNEL_NAMES.index("email")
SOCIAL = CHANNEL_NAMES.index("social")

CATEGORIES = ("Доставка", "Оплата", "Возврат", "Техническая проблема", "Консультация", "Личный кабинет", None)
CATEGORY_SHARE = (0.25, 0.15, 0.12, 0.18, 0.18, 0.09, 0.03)
CJM_NAMES = ("awareness", "evaluation", "purchase", "experience", "loyalty", None)
CJM_SHARE = (0.08, 0.15, 0.25, 0.35, 0.10, 0.07)

ANONYMOUS = 0.06  # contacts with no known customer
WAITING = 0.03  # answered tickets that wait days for a solution (a courier, a bank, a developer)
WAITING_MEDIAN_S = 7 * DAY_S
AUTO_CLOSE_DAYS = (7, 45)  # unanswered tickets are closed with no response after this long
BOT_SOLVE_MEDIAN_S = 120
CONTAINED_FIRST, CONTAINED_LAST = 0.55, 0.68  # chatbot tickets solved with no agent
FRT_FIRST, FRT_LAST = 1.2, 0.85  # first responses get faster over the range
REOPEN_FIRST, REOPEN_LAST = 0.08, 0.05
TWICE_REOPENED = 0.25  # share of reopened tickets reopened again
NO_HANDLE_TIME = 0.04  # agent tickets whose handle time was not recorded
NEW_AGENT_SLOWDOWN = 1.25  # handle time of agents in their first months
COMPLAINT_BASE, COMPLAINT_IF_REOPENED, COMPLAINT_IF_LATE = 0.03, 0.10, 0.04
# The last month differs from the one before: an e-mail and social staffing gap,
# more complaints, and a chatbot update that solves more on its own.
LAST_MONTH_SLOW_CHANNELS = (EMAIL, SOCIAL)
LAST_MONTH_FRT_FACTOR = 1.6
LAST_MONTH_EXTRA_COMPLAINTS = 0.02
LAST_MONTH_EXTRA_CONTAINED = 0.08

_DEFAULTS = MetricParams()
SLA_S = np.array([_DEFAULTS.sla_frt_minutes[name] * 60 for name in CHANNEL_NAMES])
BUSINESS_DAYS = np.array(_DEFAULTS.business_days)
BUSINESS_HOURS = (int(_DEFAULTS.business_start[:2]), int(_DEFAULTS.business_end[:2]))
NEW_AGENT_US = _DEFAULTS.new_agent_tenure_days * DAY_S * US


@dataclass(frozen=True)
class TicketSet:
    """Tickets ordered by creation: index i is ticket ``ids("T", n)[i]``."""

    created: np.ndarray
    month: np.ndarray
    channel: np.ndarray  # code into CHANNEL_NAMES
    customer: np.ndarray  # index into the customer base, -1 = anonymous
    agent: np.ndarray  # index into the staff, -1 = none
    first_response: np.ndarray  # NEVER = not answered (yet)
    resolved: np.ndarray  # NEVER = not resolved (yet)
    late: np.ndarray  # first response missed the channel's target (or never came)
    new_agent: np.ndarray  # the agent had less than the catalogue's new-agent tenure
    contacts: np.ndarray
    reopens: np.ndarray
    handle: np.ndarray  # seconds, -1 = not recorded
    category: np.ndarray
    cjm_stage: np.ndarray
    complaint: np.ndarray

    @cached_property
    def ids(self) -> pl.Series:
        return ids("T", len(self.created))

    def frame(self, customers: CustomerBase, staff: Staff) -> pl.DataFrame:
        team = np.where(self.agent >= 0, staff.team[self.agent], -1)
        return canonical("tickets", {
            "ticket_id": self.ids,
            "customer_id": take(customers.ids, self.customer),
            "channel": labels(CHANNEL_NAMES, self.channel),
            "created_at": timestamps(self.created),
            "first_response_at": timestamps(self.first_response),
            "resolved_at": timestamps(self.resolved),
            "agent_id": take(staff.ids, self.agent),
            "team": labels(TEAMS, team),
            "category": labels(CATEGORIES, self.category),
            "cjm_stage": labels(CJM_NAMES, self.cjm_stage),
            "is_complaint": self.complaint,
            "contacts": self.contacts,
            "reopens": self.reopens,
            "handle_seconds": with_nulls(self.handle, self.handle < 0),
        })


def make_tickets(
    rng: np.random.Generator, cal: Calendar, tickets_per_month: int, customers: CustomerBase, staff: Staff
) -> TicketSet:
    """About ``tickets_per_month`` tickets a month on average, seasonal and growing."""
    arrivals = cal.sample(rng, tickets_per_month * cal.volume_shape, CONTACT_PATTERN)
    created, month = arrivals.at, arrivals.month
    size = len(created)
    progress = cal.progress[month]
    last_month = month == len(cal.months) - 1

    channel = _channels(rng, progress)
    customer = pick_active(
        rng, customers.created, customers.churned, created, weight=TICKET_WEIGHT[customers.segment]
    )
    customer[rng.random(size) < ANONYMOUS] = -1

    contained_share = np.interp(progress, [0, 1], [CONTAINED_FIRST, CONTAINED_LAST])
    contained_share = contained_share + LAST_MONTH_EXTRA_CONTAINED * last_month
    contained = (channel == CHATBOT) & (rng.random(size) < contained_share)

    frt = _response_seconds(rng, arrivals, channel, progress, last_month)
    unanswered = rng.random(size) < _profile("unanswered")[channel]
    late = unanswered | (frt > SLA_S[channel])
    solve = _solve_seconds(rng, channel, contained)
    auto_close = rng.uniform(*AUTO_CLOSE_DAYS, size=size) * DAY_S
    first_response = np.where(unanswered, NEVER, created + seconds(frt))
    resolved = created + np.where(unanswered, seconds(auto_close), seconds(frt) + seconds(solve))
    first_response = np.where(first_response >= cal.end, NEVER, first_response)
    resolved = np.where(resolved >= cal.end, NEVER, resolved)

    # An agent who was employed from before the ticket came until its last event.
    needs_agent = (first_response != NEVER) & ~contained
    last_event = np.where(resolved != NEVER, resolved, first_response)
    agent = np.full(size, -1, dtype=np.int64)
    agent[needs_agent] = pick_active(
        rng, staff.hired, staff.left, created[needs_agent], until_at=last_event[needs_agent]
    )
    new_agent = (agent >= 0) & (created - staff.hired[agent] < NEW_AGENT_US)

    reopen_share = np.interp(progress, [0, 1], [REOPEN_FIRST, REOPEN_LAST])
    reopened = (resolved != NEVER) & (rng.random(size) < reopen_share)
    reopens = reopened * (1 + (rng.random(size) < TWICE_REOPENED))
    contacts = 1 + rng.poisson(_profile("follow_ups")[channel]) + reopens

    handle_median = _profile("handle_median")[channel] * (1 + 0.4 * reopens)
    handle_median = handle_median * np.where(new_agent, NEW_AGENT_SLOWDOWN, 1.0)
    handle = np.rint(lognormal(rng, handle_median, 0.6, size)).astype(np.int64)
    handle = np.where((agent < 0) | (rng.random(size) < NO_HANDLE_TIME), -1, handle)

    complaint_share = COMPLAINT_BASE + COMPLAINT_IF_REOPENED * reopened + COMPLAINT_IF_LATE * late
    complaint_share = complaint_share + LAST_MONTH_EXTRA_COMPLAINTS * last_month
    return TicketSet(
        created=created,
        month=month,
        channel=channel,
        customer=customer,
        agent=agent,
        first_response=first_response,
        resolved=resolved,
        late=late,
        new_agent=new_agent,
        contacts=contacts,
        reopens=reopens,
        handle=handle,
        category=rng.choice(len(CATEGORIES), size=size, p=CATEGORY_SHARE),
        cjm_stage=rng.choice(len(CJM_NAMES), size=size, p=CJM_SHARE),
        complaint=rng.random(size) < complaint_share,
    )


def _response_seconds(
    rng: np.random.Generator, arrivals: Instants, channel: np.ndarray, progress: np.ndarray, last_month: np.ndarray
) -> np.ndarray:
    """Time to the first response: by channel, slower off-hours, faster over the range."""
    off_hours = (
        ~np.isin(arrivals.weekday, BUSINESS_DAYS)
        | (arrivals.hour < BUSINESS_HOURS[0])
        | (arrivals.hour >= BUSINESS_HOURS[1])
    )
    factor = np.interp(progress, [0, 1], [FRT_FIRST, FRT_LAST])
    factor = factor * np.where(off_hours, _profile("off_hours_slowdown")[channel], 1.0)
    slow_now = last_month & np.isin(channel, LAST_MONTH_SLOW_CHANNELS)
    factor = factor * np.where(slow_now, LAST_MONTH_FRT_FACTOR, 1.0)
    return lognormal(rng, _profile("frt_median")[channel] * factor, _profile("frt_sigma")[channel], len(channel))


def _solve_seconds(rng: np.random.Generator, channel: np.ndarray, contained: np.ndarray) -> np.ndarray:
    """Time from the first response to the resolution: by channel; some wait days, the bot takes minutes."""
    size = len(channel)
    solve = lognormal(rng, _profile("solve_median")[channel], _profile("solve_sigma")[channel], size)
    solve = np.where(rng.random(size) < WAITING, lognormal(rng, WAITING_MEDIAN_S, 0.8, size), solve)
    return np.where(contained, lognormal(rng, BOT_SOLVE_MEDIAN_S, 0.6, size), solve)


def _channels(rng: np.random.Generator, progress: np.ndarray) -> np.ndarray:
    """Channel codes from a mix drifting from ``share_first`` to ``share_last``.

    Drawing from the last month's mix with probability ``progress`` and from the
    first month's otherwise gives exactly the linearly interpolated mix.
    """
    first = rng.choice(len(PROFILES), size=len(progress), p=_shares("share_first"))
    last = rng.choice(len(PROFILES), size=len(progress), p=_shares("share_last"))
    return np.where(rng.random(len(progress)) < progress, last, first)


def _shares(field: str) -> np.ndarray:
    shares = _profile(field)
    return shares / shares.sum()


def _profile(field: str) -> np.ndarray:
    """One field of every channel profile, indexable by channel code."""
    return np.array([getattr(p, field) for p in PROFILES])
