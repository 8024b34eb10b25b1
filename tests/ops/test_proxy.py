"""Proxy headers are believed only from the configured proxies, and never logged."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from commentdesk.desk import Desk
from commentdesk.settings import Settings
from commentdesk.web import create_app
from commentdesk.web.middleware.proxy import TrustedProxies

PROXIES = "10.0.0.5, 10.1.0.0/16"


def seen_by_app(peer: str, headers: dict[str, str], trusted: str = PROXIES) -> Scope:
    """The scope the app behind the middleware receives."""
    received: dict[str, Scope] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        received["scope"] = scope

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        pass

    scope: Scope = {
        "type": "http",
        "client": (peer, 5000),
        "scheme": "http",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    # In a thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(
            asyncio.run, TrustedProxies(app, trusted=trusted)(scope, receive, send)
        ).result()
    return received["scope"]


def test_a_trusted_proxy_names_the_client_and_the_scheme() -> None:
    scope = seen_by_app(
        "10.0.0.5", {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert (scope["client"][0], scope["scheme"]) == ("203.0.113.7", "https")


def test_anyone_else_cannot_claim_an_address_or_https() -> None:
    scope = seen_by_app(
        "198.51.100.9", {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert (scope["client"][0], scope["scheme"]) == ("198.51.100.9", "http")


def test_with_no_proxies_configured_nothing_is_believed() -> None:
    scope = seen_by_app("10.0.0.5", {"X-Forwarded-For": "203.0.113.7"}, trusted="")
    assert scope["client"][0] == "10.0.0.5"


def test_the_client_is_the_rightmost_address_that_is_not_our_proxy() -> None:
    # A reader may send their own X-Forwarded-For: only what our proxies appended counts.
    chain = "1.2.3.4, 203.0.113.7, 10.1.2.3"
    scope = seen_by_app("10.0.0.5", {"X-Forwarded-For": chain})
    assert scope["client"][0] == "203.0.113.7"


def test_garbage_in_the_chain_stops_the_walk() -> None:
    scope = seen_by_app("10.0.0.5", {"X-Forwarded-For": "203.0.113.7, nonsense"})
    assert scope["client"][0] == "10.0.0.5"


def test_an_unknown_scheme_is_ignored() -> None:
    scope = seen_by_app("10.0.0.5", {"X-Forwarded-Proto": "gopher"})
    assert scope["scheme"] == "http"


def test_the_forwarded_address_never_reaches_the_log(
    settings: Settings, desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    trusted = settings.model_copy(update={"trusted_proxies": "10.0.0.5"})
    caplog.set_level(logging.DEBUG)
    app = create_app(trusted, desk=desk)
    with TestClient(app, client=("10.0.0.5", 4000)) as client:
        client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.7"})
        client.get("/nowhere", headers={"X-Forwarded-For": "203.0.113.7"})
    assert caplog.records
    assert not any("203.0.113.7" in r.getMessage() for r in caplog.records)
    assert not any("10.0.0.5" in r.getMessage() for r in caplog.records)
