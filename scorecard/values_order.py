"""The order in which a backfill's periods store their values.

A period's report compares with the periods before it (previous period, trend,
year ago). When a backfill runs several periods at a time, each period's run
does its own pull, validation and computation at once, then waits — before it
compares and stores — until the run of the period before it has stored its
values (or ended, whatever the outcome). By induction every earlier period of
the backfill is then final, so each report compares with final neighbours, as
if the periods had run one after the other, and no period is computed twice.

The runs are threads of one process (Prefect's thread task runner): they find
their backfill's order by its id, a plain string they get as a flow parameter.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

_orders: dict[str, ValuesOrder] = {}
_registry_lock = threading.Lock()


class ValuesOrder:
    """One event per period, set when its run has stored its values or ended."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.id = uuid.uuid4().hex
        self._ended = {label: threading.Event() for label in labels}
        self._before = dict(zip(labels[1:], labels[:-1]))

    def wait_for_previous(self, label: str) -> None:
        earlier = self._before.get(label)
        if earlier is not None:
            self._ended[earlier].wait()

    def stored(self, label: str) -> None:
        if label in self._ended:
            self._ended[label].set()


@contextmanager
def values_order(labels: Sequence[str]) -> Iterator[str]:
    """A new order over ``labels`` (oldest first) for the time of a backfill; yields its id."""
    order = ValuesOrder(labels)
    with _registry_lock:
        _orders[order.id] = order
    try:
        yield order.id
    finally:
        with _registry_lock:
            _orders.pop(order.id, None)


def wait_for_previous(order_id: str | None, label: str) -> None:
    """Block until the period before ``label`` in the backfill ``order_id`` has stored its
    values or ended; no-op outside a backfill (``None``)."""
    if order_id is not None and (order := _orders.get(order_id)) is not None:
        order.wait_for_previous(label)


def mark_stored(order_id: str | None, label: str) -> None:
    """Say that ``label``'s run has stored its values (or ended); no-op outside a backfill."""
    if order_id is not None and (order := _orders.get(order_id)) is not None:
        order.stored(label)
