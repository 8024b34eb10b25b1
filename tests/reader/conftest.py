"""Fixtures for the reader's pages: a moderator to publish with, and a page fetcher."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.model import Action, Comment, Moderator, Role
from tests.reader.pages import csrf_token
from tests.support import PASSWORD

Publish = Callable[..., Comment]


@pytest.fixture
def editor(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("editor", PASSWORD, Role.MODERATOR)


@pytest.fixture
def publish(desk: Desk, editor: Moderator, article_key: str) -> Publish:
    """Submits a comment as a reader and approves it as a moderator."""

    def publish(
        body: str = "A thoughtful comment.", *, author: str = "Mina", parent_id: int | None = None
    ) -> Comment:
        draft = Draft(author=author, body=body, accept_terms=True, parent_id=parent_id)
        submitted = desk.comments.submit(article_key, draft)
        return desk.moderation.decide(editor, submitted.comment.id, Action.APPROVE)

    return publish


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
