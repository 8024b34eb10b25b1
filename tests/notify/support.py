"""Notification helpers: the public address mail links to, a test's own DNS table, a
webhook added through the console, a worker run past the grace period, a link in a mail."""

from __future__ import annotations

import re
from email.message import EmailMessage

from fastapi.testclient import TestClient

from commentdesk.egress import IPAddress
from commentdesk.notify.worker import Worker
from tests.console.support import send
from tests.support import Clock

PUBLIC_URL = "https://comments.example"


class Names(dict[str, list[IPAddress]]):
    """A DNS table the test writes and may change between saving and sending."""

    def __call__(self, host: str, port: int) -> list[IPAddress]:
        return self.get(host, [])


def add_hook(chief: TestClient, url: str, events: list[str], risk: str = "0") -> None:
    answer = send(
        chief,
        "/console/webhooks",
        {"site_id": "1", "url": url, "events": events, "risk_threshold": risk},
    )
    assert answer.status_code == 303, answer.text


def deliver(worker: Worker, clock: Clock, *, after_seconds: float = 31) -> int:
    """Moves past the decision grace period and runs the worker once."""
    clock.advance(seconds=after_seconds)
    return worker.run_once()


def link_in(message: object, path: str) -> str:
    """The first link to ``path`` in a mail's text, made relative to the app."""
    assert isinstance(message, EmailMessage)
    part = message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    found = re.search(re.escape(PUBLIC_URL) + re.escape(path) + r"\?t=[A-Za-z0-9_.\-]+", text)
    assert found, f"no {path} link in:\n{text}"
    return found.group(0)[len(PUBLIC_URL) :]
