"""What the end-to-end tests stand up: a scorecard workspace and the SMTP server it mails to.

``write_workspace`` puts generated demo exports (CSV) and a ``scorecard.toml`` reading them into a
folder; ``Inbox`` with ``start_smtp_server`` or ``running_smtp_server`` runs a real SMTP server
(aiosmtpd) on localhost: conftest.py's module_smtp_server, test_delivery.py's smtp_server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from pg_cluster import free_port

from transforms.periods import Period

TIMEZONE = "Europe/Moscow"

# What every workspace's scorecard.toml says: where the exports, the store and the reports are.
BASE_CONFIG = f"""
[reporting]
timezone = "{TIMEZONE}"
language = "en"
[sources]
path = "data"
[store]
path = "var/scorecard.duckdb"
[output]
dir = "out"
"""

# With an SMTP port: email the report, in plain text, to one recipient, without retrying.
EMAIL_CONFIG = """[email]
enabled = true
host = "127.0.0.1"
port = {port}
security = "plain"
sender = "scorecard@example.test"
recipients = ["ceo@example.test"]
retries = 0
"""


def write_workspace(
    root: Path,
    *,
    end: Period,
    months: int,
    seed: int,
    tickets_per_month: int,
    company: str | None = None,
    smtp_port: int | None = None,
    extra_config: str = "",
) -> Path:
    """Demo exports of ``months`` months up to ``end`` in root/data and root/scorecard.toml.

    The configuration is BASE_CONFIG, with ``[company] name`` before it when ``company`` is given,
    EMAIL_CONFIG after it when ``smtp_port`` is, and ``extra_config`` (TOML) at the end.
    """
    from scorecard.demo_data import generate_demo, write_demo

    frames = generate_demo(end=end, months=months, seed=seed, tickets_per_month=tickets_per_month, tz=TIMEZONE)
    write_demo(frames, root / "data", fmt="csv")
    config = BASE_CONFIG
    if company is not None:
        config = f'\n[company]\nname = "{company}"' + config
    if smtp_port is not None:
        config += EMAIL_CONFIG.format(port=smtp_port)
    (root / "scorecard.toml").write_text(config + extra_config, encoding="utf-8")
    return root


class Inbox:
    """An aiosmtpd handler keeping every message it receives; it refuses addresses in ``refuse``."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], bytes]] = []
        self.over_tls: list[bool] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls these by name
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        self.over_tls.append(session.ssl is not None)
        return "250 OK"

    def recipients(self) -> list[str]:
        return [address for rcpt_tos, _ in self.messages for address in rcpt_tos]


def start_smtp_server(handler, **options) -> Controller:
    """A running SMTP server on 127.0.0.1 and a free port handing mail to ``handler``; stop() it."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


@contextmanager
def running_smtp_server() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server keeping all it receives, for the ``with`` block: (its Inbox, its port)."""
    inbox = Inbox()
    controller = start_smtp_server(inbox)
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
