"""HEAD is answered wherever GET is, with GET's status and headers and no body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    "path", ["/articles/a1", "/healthz", "/static/embed.js", "/console/login", "/readyz"]
)
def test_head_answers_like_get_without_a_body(
    client: TestClient, article_key: str, path: str
) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_of_a_missing_page_is_404(client: TestClient, site_slug: str) -> None:
    assert client.head("/articles/no-such-article").status_code == 404


def test_head_is_no_way_into_a_post_only_route(client: TestClient) -> None:
    assert client.head("/api/v1/rights/erase").status_code == 405
