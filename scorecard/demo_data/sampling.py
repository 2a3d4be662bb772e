"""Random draws the entity generators share."""

from __future__ import annotations

import numpy as np

MAX_ROUNDS = 60


def lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: np.ndarray | float, size: int) -> np.ndarray:
    """Log-normal draws with the given median(s) and log-scale spread(s)."""
    return median * np.exp(sigma * rng.standard_normal(size))


def pick_active(
    rng: np.random.Generator,
    since: np.ndarray,
    until: np.ndarray,
    at: np.ndarray,
    *,
    until_at: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """For each event at ``at``, the index of a random member active then; -1 when none is found.

    A member is active when ``since < at`` and ``until >= until_at`` (``until_at``
    defaults to ``at``; pass a later instant to require the member to stay until
    then). ``since`` must be ascending. Members who joined before the event are
    drawn uniformly and kept when active and with probability ``weight / max(weight)``;
    the rejected draw again, for at most ``MAX_ROUNDS`` rounds.
    """
    until_at = at if until_at is None else until_at
    accept = None if weight is None else weight / weight.max()
    joined = np.searchsorted(since, at, side="left")
    chosen = np.full(len(at), -1, dtype=np.int64)
    pending = np.flatnonzero(joined > 0)
    for _ in range(MAX_ROUNDS):
        if len(pending) == 0:
            break
        candidate = rng.integers(0, joined[pending])
        kept = until[candidate] >= until_at[pending]
        if accept is not None:
            kept &= rng.random(len(pending)) < accept[candidate]
        chosen[pending[kept]] = candidate[kept]
        pending = pending[~kept]
    return chosen


def count_active(since: np.ndarray, until: np.ndarray, at: np.ndarray) -> np.ndarray:
    """How many members are active at each instant of ``at`` (``since`` ascending, ``until >= since``)."""
    joined = np.searchsorted(since, at, side="left")
    gone = np.searchsorted(np.sort(until), at, side="left")
    return joined - gone
