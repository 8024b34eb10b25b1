"""Notification fixtures: a real SMTP server, mail settings, a worker, people and posts.

``settings`` here turns email on against the test's own SMTP server and keeps the
in-server worker off, so each test runs the worker by hand (``worker.run_once()``)
under the test clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from commentdesk.desk import Desk, Draft
from commentdesk.model import Action, Moderator, Role
from commentdesk.notify.worker import Worker
from commentdesk.settings import Settings
from tests.conftest import PASSWORD, Clock
from tests.notify.servers import Inbox, smtp_server

PUBLIC_URL = "https://comments.example"
UNLIMITED = "100000/1"
Post = Callable[..., int]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


@pytest.fixture
def settings(database_url: str, smtp: tuple[Inbox, int]) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key",
        rate_commenter=UNLIMITED,
        rate_address=UNLIMITED,
        rate_article=UNLIMITED,
        rate_site=UNLIMITED,
        smtp_host="127.0.0.1",
        smtp_port=smtp[1],
        smtp_starttls=False,
        smtp_from="The News comments <comments@news.example>",
        public_url=PUBLIC_URL,
        notify_in_server=False,
        notify_retry_base_seconds=30,
        notify_max_attempts=3,
    )


@pytest.fixture
def worker(desk: Desk) -> Worker:
    return Worker(desk)


@pytest.fixture
def editor(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("editor", PASSWORD, Role.ADMIN)


@pytest.fixture
def post(desk: Desk, article_key: str) -> Post:
    """Submits a comment as a reader; returns its id."""

    def post(
        body: str = "A thoughtful comment.",
        *,
        author: str = "Mina",
        email: str | None = None,
        parent_id: int | None = None,
        commenter_key: str | None = None,
    ) -> int:
        draft = Draft(
            author=author,
            body=body,
            accept_terms=True,
            email=email,
            parent_id=parent_id,
            commenter_key=commenter_key,
        )
        return desk.comments.submit(article_key, draft).comment.id

    return post


@pytest.fixture
def approve(desk: Desk, editor: Moderator) -> Callable[[int], None]:
    def approve(comment_id: int) -> None:
        desk.moderation.decide(editor, comment_id, Action.APPROVE)

    return approve


def deliver(worker: Worker, clock: Clock, *, after_seconds: float = 31) -> int:
    """Moves past the decision grace period and runs the worker once."""
    clock.advance(seconds=after_seconds)
    return worker.run_once()


def link_in(message: object, path: str) -> str:
    """The first link to ``path`` in a mail's text, made relative to the app."""
    from email.message import EmailMessage

    assert isinstance(message, EmailMessage)
    part = message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    found = re.search(re.escape(PUBLIC_URL) + re.escape(path) + r"\?t=[A-Za-z0-9_.\-]+", text)
    assert found, f"no {path} link in:\n{text}"
    return found.group(0)[len(PUBLIC_URL) :]
