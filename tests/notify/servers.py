"""Real servers for notification tests: an SMTP server (aiosmtpd) and an HTTP receiver.

Both listen on a free loopback port in a thread of the test process and record what
they receive; each can be told to refuse, to exercise retries.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.livesrv import free_port


@dataclass
class Inbox:
    """What the SMTP server accepted; ``refuse`` makes it answer 451 (try later)."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    refuse: bool = False
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return "451 4.3.0 try again later"
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def of_kind(self, subject_part: str) -> list[EmailMessage]:
        return [m for m in self.messages if subject_part in str(m["Subject"])]


@contextmanager
def smtp_server(
    *, user: str | None = None, password: str | None = None
) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    options: dict[str, Any] = {}
    if user is not None:

        def authenticate(
            server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
        ) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
                user.encode(),
                (password or "").encode(),
            )
            if ok:
                inbox.logins.append(user)
            return AuthResult(success=ok)

        options = {"authenticator": authenticate, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the HTTP endpoint received; ``statuses`` are answered in turn, then 200, each
    with ``reason``, ``reply_headers`` and ``reply_body`` (to play an internal service)."""

    url: str
    port: int
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    reason: str | None = None
    reply_headers: dict[str, str] = field(default_factory=dict)
    reply_body: bytes = b""


@contextmanager
def http_receiver() -> Iterator[Receiver]:
    port = free_port()
    receiver = Receiver(url=f"http://127.0.0.1:{port}/hook", port=port)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status, receiver.reason)
            for name, value in receiver.reply_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(receiver.reply_body)))
            self.end_headers()
            self.wfile.write(receiver.reply_body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
