"""Notification fixtures: a real SMTP server and HTTP receiver, mail settings, a worker,
people and posts.

``settings`` here turns email on against the test's own SMTP server and keeps the
in-server worker off, so each test runs the worker by hand (``worker.run_once()``)
under the test clock. Webhook receivers listen on loopback, which webhooks may reach
only when ``allow_internal`` names them; host names resolve through ``names``, the
test's own small DNS table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Moderator, Role
from commentdesk.notify.worker import Worker
from commentdesk.settings import Settings
from commentdesk.web import create_app
from tests.console.support import sign_in
from tests.notify.servers import Inbox, Receiver, http_receiver, smtp_server
from tests.notify.support import PUBLIC_URL, Names
from tests.support import (
    FAST_HASHER,
    PASSWORD,
    Clock,
    MakeSettings,
    Post,
    submit_comment,
)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


@pytest.fixture
def names() -> Names:
    return Names()


@pytest.fixture
def allow_internal() -> str:
    """``webhook_allow_internal``: nothing internal, unless a test module says otherwise."""
    return ""


@pytest.fixture
def settings(make_settings: MakeSettings, smtp: tuple[Inbox, int], allow_internal: str) -> Settings:
    return make_settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp[1],
        smtp_starttls=False,
        smtp_from="The News comments <comments@news.example>",
        public_url=PUBLIC_URL,
        notify_in_server=False,
        notify_retry_base_seconds=30,
        notify_max_attempts=3,
        webhook_allow_internal=allow_internal,
    )


@pytest.fixture
def desk(settings: Settings, clock: Clock, names: Names) -> Iterator[Desk]:
    desk = Desk.open(settings, clock=clock, hasher=FAST_HASHER, resolve=names)
    yield desk
    desk.close()


@pytest.fixture
def worker(desk: Desk) -> Worker:
    return Worker(desk)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as found:
        yield found


@pytest.fixture
def chief(settings: Settings, desk: Desk, site_slug: str) -> Iterator[TestClient]:
    """An admin signed in to the console."""
    desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    with TestClient(create_app(settings, desk=desk)) as client:
        yield sign_in(client, "chief")


@pytest.fixture
def editor(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("editor", PASSWORD, Role.ADMIN)


@pytest.fixture
def post(desk: Desk, article_key: str) -> Post:
    """``submit_comment`` by Mina on the test's article, then the worker's full assessment
    (which writes the comment's mail and webhooks), as `serve` does after the 202."""
    return functools.partial(submit_comment, desk, key=article_key, author="Mina", assess=True)


@pytest.fixture
def approve(desk: Desk, editor: Moderator) -> Callable[[int], None]:
    def approve(comment_id: int) -> None:
        desk.moderation.decide(editor, comment_id, Action.APPROVE)

    return approve
