"""Console fixtures: people on two sites, signed-in browsers, comments to moderate.

``mina`` moderates every site, ``chief`` is an admin, ``otto`` moderates only the
site "other". ``browser(name)`` gives a TestClient signed in through the real form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.model import Moderation, Role
from commentdesk.settings import Settings
from commentdesk.web import create_app
from tests.conftest import PASSWORD

SESSION = "cd_session"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
Browser = Callable[[str | None], TestClient]


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client.get("/console/login").text)
    answer = client.post(
        "/console/login",
        data={"csrf": token, "name": name, "password": password},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The app's settings, with submission limits out of the way of moderation tests."""
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key",
        assess_in_server=False,  # post_comment runs the full assessment itself
        rate_commenter="10000/1",
        rate_address="10000/1",
        rate_article="10000/1",
        webhook_allow_internal="127.0.0.1:9",  # the discard port: webhooks that go nowhere
    )


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
def post_comment(desk: Desk, article_key: str) -> Callable[..., int]:
    """Posts a reader's comment (pending on a pre-moderated site) and runs the worker's
    full assessment, as `serve` does right after the 202; returns its id."""

    def post(
        body: str = "A thoughtful comment.",
        key: str = article_key,
        *,
        author: str = "Reader",
        email: str | None = None,
        commenter_key: str | None = None,
    ) -> int:
        draft = Draft(
            author=author, body=body, accept_terms=True, email=email, commenter_key=commenter_key
        )
        comment_id = desk.comments.submit(key, draft).comment.id
        desk.assessor.drain()
        return comment_id

    return post


def token_of(client: TestClient) -> str:
    """The CSRF token for this browser's forms (bound to its cookie)."""
    return csrf_of(client.get("/console/help").text)


def send(
    client: TestClient,
    path: str,
    data: dict[str, str | list[str]] | None = None,
    *,
    headers: dict[str, str] | None = None,
    csrf: str | None = None,
) -> httpx.Response:
    """Posts a console form the way a browser would: with the page's CSRF token."""
    fields: dict[str, str | list[str]] = {"csrf": token_of(client) if csrf is None else csrf}
    fields |= data or {}
    return client.post(path, data=fields, headers=headers, follow_redirects=False)
