"""``X-Forwarded-For`` and ``Host`` from peers we do not trust change nothing.

Not the rate limits (a client cannot buy a fresh per-address bucket with a header), not
the links we write (feeds, mail) and not where we redirect. The trusted-proxy case is
run beside each as a control, to show the test would see a difference.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.settings import Settings
from commentdesk.web import create_app

PROXY = "10.0.0.5"
FORWARDED = ("203.0.113.1", "203.0.113.2", "203.0.113.3", "198.51.100.4")
SPOOFED_HOST = "evil.example"


def _posts(client: TestClient, key: str, forwarded: bool) -> list[int]:
    statuses = []
    for n, address in enumerate(FORWARDED):
        headers = {"X-Commenter-Key": f"commenter-key-{n:04d}-abcdef"}
        if forwarded:
            headers["X-Forwarded-For"] = address
        answer = client.post(
            f"/api/v1/articles/{key}/comments",
            json={"author": "Ann", "body": f"Post {n}", "accept_terms": True},
            headers=headers,
        )
        statuses.append(answer.status_code)
    return statuses


@pytest.mark.parametrize(("peer", "expected"), [("198.51.100.9", [202, 202, 429, 429]),
                                                (PROXY, [202, 202, 202, 202])])  # fmt: skip
def test_x_forwarded_for_moves_the_per_address_limit_only_for_a_trusted_proxy(
    settings: Settings, article_key: str, peer: str, expected: list[int]
) -> None:
    """Four posts from four commenter keys, each claiming another address: a peer we do
    not trust spends its own address's bucket (2 posts) whatever it claims."""
    tight = settings.model_copy(update={"rate_address": "2/600", "trusted_proxies": PROXY})
    desk = Desk.open(tight)
    try:
        with TestClient(create_app(tight, desk=desk), client=(peer, 4000)) as client:
            assert _posts(client, article_key, forwarded=True) == expected
    finally:
        desk.close()


def test_a_spoofed_host_changes_no_redirect(
    settings: Settings, desk: Desk, article_key: str
) -> None:
    with TestClient(create_app(settings, desk=desk)) as client:
        page = client.get(f"/articles/{article_key}", headers={"Host": SPOOFED_HOST})
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token
        posted = client.post(
            f"/articles/{article_key}/comments",
            data={"author": "Ann", "body": "Hello", "accept_terms": "yes", "csrf": token[1]},
            headers={"Host": SPOOFED_HOST, "X-Forwarded-Host": SPOOFED_HOST},
            follow_redirects=False,
        )
        console = client.get("/console", headers={"Host": SPOOFED_HOST}, follow_redirects=False)
    for answer in (posted, console):
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/")
        assert SPOOFED_HOST not in answer.headers["location"]


@pytest.mark.parametrize("public_url", ["https://comments.example", None])
def test_a_spoofed_host_changes_no_link_in_a_feed(
    settings: Settings, desk: Desk, article_key: str, public_url: str | None
) -> None:
    """Feeds are public and cacheable (``Cache-Control: public``): a link built from the
    Host header could be cached and served to every reader. With ``public_url`` set the
    links use it; without, they use the server's own address, never the Host header."""
    configured = settings.model_copy(update={"public_url": public_url})
    with TestClient(create_app(configured, desk=desk)) as client:
        honest = client.get(f"/articles/{article_key}/feed.atom").text
        spoofed = client.get(
            f"/articles/{article_key}/feed.atom",
            headers={"Host": SPOOFED_HOST, "X-Forwarded-Host": SPOOFED_HOST},
        ).text
    assert SPOOFED_HOST not in spoofed
    assert spoofed == honest
