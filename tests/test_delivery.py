"""Email delivery against a real SMTP server (aiosmtpd) on localhost: plain, STARTTLS and SSL."""

from __future__ import annotations

import email
import email.policy
import io
import ipaddress
import logging
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult
from pg_cluster import free_port
from pypdf import PdfReader, PdfWriter
from workspace import Inbox, running_smtp_server, start_smtp_server

from scorecard.config import EmailSettings, load_settings
from scorecard.delivery import DeliveryFailed, RecipientsRefused, deliver, report_checksum
from scorecard.errors import ConfigError
from scorecard.store import MetricStore

SMTP_PASSWORD = "hunter2-Smtp-secret"


class Logins:
    """An aiosmtpd authenticator accepting user 'robot' with SMTP_PASSWORD, recording each try."""

    def __init__(self) -> None:
        self.tries: list[tuple[str, str]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.tries.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=self.tries[-1] == ("robot", SMTP_PASSWORD))


@pytest.fixture
def smtp_server():
    """A fresh SMTP server for one test: (its Inbox, its port). The module-wide one is conftest's."""
    with running_smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "scorecard test SMTP")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return folder / "cert.pem", folder / "key.pem"


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def pdf(tmp_path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "report.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def settings_for(port: int, **extra) -> EmailSettings:
    values = {
        "enabled": True, "host": "127.0.0.1", "port": port, "security": "plain",
        "sender": "scorecard@example.test", "recipients": ["ceo@example.test", "coo@example.test"],
    }
    return EmailSettings(**(values | extra))


def test_delivers_html_body_and_pdf_once_per_recipient(smtp_server, pdf, store):
    inbox, port = smtp_server
    sent = deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="Scorecard 2026-10",
                   html_body="<p>CSAT <b>86 %</b></p>")
    assert sorted(d.recipient for d in sent) == ["ceo@example.test", "coo@example.test"]
    assert inbox.recipients() == ["ceo@example.test", "coo@example.test"]
    message = email.message_from_bytes(inbox.messages[0][1], policy=email.policy.default)
    assert message["Subject"] == "Scorecard 2026-10"
    assert message["Message-ID"] == sent[0].message_id
    assert "<b>86 %</b>" in message.get_body(("html",)).get_content()
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "scorecard-2026-10.pdf"
    assert len(PdfReader(io.BytesIO(attachment.get_content())).pages) == 1
    ledger = store.deliveries("2026-10")
    assert [(r.recipient, r.report_checksum, r.status) for r in ledger] == [
        ("ceo@example.test", report_checksum(pdf), "sent"), ("coo@example.test", report_checksum(pdf), "sent"),
    ]

    # The same report again: the ledger says it was sent, nothing goes out.
    again = deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="x", html_body="x")
    assert [(d.message_id, d.earlier) for d in again] == [(None, "sent"), (None, "sent")]
    assert len(inbox.messages) == 2
    # --resend sends again on purpose.
    deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="x", html_body="x", resend=True)
    assert len(inbox.messages) == 4
    assert len(store.deliveries("2026-10")) == 2


def test_an_unconfirmed_send_is_not_repeated_unless_resent(smtp_server, pdf, store):
    inbox, port = smtp_server
    # What a process killed while SMTP had the message leaves behind.
    store.claim_delivery("2026-10", "coo@example.test", report_checksum(pdf), "<lost@example.test>")
    sent = deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="x", html_body="x")
    assert [(d.recipient, d.earlier) for d in sent if d.message_id is None] == [("coo@example.test", "unconfirmed")]
    assert inbox.recipients() == ["ceo@example.test"]
    deliver(settings_for(port), store, period="2026-10", pdf=pdf, subject="x", html_body="x", resend=True)
    assert inbox.recipients() == ["ceo@example.test", "ceo@example.test", "coo@example.test"]
    assert {r.status for r in store.deliveries("2026-10")} == {"sent"}


def test_a_refused_recipient_is_named_and_the_others_served(pdf, tmp_path):
    inbox = Inbox(refuse=("coo@example.test",))
    controller = start_smtp_server(inbox)
    store = MetricStore(tmp_path / "s.duckdb")
    try:
        settings = settings_for(controller.port, recipients=["ceo@example.test", "coo@example.test", "cfo@example.test"])
        with pytest.raises(RecipientsRefused) as caught:
            deliver(settings, store, period="2026-10", pdf=pdf, subject="x", html_body="x")
        assert inbox.recipients() == ["ceo@example.test", "cfo@example.test"]
        # The refused address is not in the ledger: once fixed on the server, a new send reaches it.
        assert [r.recipient for r in store.deliveries("2026-10")] == ["ceo@example.test", "cfo@example.test"]
        inbox.refuse = ()
        deliver(settings, store, period="2026-10", pdf=pdf, subject="x", html_body="x")
        assert inbox.recipients() == ["ceo@example.test", "cfo@example.test", "coo@example.test"]
    finally:
        controller.stop()
    assert caught.value.line() == (
        "the mail server refused coo@example.test (550); the other recipients got the report — "
        "fix the address in [email] and run `scorecard send --period 2026-10`"
    )


