"""Reader-rights fixtures: the notification fixtures (mail on, a real SMTP server), and
a reader's browser that has posted through the plain form, so it holds its cookies."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from tests.notify.conftest import (  # noqa: F401 - fixtures shared with the notify tests
    allow_internal,
    approve,
    editor,
    inbox,
    post,
    settings,
    smtp,
    worker,
)
from tests.reader.pages import csrf_token
from tests.support import Post


@pytest.fixture
def write(client: TestClient, desk: Desk, article_key: str) -> Post:
    """Posts a comment through the reader's form in ``client`` and runs the worker's
    assessment, as `serve` does after the answer; returns its id."""

    def write(body: str, *, author: str = "Mina", email: str = "") -> int:
        page = client.get(f"/articles/{article_key}")
        fields = {
            "csrf": csrf_token(page.text),
            "author": author,
            "body": body,
            "email": email,
            "accept_terms": "yes",
        }
        answer = client.post(
            f"/articles/{article_key}/comments", data=fields, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        desk.assessor.drain()
        return int(answer.headers["location"].rsplit("-", 1)[1])

    return write
