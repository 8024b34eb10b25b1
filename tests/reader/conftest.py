"""Fixtures for the reader's pages: a moderator to publish with, and a page fetcher."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderator, Role
from tests.reader.pages import csrf_token
from tests.support import PASSWORD, Post, submit_comment


@pytest.fixture
def editor(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("editor", PASSWORD, Role.MODERATOR)


@pytest.fixture
def publish(desk: Desk, editor: Moderator, article_key: str) -> Post:
    """``submit_comment`` by Mina on the test's article, approved by a moderator."""
    return functools.partial(
        submit_comment, desk, key=article_key, author="Mina", approve_as=editor
    )


@pytest.fixture
def thread_url(article_key: str) -> str:
    return f"/articles/{article_key}"


@pytest.fixture
def form_for(client: TestClient, thread_url: str) -> Callable[..., dict[str, str]]:
    """Loads the thread (which sets the CSRF cookie) and returns a filled-in form."""

    def form_for(**fields: str) -> dict[str, str]:
        page = client.get(thread_url)
        values = {"author": "Mina", "body": "Plain words.", "accept_terms": "yes"}
        return {"csrf": csrf_token(page.text), **values, **fields}

    return form_for
