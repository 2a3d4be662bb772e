"""SIGKILL in the middle of storing and of emailing, on both store backends.

A real child process (tests/store_worker.py) is killed at a known point; the
store must then hold exactly what it held before, and a clean re-run must give
what a run without the crash gives: the same rows, and no second email to a
recipient the killed process had already served.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import psycopg
from aiosmtpd.controller import Controller
from pg_cluster import free_port
from polars.testing import assert_frame_equal
from pypdf import PdfWriter
from store_backends import start_worker, synthetic_rows, wait_for_line

from scorecard.config import EmailSettings
from scorecard.delivery import deliver, report_checksum

OLD_ROWS = 200_000
NEW_ROWS = 400_000  # a replacement that takes seconds: the kill lands inside its transaction


def kill(worker) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    assert worker.wait(timeout=30) == -signal.SIGKILL


def wait_until_copying(url: str, timeout: float = 60) -> None:
    """Until a scorecard session is inside its COPY into metric_values."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            found = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'scorecard' "
                "AND state = 'active' AND query LIKE 'COPY metric_values%'"
            ).fetchone()[0]
            if found:
                return
            time.sleep(0.05)
    raise AssertionError("the worker never started its COPY")


def test_a_writer_killed_mid_replacement_leaves_the_old_period(store, store_settings, another_store):
    old = synthetic_rows(OLD_ROWS, 1.0)
    store.replace_period("2026-09", synthetic_rows(10, 7.0), "september")
    store.replace_period("2026-10", old, "old")
    before = {period: store.period_values(period) for period in ("2026-09", "2026-10")}

    worker = start_worker("replace", store_settings.path, "2026-10", NEW_ROWS, 2.0, "new")
    wait_for_line(worker, "writing")
    if store.location.startswith("postgresql://"):
        wait_until_copying(os.environ["SCORECARD_STORE_URL"])
        time.sleep(0.3)
    else:
        time.sleep(1.0)  # the DELETE and the INSERT of NEW_ROWS take several seconds
    assert worker.poll() is None, "the worker finished before it could be killed"
    kill(worker)
    assert worker.stdout.read() == ""  # it never reported "done"

    for period, rows in before.items():
        assert_frame_equal(store.period_values(period), rows)

    # The clean re-run gives exactly what a run without the crash gives.
    new = synthetic_rows(NEW_ROWS, 2.0)
    assert store.replace_period("2026-10", new, "new") == NEW_ROWS
    another_store.replace_period("2026-10", new, "new")
    assert_frame_equal(store.period_values("2026-10"), another_store.period_values("2026-10"))
    assert_frame_equal(store.period_values("2026-09"), before["2026-09"])


class StallingInbox:
    """Accepts the first message; takes the second, then stalls before answering 250."""

    def __init__(self) -> None:
        self.messages: list[list[str]] = []
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by name
        self.messages.append(list(envelope.rcpt_tos))
        while len(self.messages) == 2 and not self.release.is_set():
            await asyncio.sleep(0.05)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"only {len(self.messages)} messages arrived"
            time.sleep(0.05)


def test_a_sender_killed_mid_delivery_is_resumed_without_duplicates(store, store_settings, tmp_path):
    pdf = tmp_path / "report.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with pdf.open("wb") as handle:
        writer.write(handle)
    inbox = StallingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    recipients = ["ceo@example.test", "coo@example.test", "cfo@example.test"]
    settings = EmailSettings(
        enabled=True, host="127.0.0.1", port=controller.port, sender="scorecard@example.test", recipients=recipients
    )
    try:
        worker = start_worker("deliver", store_settings.path, settings.model_dump_json(), pdf, "2026-10")
        wait_for_line(worker, "delivering")
        inbox.wait_for(2)  # the server has the second message and has not answered yet
        kill(worker)
        inbox.release.set()
        checksum = report_checksum(pdf)
        assert [store.delivery_status("2026-10", r, checksum) for r in recipients] == ["sent", "unconfirmed", None]

        again = deliver(settings, store, period="2026-10", pdf=pdf, subject="Scorecard", html_body="<p>KPIs</p>")
    finally:
        controller.stop()
    assert [(d.recipient, d.earlier, d.message_id is not None) for d in again] == [
        ("ceo@example.test", "sent", False),
        ("coo@example.test", "unconfirmed", False),
        ("cfo@example.test", None, True),
    ]
    assert inbox.messages == [[r] for r in recipients]  # everyone exactly once
    assert [(d.recipient, d.status) for d in store.deliveries("2026-10") if d.status == "unconfirmed"] == [
        ("coo@example.test", "unconfirmed")
    ]
