"""Agents joining and leaving teams, and the trainings they complete."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from scorecard.demo_data.frames import canonical, ids, labels, timestamps
from scorecard.demo_data.timeline import (
    DAY_S,
    MONTH_S,
    MONTHLY_GROWTH,
    NEVER,
    US,
    Calendar,
    seconds,
)

TEAMS = ("Первая линия", "Вторая линия", "Корпоративные клиенты", "Соцсети и мессенджеры")
TEAM_SHARE = (0.40, 0.25, 0.15, 0.20)
TICKETS_PER_AGENT = 50  # monthly tickets per seat: 3,000 tickets → 60 agents
MEAN_TENURE_MONTHS = 28  # about 3.5 % of agents leave each month
SENIORITY_MONTHS = 48  # the longest-serving agents at the start joined this long before
REFILL_DAYS = (7, 45)  # a vacant seat is filled again after this many days

COURSES = (
    "Онбординг", "Работа с возражениями", "Новые тарифы и продукты",
    "Эмпатия в переписке", "Работа в CRM", "Информационная безопасность",
)
ONBOARDING_DAYS = (3, 14)  # onboarding is completed this long after joining
ONBOARDING_HOURS = (16, 40)
COURSE_HOURS = np.array([1.0, 1.5, 2.0, 4.0, 8.0])
COURSES_PER_AGENT_MONTH = 0.3


@dataclass(frozen=True)
class Staff:
    """Agents ordered by hiring: index i is agent ``ids("A", n)[i]``."""

    hired: np.ndarray
    left: np.ndarray  # NEVER while still employed at the end of the data
    team: np.ndarray  # code into TEAMS

    @cached_property
    def ids(self) -> pl.Series:
        return ids("A", len(self.hired))

    def frame(self) -> pl.DataFrame:
        return canonical("agents", {
            "agent_id": self.ids,
            "team": labels(TEAMS, self.team),
            "hired_at": timestamps(self.hired),
            "left_at": timestamps(self.left),
        })


def make_agents(rng: np.random.Generator, cal: Calendar, tickets_per_month: int) -> Staff:
    """Seats filled at the start plus seats added as volume grows; a leaver's seat is refilled."""
    seats_at_start = max(5, round(tickets_per_month / TICKETS_PER_AGENT))
    seats_added = round(seats_at_start * MONTHLY_GROWTH * (len(cal.months) - 1))
    range_s = (cal.end - cal.start) // US
    # The first holder of each seat: already employed at the start, or hired into a new seat.
    first_hired = np.concatenate([
        cal.start - rng.integers(1, SENIORITY_MONTHS * MONTH_S, size=seats_at_start) * US,
        cal.start + rng.integers(0, range_s, size=seats_added) * US,
    ])
    seats = seats_at_start + seats_added
    serving = np.arange(seats) < seats_at_start
    # Tenure is memoryless: a serving agent's remaining tenure counts from the start.
    first_left = np.where(serving, cal.start, first_hired) + _tenure(rng, seats)
    # Successors: hired a few weeks after the previous holder left, until past the end.
    successors = 3 + math.ceil(2 * len(cal.months) / MEAN_TENURE_MONTHS)
    gaps = seconds(rng.uniform(*REFILL_DAYS, size=(seats, successors)) * DAY_S)
    tenures = _tenure(rng, (seats, successors))
    next_hired = first_left[:, None] + np.cumsum(gaps + tenures, axis=1) - tenures
    hired = np.concatenate([first_hired, next_hired.ravel()])
    left = np.concatenate([first_left, (next_hired + tenures).ravel()])
    seat_team = rng.choice(len(TEAMS), size=seats, p=TEAM_SHARE)
    team = np.concatenate([seat_team, np.repeat(seat_team, successors)])

    employed = hired < cal.end
    order = np.argsort(hired[employed], kind="stable")
    left = left[employed][order]
    return Staff(
        hired=hired[employed][order],
        left=np.where(left >= cal.end, NEVER, left),
        team=team[employed][order],
    )


def make_trainings(rng: np.random.Generator, cal: Calendar, staff: Staff) -> pl.DataFrame:
    """Onboarding soon after joining, then short courses now and then, while employed."""
    agents = len(staff.hired)
    onboarding_at = staff.hired + seconds(rng.uniform(*ONBOARDING_DAYS, size=agents) * DAY_S)
    onboarding_hours = rng.integers(ONBOARDING_HOURS[0], ONBOARDING_HOURS[1] + 1, size=agents)

    months = len(cal.months)
    agent = np.repeat(np.arange(agents), months)
    month = np.tile(np.arange(months), agents)
    took = rng.random(len(agent)) < COURSES_PER_AGENT_MONTH
    agent, month = agent[took], month[took]
    course_at = cal.any_time_in(rng, month)
    course = rng.integers(1, len(COURSES), size=len(agent))
    course_hours = rng.choice(COURSE_HOURS, size=len(agent))

    agent = np.concatenate([np.arange(agents), agent])
    at = np.concatenate([onboarding_at, course_at])
    hours = np.concatenate([onboarding_hours.astype(float), course_hours])
    course = np.concatenate([np.zeros(agents, dtype=np.int64), course])
    kept = (at > staff.hired[agent]) & (at <= staff.left[agent]) & (at >= cal.start) & (at < cal.end)
    order = np.argsort(at[kept], kind="stable")
    agent, at, hours, course = (a[kept][order] for a in (agent, at, hours, course))
    return canonical("trainings", {
        "agent_id": staff.ids.gather(agent),
        "completed_at": timestamps(at),
        "hours": hours,
        "course": labels(COURSES, course),
    })


def _tenure(rng: np.random.Generator, size: int | tuple[int, int]) -> np.ndarray:
    """Exponential tenures in microseconds."""
    return seconds(rng.exponential(MEAN_TENURE_MONTHS, size=size) * MONTH_S)
