"""Email delivery against a real SMTP server (aiosmtpd) on localhost."""

from __future__ import annotations

import email
import email.policy
import io
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader, PdfWriter

from scorecard.config import EmailSettings
from scorecard.delivery import DeliveryFailed, deliver
from scorecard.store import MetricStore


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def pdf(tmp_path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "report.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def settings_for(port: int, **extra) -> EmailSettings:
    return EmailSettings(
        enabled=True, host="127.0.0.1", port=port, security="plain",
        sender="scorecard@example.test", recipients=["ceo@example.test", "coo@example.test"], **extra,
    )


def test_delivers_html_body_and_pdf_once_per_recipient(smtp_server, pdf, tmp_path):
    inbox, port = smtp_server
    store = MetricStore(tmp_path / "s.duckdb")
    sent = deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="Scorecard 2026-10",
                   html_body="<p>CSAT <b>86 %</b></p>")
    assert sorted(d.recipient for d in sent) == ["ceo@example.test", "coo@example.test"]
    assert len(inbox.messages) == 2
    recipients, raw = inbox.messages[0]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Scorecard 2026-10"
    assert "<b>86 %</b>" in message.get_body(("html",)).get_content()
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "scorecard-2026-10.pdf"
    assert len(PdfReader(io.BytesIO(attachment.get_content())).pages) == 1

    # The same report again: the ledger says it was sent, nothing goes out.
    again = deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="x", html_body="x")
    assert [d.message_id for d in again] == [None, None]
    assert len(inbox.messages) == 2
    # --resend sends again on purpose.
    deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="x", html_body="x", resend=True)
    assert len(inbox.messages) == 4
    assert len(store.deliveries("2026-10")) == 2


def test_smtp_down_is_one_line_without_secrets(pdf, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_SMTP_PASSWORD", "hunter2-secret")
    store = MetricStore(tmp_path / "s.duckdb")
    settings = settings_for(free_port(), username="robot")  # nothing listens there
    with pytest.raises(DeliveryFailed) as caught:
        deliver(settings, store, period="2026-10", pdf=pdf, subject="x", html_body="x")
    line = caught.value.line()
    assert "scorecard send --period 2026-10" in line and str(pdf) in line
    assert "hunter2" not in line and "\n" not in line
    assert store.deliveries() == []
