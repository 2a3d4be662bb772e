"""Email delivery of a period's PDF, exactly once per (period, recipient, report).

The SMTP password is read from the environment variable the configuration
names (``email.password_env``) or from a Prefect Secret block
(``email.password_block``); it is never logged, stored or put in a message.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from scorecard.config import EmailSettings
from scorecard.errors import ScorecardError
from scorecard.store import MetricStore


class DeliveryFailed(ScorecardError):
    """SMTP did not accept the message; the PDF is kept for `scorecard send`."""

    exit_code = 4


@dataclass(frozen=True)
class Delivery:
    recipient: str
    message_id: str | None  # None: already delivered earlier, skipped


def report_checksum(pdf: Path) -> str:
    return hashlib.sha256(pdf.read_bytes()).hexdigest()


def build_message(
    settings: EmailSettings, *, subject: str, html_body: str, pdf: Path, recipient: str, attachment_name: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    message.set_content("This message has an HTML body and the report attached as a PDF.")
    message.add_alternative(html_body, subtype="html")
    message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename=attachment_name)
    return message


def deliver(
    settings: EmailSettings,
    store: MetricStore,
    *,
    period: str,
    pdf: Path,
    subject: str,
    html_body: str,
    resend: bool = False,
) -> list[Delivery]:
    """Send the PDF to every configured recipient not yet served with this very report."""
    checksum = report_checksum(pdf)
    pending = [r for r in settings.recipients if resend or not store.was_delivered(period, r, checksum)]
    done = [Delivery(r, None) for r in settings.recipients if r not in pending]
    if not pending:
        return done
    try:
        with _connect(settings) as smtp:
            for recipient in pending:
                message = build_message(
                    settings, subject=subject, html_body=html_body, pdf=pdf, recipient=recipient,
                    attachment_name=f"scorecard-{period}.pdf",
                )
                smtp.send_message(message)
                store.record_delivery(period, recipient, checksum, message["Message-ID"])
                done.append(Delivery(recipient, message["Message-ID"]))
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(
            f"email to {settings.host}:{settings.port} failed ({type(exc).__name__}); "
            f"the PDF is kept at {pdf} — run `scorecard send --period {period}` when the server is back"
        ) from None
    return done


def _connect(settings: EmailSettings) -> smtplib.SMTP:
    timeout = 30
    if settings.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        if settings.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    password = smtp_password(settings)
    if settings.username and password:
        smtp.login(settings.username, password)
    return smtp


def smtp_password(settings: EmailSettings) -> str | None:
    """The secret, from the named environment variable or Prefect Secret block."""
    if settings.password_block:
        from prefect.blocks.system import Secret

        return Secret.load(settings.password_block).get()
    return os.environ.get(settings.password_env) or None
