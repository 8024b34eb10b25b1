"""Mail: an ``EmailMessage`` built safely, and an SMTP client to send it.

Header injection is impossible by construction: every header value passes through
``one_line`` (CR, LF and every other control or line-separator character become a
space) before the stdlib ``email`` package, which refuses line breaks in headers
anyway. The body is plain text only: nothing we send can run or load anything.
"""

from __future__ import annotations

import smtplib
import ssl
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Protocol

from commentdesk.settings import Settings

SUBJECT_MAX = 200


class MailFailed(Exception):
    """The mail server did not take the message; the worker retries later."""


@dataclass(frozen=True, slots=True)
class Letter:
    to: str
    subject: str
    text: str
    unsubscribe_url: str | None = None


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def one_line(value: str, limit: int = SUBJECT_MAX) -> str:
    """``value`` as a single line: line breaks and control characters become spaces."""
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in value
    )
    return " ".join(cleaned.split())[:limit]


def build(letter: Letter, sender: str, now: datetime) -> EmailMessage:
    """The message for ``letter``, from ``sender``, with one-click unsubscribe headers."""
    # Headers up to RFC 5322's hard limit of 998, not 78: folding a non-ASCII subject
    # across encoded words drops the space at the fold (Python's email package). A
    # subject of SUBJECT_MAX characters fits unless it is nearly all emoji.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    address = one_line(parseaddr(one_line(letter.to, 254))[1], 254)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["From"] = one_line(sender, 300)
    message["To"] = address
    message["Subject"] = one_line(letter.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=one_line(domain, 253))
    message["Auto-Submitted"] = "auto-generated"
    if letter.unsubscribe_url:
        # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to this address.
        message["List-Unsubscribe"] = f"<{one_line(letter.unsubscribe_url, 2000)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(letter.text, charset="utf-8")
    return message


class SmtpMailer:
    """Sends through the configured server: one connection per message, STARTTLS if set."""

    def __init__(self, settings: Settings) -> None:
        assert settings.smtp_host is not None
        self._host = settings.smtp_host
        self._port = settings.smtp_port
        self._starttls = settings.smtp_starttls
        self._user = settings.smtp_user
        self._password = settings.smtp_password
        self._timeout = settings.smtp_timeout_seconds

    def send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as client:
                if self._starttls:
                    client.starttls(context=ssl.create_default_context())
                if self._user:
                    password = self._password.get_secret_value() if self._password else ""
                    client.login(self._user, password)
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailFailed(f"{type(exc).__name__}: {exc}") from exc


def mailer_for(settings: Settings) -> Mailer | None:
    """The configured mailer, or None when email is off (no ``smtp_host``)."""
    return SmtpMailer(settings) if settings.smtp_host else None
