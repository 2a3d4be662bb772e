"""The order in which a backfill's periods store their values.

A period's report compares with the periods before it (previous period, trend,
year ago). When a backfill runs several periods at a time, each period's run
does its own pull, validation and computation at once, then waits — before it
compares and stores — until the run of the period before it has stored its
values (or ended, whatever the outcome). By induction every earlier period of
the backfill is then final, so each report compares with final neighbours, as
if the periods had run one after the other, and no period is computed twice.

An order is a scratch folder on this machine: the list of periods, and one
marker file per period that has stored (or ended). Runs in threads and in
worker processes of this machine find it by its path, a plain string they get
as a flow parameter.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_PERIODS = "periods.json"
_POLL_SECONDS = 0.1


@contextmanager
def values_order(labels: Sequence[str]) -> Iterator[str]:
    """A new order over ``labels`` (oldest first) for the time of a backfill; yields its id."""
    root = Path(tempfile.mkdtemp(prefix="scorecard-values-order-"))
    (root / _PERIODS).write_text(json.dumps(list(labels)), encoding="utf-8")
    try:
        yield str(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def wait_for_previous(order_id: str | None, label: str) -> None:
    """Block until the period before ``label`` in the order ``order_id`` has stored its values
    or ended; no-op outside a backfill (``None``) or once the backfill is over."""
    if order_id is None:
        return
    root = Path(order_id)
    try:
        labels = json.loads((root / _PERIODS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    position = labels.index(label) if label in labels else 0
    if position == 0:
        return
    marker = root / f"{labels[position - 1]}.stored"
    while not marker.exists() and root.exists():
        time.sleep(_POLL_SECONDS)


def mark_stored(order_id: str | None, label: str) -> None:
    """Say that ``label``'s run has stored its values (or ended); no-op outside a backfill."""
    if order_id is not None and Path(order_id).is_dir():
        (Path(order_id) / f"{label}.stored").touch()
