"""Console helpers: signing in through the real form, and posting its forms with CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx2
from fastapi.testclient import TestClient

from tests.support import PASSWORD

SESSION = "cd_session"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
#: The ``browser`` fixture: ``browser(name)`` gives a TestClient signed in as ``name``.
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
) -> httpx2.Response:
    """Posts a console form the way a browser would: with the page's CSRF token."""
    fields: dict[str, str | list[str]] = {"csrf": token_of(client) if csrf is None else csrf}
    fields |= data or {}
    return client.post(path, data=fields, headers=headers, follow_redirects=False)
