"""Console fixtures: people on two sites, signed-in browsers, comments to moderate.

``mina`` moderates every site, ``chief`` is an admin, ``otto`` moderates only the
site "other". ``browser(name)`` gives a TestClient signed in through the real form.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderation, Role
from commentdesk.settings import Settings
from commentdesk.web import create_app
from tests.console.support import Browser, sign_in
from tests.support import PASSWORD, MakeSettings, Post, submit_comment


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    """The suite's settings; webhooks may reach the discard port, so they go nowhere."""
    return make_settings(webhook_allow_internal="127.0.0.1:9")


@pytest.fixture
def people(desk: Desk, site_slug: str) -> dict[str, int]:
    """Accounts by name → id; ``otto`` is scoped to the site "other"."""
    other = desk.catalog.ensure_site("other", name="Other Paper", moderation=Moderation.PRE)
    desk.catalog.add_article("other", "o1", url="https://other.example/o1", title="Other story")
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    desk.accounts.add_moderator("mina", PASSWORD, Role.MODERATOR)
    desk.accounts.add_moderator("nora", PASSWORD, Role.MODERATOR)
    desk.staff.add(chief, "otto", PASSWORD, Role.MODERATOR, (other.id,))
    return {p.moderator.name: p.moderator.id for p in desk.staff.people()}


@pytest.fixture
def browser(settings: Settings, desk: Desk, people: dict[str, int]) -> Iterator[Browser]:
    """Makes TestClients with their own cookies; a name signs that person in."""
    app = create_app(settings, desk=desk)
    clients: list[TestClient] = []

    def make(name: str | None = None) -> TestClient:
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return sign_in(client, name) if name else client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def post_comment(desk: Desk, article_key: str) -> Post:
    """``submit_comment`` on the test's article (pending: the site is pre-moderated), then
    the worker's full assessment, as `serve` does right after the 202."""
    return functools.partial(submit_comment, desk, key=article_key, assess=True)
