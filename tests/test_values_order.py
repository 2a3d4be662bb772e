"""The backfill's values order: a period waits for the one before it, never for itself or later ones."""

from __future__ import annotations

import threading
import time

from scorecard.values_order import mark_stored, values_order, wait_for_previous


def test_a_period_waits_until_the_one_before_it_has_stored():
    events: list[str] = []
    with values_order(["2026-08", "2026-09", "2026-10"]) as order:

        def later() -> None:
            wait_for_previous(order, "2026-10")  # waits for 2026-09, which waits for nobody here
            events.append("2026-10 compares")

        thread = threading.Thread(target=later)
        thread.start()
        wait_for_previous(order, "2026-08")  # the first period never waits
        time.sleep(0.2)
        events.append("2026-09 stores")
        mark_stored(order, "2026-09")
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert events == ["2026-09 stores", "2026-10 compares"]


def test_outside_a_backfill_nothing_waits():
    wait_for_previous(None, "2026-10")
    mark_stored(None, "2026-10")
    with values_order(["2026-09", "2026-10"]) as order:
        pass
    wait_for_previous(order, "2026-10")  # the backfill is over: its order is gone
