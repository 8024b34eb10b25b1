"""embed.js and what other sites' pages may do with us: load it, call the readers' API."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient

from tests.support import auth

ALLOWED = "https://news.example"


def test_embed_js_is_served_as_javascript_loadable_by_other_sites(client: TestClient) -> None:
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "data-commentdesk-article" in response.text


def test_embed_css_is_served_loadable_by_other_sites(client: TestClient) -> None:
    response = client.get("/embed.css")
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"


def _embed_code() -> str:
    """embed.js without its comments."""
    source = files("commentdesk.web").joinpath("static", "embed.js").read_text()
    return re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)


def test_embed_js_builds_nodes_without_parsing_html() -> None:
    source = _embed_code()
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in source


def test_embed_js_asks_only_the_server_it_came_from() -> None:
    code = _embed_code()
    # ``file``: the published thread, read only when the page names its folder
    # (data-commentdesk-static); tests/browser/test_embed_static.py follows that path.
    assert re.findall(r"fetch\(([^,)]*)", code) == ["BASE + path", "file"]
    assert "https://" not in code.replace('"https?:', "")  # only the URL pattern mentions it


def test_stylesheet_rules_never_reach_outside_the_comments() -> None:
    css = files("commentdesk.web").joinpath("static", "commentdesk.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors = re.findall(r"(?:^|})\s*([^{}@]+?)\s*{", css)
    for group in selectors:
        for selector in group.split(","):
            assert selector.strip().startswith(
                (".cd", ":where(.cd)", "body.cd-page", "textarea.cd")
            ), selector


def test_thread_api_answers_an_allowed_origin(client: TestClient, article_key: str) -> None:
    response = client.get(f"/api/v1/articles/{article_key}/comments", headers={"Origin": ALLOWED})
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "ETag" in response.headers["access-control-expose-headers"]
    assert "Origin" in response.headers["vary"]
    assert "access-control-allow-credentials" not in response.headers


def test_thread_api_does_not_answer_other_origins(client: TestClient, article_key: str) -> None:
    response = client.get(
        f"/api/v1/articles/{article_key}/comments", headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_port_wildcard_origin_allows_any_port_of_that_host(
    client: TestClient, article_key: str
) -> None:
    from commentdesk.store.tables import sites

    desk = client.app.state.desk  # type: ignore[attr-defined]  # set by create_app
    with desk.context.store.write() as connection:
        connection.execute(sites.update().values(origins=["http://127.0.0.1:*"]))
    url = f"/api/v1/articles/{article_key}/comments"
    yes = client.get(url, headers={"Origin": "http://127.0.0.1:41234"})
    no = client.get(url, headers={"Origin": "http://127.0.0.2:41234"})
    assert yes.headers["access-control-allow-origin"] == "http://127.0.0.1:41234"
    assert "access-control-allow-origin" not in no.headers


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/articles/a1/comments"), ("PATCH", "/api/v1/comments/1")],
)
def test_preflight_from_an_allowed_origin_permits_the_readers_methods_and_headers(
    client: TestClient, article_key: str, method: str, path: str
) -> None:
    response = client.options(
        path,
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type, x-edit-token",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert method in response.headers["access-control-allow-methods"]
    assert "X-Edit-Token" in response.headers["access-control-allow-headers"]


def test_preflight_from_another_origin_is_refused(client: TestClient, article_key: str) -> None:
    response = client.options(
        f"/api/v1/articles/{article_key}/comments",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"
    assert "access-control-allow-origin" not in response.headers


def test_cross_origin_post_is_answered_with_cors_headers(
    client: TestClient, article_key: str
) -> None:
    response = client.post(
        f"/api/v1/articles/{article_key}/comments",
        json={"author": "M", "body": "hi", "accept_terms": True},
        headers={"Origin": ALLOWED},
    )
    assert response.status_code == 202
    assert response.headers["access-control-allow-origin"] == ALLOWED


def test_moderation_api_is_never_opened_to_other_origins(
    client: TestClient, admin_token: str
) -> None:
    response = client.get(
        "/api/v1/moderation/queue", headers={"Origin": ALLOWED, **auth(admin_token)}
    )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
