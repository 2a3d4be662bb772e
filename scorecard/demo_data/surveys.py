"""Survey responses: CSAT and CES after resolved tickets, NPS from customers, eNPS from agents."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from scorecard.demo_data.customers import CustomerBase
from scorecard.demo_data.frames import canonical, ids, labels, take, timestamps
from scorecard.demo_data.sampling import count_active, lognormal, pick_active
from scorecard.demo_data.staff import Staff
from scorecard.demo_data.tickets import CHANNEL_NAMES, EMAIL, TicketSet
from scorecard.demo_data.timeline import ANSWER_PATTERN, DAY_S, NEVER, US, Calendar, seconds
from transforms.schema import SURVEYS

CSAT, CES, NPS, ENPS = (SURVEYS.index(name) for name in ("csat", "ces", "nps", "enps"))
CSAT_SHARE = 0.15  # resolved tickets whose customer answers the CSAT survey
CES_SHARE = 0.09  # ... and the CES survey
NPS_SHARE = 0.035  # active customers answering the NPS survey each month
ENPS_SHARE = 0.8  # agents answering the monthly eNPS pulse
ANSWER_DELAY_MEDIAN_S = 3_600  # after the resolution
CHANNEL_BLANK = 0.15  # ticket surveys whose channel was not recorded (the ticket's applies)
COMMENTED = 0.1  # customer responses with a comment
LEAVING_SOON_DAYS = 90  # agents this close to leaving answer eNPS lower
NPS_SEGMENT_EFFECT = np.array([0.0, -0.3, 0.6, 0.0])  # b2c, b2b, vip, no segment

POSITIVE_COMMENTS = (
    "Спасибо, всё решили быстро", "Оператор был очень вежлив", "Всё понятно объяснили",
    "Great support, thank you!", "Quick and helpful answer",
)
NEGATIVE_COMMENTS = (
    "Ждал ответа два дня", "Пришлось писать несколько раз", "Проблему так и не решили",
    "Nobody answered my email for days", "The bot did not understand me",
)


@dataclass(frozen=True)
class Responses:
    """Survey responses as parallel arrays; -1 marks a missing reference."""

    survey: np.ndarray
    score: np.ndarray
    submitted: np.ndarray
    customer: np.ndarray
    ticket: np.ndarray
    agent: np.ndarray
    channel: np.ndarray
    pleased: np.ndarray  # the score is a good one (picks the tone of a comment)

    @classmethod
    def concat(cls, parts: list[Responses]) -> Responses:
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})

    def select(self, rows: np.ndarray) -> Responses:
        return Responses(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


def make_surveys(
    rng: np.random.Generator, cal: Calendar, tickets: TicketSet, customers: CustomerBase, staff: Staff
) -> pl.DataFrame:
    """All responses submitted inside the range, in order of submission."""
    every = Responses.concat([
        _csat(rng, cal, tickets), _ces(rng, cal, tickets), _nps(rng, cal, customers), _enps(rng, cal, staff),
    ])
    inside = np.flatnonzero(every.submitted < cal.end)
    answers = every.select(inside[np.argsort(every.submitted[inside], kind="stable")])
    size = len(answers.score)
    commented = (answers.survey != ENPS) & (rng.random(size) < COMMENTED)
    tone = np.where(
        answers.pleased,
        rng.integers(0, len(POSITIVE_COMMENTS), size),
        len(POSITIVE_COMMENTS) + rng.integers(0, len(NEGATIVE_COMMENTS), size),
    )
    return canonical("survey_responses", {
        "response_id": ids("R", size),
        "survey": labels(SURVEYS, answers.survey),
        "score": answers.score,
        "submitted_at": timestamps(answers.submitted),
        "customer_id": take(customers.ids, answers.customer),
        "ticket_id": take(tickets.ids, answers.ticket),
        "agent_id": take(staff.ids, answers.agent),
        "channel": labels(CHANNEL_NAMES, answers.channel),
        "comment": labels(POSITIVE_COMMENTS + NEGATIVE_COMMENTS, np.where(commented, tone, -1)),
    })


def _csat(rng: np.random.Generator, cal: Calendar, tickets: TicketSet) -> Responses:
    """0–5; higher when fast, solved at once, by an experienced agent, and later in the range."""
    rows = _answered_tickets(rng, tickets, CSAT_SHARE)
    latent = (
        3.9 + 0.45 * cal.progress[tickets.month[rows]]
        - 0.9 * (tickets.reopens[rows] > 0) - 0.6 * tickets.late[rows] - 0.4 * tickets.new_agent[rows]
        - 0.25 * (tickets.contacts[rows] - 1) + rng.normal(0, 0.9, len(rows))
    )
    score = _scale(latent, 5)
    return _about_tickets(rng, tickets, rows, CSAT, score, pleased=score >= 4)


def _ces(rng: np.random.Generator, cal: Calendar, tickets: TicketSet) -> Responses:
    """0–5 effort; higher with more contacts, reopens, e-mail and late answers."""
    rows = _answered_tickets(rng, tickets, CES_SHARE)
    latent = (
        1.2 - 0.3 * cal.progress[tickets.month[rows]]
        + 0.6 * (tickets.contacts[rows] - 1) + 0.8 * (tickets.reopens[rows] > 0)
        + 0.4 * (tickets.channel[rows] == EMAIL) + 0.3 * tickets.late[rows] + rng.normal(0, 0.8, len(rows))
    )
    score = _scale(latent, 5)
    return _about_tickets(rng, tickets, rows, CES, score, pleased=score <= 1)


def _nps(rng: np.random.Generator, cal: Calendar, customers: CustomerBase) -> Responses:
    """0–10 from a few percent of the active customers each month."""
    per_month = count_active(customers.created, customers.churned, cal.midpoints) * NPS_SHARE
    answered = cal.sample(rng, per_month, ANSWER_PATTERN)
    who = pick_active(rng, customers.created, customers.churned, answered.at)
    found = who >= 0
    who, at, month = who[found], answered.at[found], answered.month[found]
    latent = (
        7.4 + 0.8 * cal.progress[month] + NPS_SEGMENT_EFFECT[customers.segment[who]]
        + rng.normal(0, 2.0, len(who))
    )
    score = _scale(latent, 10)
    none = np.full(len(who), -1)
    return Responses(
        survey=np.full(len(who), NPS), score=score, submitted=at,
        customer=who, ticket=none, agent=none, channel=none, pleased=score >= 9,
    )


def _enps(rng: np.random.Generator, cal: Calendar, staff: Staff) -> Responses:
    """0–10 monthly pulse of most employed agents; lower from those about to leave."""
    months = len(cal.months)
    agent = np.repeat(np.arange(len(staff.hired)), months)
    month = np.tile(np.arange(months), len(staff.hired))
    at = cal.any_time_in(rng, month)
    employed = (staff.hired[agent] < at) & (staff.left[agent] >= at)
    rows = np.flatnonzero(employed & (rng.random(len(agent)) < ENPS_SHARE))
    agent, month, at = agent[rows], month[rows], at[rows]
    leaving_soon = (staff.left[agent] != NEVER) & (staff.left[agent] - at < LEAVING_SOON_DAYS * DAY_S * US)
    latent = 7.6 + 0.6 * cal.progress[month] - 2.0 * leaving_soon + rng.normal(0, 2.0, len(rows))
    score = _scale(latent, 10)
    none = np.full(len(rows), -1)
    return Responses(
        survey=np.full(len(rows), ENPS), score=score, submitted=at,
        customer=none, ticket=none, agent=agent, channel=none, pleased=score >= 9,
    )


def _answered_tickets(rng: np.random.Generator, tickets: TicketSet, share: float) -> np.ndarray:
    """Indices of a ``share`` of the resolved tickets."""
    resolved = tickets.resolved != NEVER
    return np.flatnonzero(resolved & (rng.random(len(resolved)) < share))


def _about_tickets(
    rng: np.random.Generator, tickets: TicketSet, rows: np.ndarray, survey: int, score: np.ndarray,
    pleased: np.ndarray,
) -> Responses:
    """Responses to a ticket survey: sent after the resolution, naming the ticket, its agent and channel."""
    delay = seconds(lognormal(rng, ANSWER_DELAY_MEDIAN_S, 1.2, len(rows)))
    blank = rng.random(len(rows)) < CHANNEL_BLANK
    return Responses(
        survey=np.full(len(rows), survey),
        score=score,
        submitted=tickets.resolved[rows] + delay,
        customer=tickets.customer[rows],
        ticket=rows,
        agent=tickets.agent[rows],
        channel=np.where(blank, -1, tickets.channel[rows]),
        pleased=pleased,
    )


def _scale(latent: np.ndarray, top: int) -> np.ndarray:
    """Latent satisfaction rounded onto the 0..top scale."""
    return np.clip(np.rint(latent), 0, top).astype(np.int64)