def test_starttls_with_a_self_signed_certificate_and_a_password(certificate, pdf, tmp_path, monkeypatch, caplog):
    inbox, logins = Inbox(), Logins()
    controller = start_smtp_server(
        inbox, tls_context=server_tls(certificate), require_starttls=True, authenticator=logins, auth_require_tls=True
    )
    monkeypatch.setenv("SCORECARD_SMTP_PASSWORD", SMTP_PASSWORD)
    caplog.set_level(logging.DEBUG)
    store = MetricStore(tmp_path / "s.duckdb")
    try:
        untrusted = settings_for(controller.port, security="starttls", username="robot")
        with pytest.raises(DeliveryFailed) as caught:
            deliver(untrusted, store, period="2026-10", pdf=pdf, subject="x", html_body="x")
        assert inbox.messages == [] and logins.tries == [] and store.deliveries() == []

        # ca_file, relative to the configuration file like every path in it.
        (tmp_path / "smtp-ca.pem").write_bytes(certificate[0].read_bytes())
        (tmp_path / "scorecard.toml").write_text(
            f'[email]\nca_file = "smtp-ca.pem"\nport = {controller.port}\n', encoding="utf-8"
        )
        ca_file = load_settings(tmp_path / "scorecard.toml").email.ca_file
        assert ca_file == tmp_path / "smtp-ca.pem"
        trusted = untrusted.model_copy(update={"ca_file": ca_file})
        deliver(trusted, store, period="2026-10", pdf=pdf, subject="x", html_body="x")
    finally:
        controller.stop()
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.line() and "\n" not in caught.value.line()
    assert logins.tries == [("robot", SMTP_PASSWORD)]
    assert inbox.recipients() == ["ceo@example.test", "coo@example.test"] and inbox.over_tls == [True, True]
    assert SMTP_PASSWORD not in caplog.text


def test_ssl_from_the_first_byte(certificate, pdf, tmp_path, monkeypatch):
    inbox, logins = Inbox(), Logins()
    controller = start_smtp_server(inbox, ssl_context=server_tls(certificate), authenticator=logins, auth_require_tls=False)
    monkeypatch.setenv("SCORECARD_SMTP_PASSWORD", SMTP_PASSWORD)
    settings = settings_for(controller.port, security="ssl", username="robot", ca_file=certificate[0])
    try:
        deliver(settings, MetricStore(tmp_path / "s.duckdb"), period="2026-10", pdf=pdf, subject="x", html_body="x")
    finally:
        controller.stop()
    assert logins.tries == [("robot", SMTP_PASSWORD)]
    assert inbox.recipients() == ["ceo@example.test", "coo@example.test"]


def test_smtp_down_is_one_line_without_secrets(pdf, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_SMTP_PASSWORD", SMTP_PASSWORD)
    store = MetricStore(tmp_path / "s.duckdb")
    settings = settings_for(free_port(), username="robot")  # nothing listens there
    with pytest.raises(DeliveryFailed) as caught:
        deliver(settings, store, period="2026-10", pdf=pdf, subject="x", html_body="x")
    line = caught.value.line()
    assert line.startswith(f"email to 127.0.0.1:{settings.port} failed (ConnectionRefusedError")
    assert "scorecard send --period 2026-10" in line and str(pdf) in line
    assert SMTP_PASSWORD not in line and "\n" not in line
    assert store.deliveries() == []


def test_a_username_without_a_password_stops_before_connecting(pdf, tmp_path):
    settings = settings_for(free_port(), username="robot", password_env="SCORECARD_TEST_NO_SUCH_PASSWORD")
    with pytest.raises(ConfigError, match=r"email.username is set but \$SCORECARD_TEST_NO_SUCH_PASSWORD is empty"):
        deliver(settings, MetricStore(tmp_path / "s.duckdb"), period="2026-10", pdf=pdf, subject="x", html_body="x")


def test_recipients_by_language_get_the_report_of_their_language(smtp_server, pdf, tmp_path):
    inbox, port = smtp_server
    config = tmp_path / "scorecard.toml"
    config.write_text(
        f"""
[reporting]
language = "ru"
[email]
enabled = true
host = "127.0.0.1"
port = {port}
recipients = ["ceo@example.test"]
[email.recipients_by_language]
ru = ["cfo@example.test"]
""",
        encoding="utf-8",
    )
    settings = load_settings(config)
    deliver(settings.email, MetricStore(tmp_path / "s.duckdb"), period="2026-10", pdf=pdf, subject="x", html_body="x")
    assert inbox.recipients() == ["ceo@example.test", "cfo@example.test"]

    # The flow renders one language: a list for another one is refused when the configuration loads.
    config.write_text(config.read_text().replace('ru = ["cfo', 'en = ["cfo'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert caught.value.line() == (
        f"{config}: email: recipients_by_language.en: the report is rendered in 'ru' ([reporting] language) "
        "only; list these recipients under [email] recipients or set [reporting] language = 'en' "
        "— fix it in the file or in $SCORECARD_EMAIL"
    )
