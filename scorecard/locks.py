"""One run per period at a time: an exclusive ``flock`` on ``<store folder>/locks/<period>.lock``.

Every run of a period (``scorecard run``, a backfill, the schedule, ``scorecard
send``) holds the period's lock while it works. A second run of the same period
either exits at once with one line naming the holder, or waits (``--wait``).

The operating system drops an ``flock`` when its process dies, even by SIGKILL,
so a crashed run never leaves a period locked. The lock file itself is never
deleted (deleting a locked file lets a third process lock a new file of the same
name); it holds the holder's pid and start time, for the message.
The lock guards one machine: runs on several machines must not share a period.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scorecard.errors import ScorecardError

if TYPE_CHECKING:
    from scorecard.config import Settings


class PeriodBusy(ScorecardError):
    """Another process is running the same period."""

    exit_code = 6


def lock_folder(settings: Settings) -> Path:
    """``<store folder>/locks``: beside the DuckDB file (and Prefect's state)."""
    return settings.store.path.parent / "locks"


@contextmanager
def period_lock(folder: Path, period: str, *, wait: bool = False) -> Iterator[None]:
    """Hold ``period``'s lock for the block; raise PeriodBusy if it is held and ``wait`` is false."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{period}.lock").open("a+", encoding="utf-8") as handle:
        if not _try_lock(handle):
            holder = _holder(handle)
            if not wait:
                raise PeriodBusy(_busy_line(period, holder))
            print(f"scorecard: period {period} is already running ({holder}); waiting for it", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.truncate(0)
        handle.write(f"{os.getpid()} {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def raise_if_busy(folder: Path, period: str) -> None:
    """Fail fast, before any work starts; the run itself still takes the lock."""
    holder = holder_of(folder, period)
    if holder is not None:
        raise PeriodBusy(_busy_line(period, holder))


def holder_of(folder: Path, period: str) -> str | None:
    """Who runs ``period`` now ("pid N since …"), or None when nobody holds its lock."""
    path = folder / f"{period}.lock"
    if not path.exists():
        return None
    with path.open("a+", encoding="utf-8") as handle:
        if not _try_lock(handle, fcntl.LOCK_SH, attempts=1):
            return _holder(handle)
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def _busy_line(period: str, holder: str) -> str:
    return f"period {period} is already running ({holder}); wait for it or pass --wait"


def _try_lock(handle: TextIO, mode: int = fcntl.LOCK_EX, attempts: int = 3) -> bool:
    """Lock without blocking. The quick retries ride over another process that only
    peeks at the lock (:func:`holder_of` holds it shared for an instant)."""
    for attempt in range(attempts):
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt + 1 < attempts:
                time.sleep(0.05)
    return False


def _holder(handle: TextIO) -> str:
    handle.seek(0)
    pid, _, since = handle.read().strip().partition(" ")
    if not pid:
        return "pid unknown"  # the holder has not written its line yet
    return f"pid {pid} since {since}"
