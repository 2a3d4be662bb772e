"""The per-period lock between real processes: exit with one line, wait, and survive SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scorecard.locks import PeriodBusy, holder_of, period_lock, raise_if_busy

HOLD = """
import sys, time
from pathlib import Path
from scorecard.locks import period_lock
with period_lock(Path(sys.argv[1]), sys.argv[2], wait=sys.argv[3] == "wait"):
    print("locked", time.time(), flush=True)
    sys.stdin.readline()  # hold until told (a line, or stdin closed)
print("released", time.time(), flush=True)
"""


def hold(folder: Path, period: str, wait: bool = False) -> subprocess.Popen:
    """A process that takes the period's lock (waiting for it if asked) and keeps it until its stdin closes."""
    return subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), period, "wait" if wait else "nowait"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_until_locked(process: subprocess.Popen) -> float:
    word, at = process.stdout.readline().split()
    assert word == "locked"
    return float(at)


def test_second_process_exits_with_the_holders_pid(tmp_path):
    holder = hold(tmp_path, "2026-10")
    try:
        wait_until_locked(holder)
        with pytest.raises(PeriodBusy) as busy, period_lock(tmp_path, "2026-10"):
            pytest.fail("the lock was taken twice")
        line = busy.value.line()
        assert line.startswith(f"period 2026-10 is already running (pid {holder.pid} since 20")
        assert line.endswith("; wait for it or pass --wait")
        assert holder_of(tmp_path, "2026-10").startswith(f"pid {holder.pid} since ")
        with pytest.raises(PeriodBusy):
            raise_if_busy(tmp_path, "2026-10")
        # Another period is free meanwhile.
        with period_lock(tmp_path, "2026-09"):
            assert holder_of(tmp_path, "2026-09").startswith(f"pid {os.getpid()} since ")
    finally:
        holder.kill()
        holder.wait()


def test_wait_takes_the_lock_when_the_holder_releases_it(tmp_path):
    first = hold(tmp_path, "2026-10")
    wait_until_locked(first)
    second = hold(tmp_path, "2026-10", wait=True)
    notice = second.stderr.readline()
    assert notice.startswith(f"scorecard: period 2026-10 is already running (pid {first.pid} since ")
    assert notice.rstrip().endswith("; waiting for it")
    first.stdin.close()
    first_released_at = float(first.stdout.readline().split()[1])
    second_locked_at = wait_until_locked(second)
    second.stdin.close()
    assert first.wait(10) == 0 and second.wait(10) == 0
    # Never interleaved: the second run started only after the first one released the lock.
    assert second_locked_at >= first_released_at


def test_sigkill_releases_the_lock(tmp_path):
    holder = hold(tmp_path, "2026-10")
    wait_until_locked(holder)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    with period_lock(tmp_path, "2026-10"):
        assert time.monotonic() - started < 1
    assert holder_of(tmp_path, "2026-10") is None
    assert (tmp_path / "2026-10.lock").exists()  # the file stays; only the lock went
