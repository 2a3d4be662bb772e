"""Email delivery of a period's PDF, once per (period, recipient, report checksum).

The ledger (the store's ``deliveries`` table) is two-phase: a row with status
``unconfirmed`` is written just before a message goes to SMTP, and becomes
``sent`` once the server has accepted it. A process killed in between leaves
``unconfirmed``: the server may or may not have taken the message, and SMTP
cannot be asked afterwards. Such a recipient is treated as served (no
duplicate) unless the send is forced with ``resend``; ``scorecard status``
shows it as unconfirmed. A message the server refuses is removed from the
ledger, so a later send tries again.

The SMTP password is read from the environment variable the configuration
names (``email.password_env``) or from a Prefect Secret block
(``email.password_block``); it is never logged, stored or put in a message.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from scorecard.config import EmailSettings
from scorecard.errors import ConfigError, ScorecardError
from scorecard.sources.secrets import optional_env, read_secret, scrub
from scorecard.store import MetricStore

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 30


class DeliveryFailed(ScorecardError):
    """SMTP did not accept the message; the PDF is kept for `scorecard send`."""

    exit_code = 4


class RecipientsRefused(DeliveryFailed):
    """The server refused some addresses (5xx); retrying will not help until they are fixed."""


@dataclass(frozen=True)
class Delivery:
    recipient: str
    message_id: str | None  # None: not sent now, see `earlier`
    earlier: str | None = None  # the ledger's status when skipped: 'sent' or 'unconfirmed'


def report_checksum(pdf: Path) -> str:
    return hashlib.sha256(pdf.read_bytes()).hexdigest()


def recipients(settings: EmailSettings) -> list[str]:
    """Everyone who gets the report: ``recipients`` and the per-language lists.

    The configuration admits only the report's own language in
    ``recipients_by_language`` (the flow renders one language), so all of them get
    the same PDF.
    """
    return [*settings.recipients, *(r for group in settings.recipients_by_language.values() for r in group)]


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
    report_version: str | None = None,
) -> list[Delivery]:
    """Send the PDF to every configured recipient not yet served with this very report.

    ``report_version`` identifies the report in the ledger (default: the PDF's
    sha256). The pipeline passes a digest of the period's stored numbers, so a
    re-run that renders the same numbers into a new PDF emails nobody twice.
    """
    checksum = report_version or report_checksum(pdf)
    earlier = {r: store.delivery_status(period, r, checksum) for r in recipients(settings)}
    done = [Delivery(r, None, status) for r, status in earlier.items() if status and not resend]
    pending = [r for r, status in earlier.items() if resend or not status]
    if not pending:
        return done
    password = smtp_password(settings)
    refused: list[str] = []
    unconfirmed: str | None = None  # claimed in the ledger; the server's answer not yet recorded
    try:
        with _smtp(settings, password) as smtp:
            for recipient in pending:
                message = build_message(
                    settings, subject=subject, html_body=html_body, pdf=pdf, recipient=recipient,
                    attachment_name=f"scorecard-{period}.pdf",
                )
                message_id = message["Message-ID"]
                if not store.claim_delivery(period, recipient, checksum, message_id, replace=resend):
                    done.append(Delivery(recipient, None, store.delivery_status(period, recipient, checksum)))
                    continue
                unconfirmed = recipient
                try:
                    smtp.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                    store.release_delivery(period, recipient, checksum, message_id)
                    refused.append(f"{recipient} ({_smtp_code(exc)})")
                else:
                    store.record_delivery(period, recipient, checksum, message_id)
                    log.info("emailed the %s report to %s", period, recipient)
                    done.append(Delivery(recipient, message_id))
                unconfirmed = None
    except (OSError, smtplib.SMTPException) as exc:
        reason = scrub(f"{type(exc).__name__}: {exc}", [password])[:200]
        unsure = f"; {unconfirmed} is marked unconfirmed (the server may have it)" if unconfirmed else ""
        raise DeliveryFailed(
            f"email to {settings.host}:{settings.port} failed ({reason}){unsure}; "
            f"the PDF is kept at {pdf} — {_remedy(exc, settings)}, then run `scorecard send --period {period}`"
        ) from None
    if refused:
        raise RecipientsRefused(
            f"the mail server refused {', '.join(refused)}; the other recipients got the report — "
            f"fix the address in [email] and run `scorecard send --period {period}`"
        )
    return done


def smtp_password(settings: EmailSettings) -> str | None:
    """The secret, from the Prefect Secret block or the named environment variable."""
    if settings.password_block:
        return read_secret(None, settings.password_block, "SMTP password")
    password = optional_env(settings.password_env)
    if settings.username and password is None:
        raise ConfigError(
            f"email.username is set but ${settings.password_env} is empty — export the SMTP password "
            "there or name a Prefect Secret block in [email] password_block"
        )
    return password


@contextmanager
def _smtp(settings: EmailSettings, password: str | None) -> Iterator[smtplib.SMTP]:
    """A logged-in SMTP session over the configured security."""
    if settings.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS, context=_tls_context(settings)
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=_tls_context(settings))
        if settings.username and password:
            smtp.login(settings.username, password)
        yield smtp


def _tls_context(settings: EmailSettings) -> ssl.SSLContext:
    """The system's trusted CAs, plus ``email.ca_file`` when set."""
    context = ssl.create_default_context()
    if settings.ca_file is not None:
        if not settings.ca_file.is_file():
            raise ConfigError(f"email.ca_file: {settings.ca_file} is not a file — give the PEM file of the CA")
        context.load_verify_locations(cafile=settings.ca_file)
    return context


def _remedy(exc: Exception, settings: EmailSettings) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "trust the server's certificate with [email] ca_file"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        where = f"Prefect Secret block {settings.password_block!r}" if settings.password_block else f"${settings.password_env}"
        return f"check [email] username and the password in {where}"
    return "wait until the mail server is reachable"


def _smtp_code(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, _ = next(iter(exc.recipients.values()))
        return str(code)
    return str(getattr(exc, "smtp_code", "refused"))
