"""The demo's months and days, and how events are spread over them.

Inside the generator every instant is an ``int64`` count of microseconds since
the Unix epoch (UTC), rounded to whole seconds; :data:`NEVER` stands for "no
such instant" and becomes null in the frames. Month and day bounds come from
:class:`transforms.periods.Period` and Polars' calendar, so days are local days
of the reporting time zone (23 or 25 hours long on a DST change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import polars as pl

from transforms.periods import Period

US = 1_000_000  # microseconds per second
HOUR_S = 3_600
DAY_S = 86_400
MONTH_S = 2_629_800  # an average month (30.4375 days), for durations such as tenures
NEVER = np.iinfo(np.int64).max

# Seasonality of contact volume by calendar month: a December peak, a summer dip.
SEASON = np.array([1.00, 0.95, 1.00, 0.98, 0.95, 0.90, 0.85, 0.87, 1.00, 1.03, 1.12, 1.30])
MONTHLY_GROWTH = 0.01  # volumes grow slowly, about 1 % a month


@dataclass(frozen=True)
class DailyPattern:
    """Relative weights of weekdays (Monday first) and of local hours of the day."""

    weekday: tuple[float, ...]
    hour: tuple[float, ...]


# Fewer contacts at night and on weekends.
CONTACT_PATTERN = DailyPattern(
    weekday=(1.10, 1.05, 1.00, 1.00, 0.95, 0.60, 0.50),
    hour=(0.15, 0.10, 0.08, 0.08, 0.10, 0.20, 0.40, 0.80, 1.30, 1.80, 2.00, 2.00,
          1.90, 1.90, 1.90, 1.80, 1.70, 1.50, 1.20, 1.00, 0.90, 0.70, 0.45, 0.25),
)
# People buy and sign up in the evenings and on weekends too.
SHOPPING_PATTERN = DailyPattern(
    weekday=(1.00, 1.00, 1.00, 1.00, 1.05, 1.15, 1.10),
    hour=(0.20, 0.10, 0.05, 0.05, 0.05, 0.10, 0.30, 0.60, 0.90, 1.10, 1.20, 1.30,
          1.40, 1.40, 1.30, 1.30, 1.40, 1.50, 1.70, 1.90, 2.00, 1.80, 1.20, 0.60),
)
# Survey answers arrive during the waking day, any weekday.
ANSWER_PATTERN = DailyPattern(
    weekday=(1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.8),
    hour=(0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.3, 1.4, 1.4,
          1.3, 1.3, 1.3, 1.3, 1.2, 1.2, 1.3, 1.4, 1.3, 1.0, 0.6, 0.3),
)


@dataclass(frozen=True)
class Instants:
    """Sampled event times, ascending, with the local calendar facts they were drawn from."""

    at: np.ndarray  # int64 microseconds UTC
    month: np.ndarray  # index into Calendar.months
    weekday: np.ndarray  # ISO weekday in the reporting zone, Monday = 1
    hour: np.ndarray  # local hour of the day, 0..23


@dataclass(frozen=True)
class Calendar:
    """The ``months`` months ending with ``last``, in the reporting time zone."""

    months: tuple[Period, ...]
    month_bounds: np.ndarray  # (M + 1,) start of each month, then the end of the last
    day_bounds: np.ndarray  # (D + 1,) start of each local day, then the end of the last
    day_month: np.ndarray  # (D,) month index of each day
    day_weekday: np.ndarray  # (D,) ISO weekday of each day

    @classmethod
    def build(cls, last: Period, months: int) -> Calendar:
        periods = tuple(last.trailing(months))
        month_bounds = np.array(
            [_epoch_us(p.start) for p in periods] + [_epoch_us(last.end)], dtype=np.int64
        )
        days = pl.datetime_range(
            periods[0].start, last.end, "1d", closed="left", time_zone=last.tz, eager=True
        )
        day_starts = days.dt.epoch("us").to_numpy()
        return cls(
            months=periods,
            month_bounds=month_bounds,
            day_bounds=np.append(day_starts, month_bounds[-1]),
            day_month=np.searchsorted(month_bounds, day_starts, side="right") - 1,
            day_weekday=days.dt.weekday().to_numpy().astype(np.int64),
        )

    @property
    def start(self) -> int:
        return int(self.month_bounds[0])

    @property
    def end(self) -> int:
        """The end of the data: nothing happens at or after this instant."""
        return int(self.month_bounds[-1])

    @property
    def progress(self) -> np.ndarray:
        """Each month's position in the range, 0.0 for the first and 1.0 for the last."""
        count = len(self.months)
        return np.arange(count) / max(count - 1, 1)

    @property
    def midpoints(self) -> np.ndarray:
        """The middle instant of each month."""
        return (self.month_bounds[:-1] + self.month_bounds[1:]) // 2

    @property
    def season(self) -> np.ndarray:
        """Each month's seasonal factor (:data:`SEASON` of its calendar month)."""
        return SEASON[[p.first_month % 12 for p in self.months]]

    @property
    def volume_shape(self) -> np.ndarray:
        """Relative volume of each month (seasonality times slow growth), mean 1."""
        shape = self.season * (1 + MONTHLY_GROWTH) ** np.arange(len(self.months))
        return shape / shape.mean()

    def any_time_in(self, rng: np.random.Generator, month: np.ndarray) -> np.ndarray:
        """A uniformly random whole second inside each given month."""
        length_s = (self.month_bounds[month + 1] - self.month_bounds[month]) // US
        return self.month_bounds[month] + rng.integers(0, length_s) * US

    def sample(self, rng: np.random.Generator, per_month: np.ndarray, pattern: DailyPattern) -> Instants:
        """Poisson-many instants a day: ``per_month`` expected per month, spread by ``pattern``."""
        day_weight = np.asarray(pattern.weekday)[self.day_weekday - 1]
        month_weight = np.bincount(self.day_month, weights=day_weight, minlength=len(self.months))
        expected = np.asarray(per_month, dtype=float)[self.day_month] * day_weight / month_weight[self.day_month]
        day = np.repeat(np.arange(len(expected)), rng.poisson(expected))
        hour_p = np.asarray(pattern.hour) / np.sum(pattern.hour)
        hour = rng.choice(24, size=len(day), p=hour_p)
        second_of_day = hour * HOUR_S + rng.integers(0, HOUR_S, size=len(day))
        day_start = self.day_bounds[day]
        last_second = self.day_bounds[day + 1] - US  # a 23-hour day ends early
        at = np.minimum(day_start + second_of_day * US, last_second)
        order = np.argsort(at, kind="stable")
        return Instants(
            at=at[order],
            month=self.day_month[day][order],
            weekday=self.day_weekday[day][order],
            hour=hour[order],
        )


def seconds(values: np.ndarray) -> np.ndarray:
    """Durations in seconds (floats) as whole microsecond offsets, at least one second."""
    return np.maximum(np.rint(values), 1).astype(np.int64) * US


def _epoch_us(instant: datetime) -> int:
    return int(instant.timestamp()) * US
