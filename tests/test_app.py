"""The app as a whole: headers, the OpenAPI document, errors for unknown routes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from commentdesk.settings import Settings
from commentdesk.web import create_app


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    headers = client.get("/healthz").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_openapi_document_describes_every_api_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/articles/{key}/comments",
        "/api/v1/comments/{comment_id}",
        "/api/v1/comments/{comment_id}/reports",
        "/api/v1/counts",
        "/api/v1/moderation/queue",
        "/api/v1/moderation/comments/{comment_id}/{action}",
    ):
        assert path in paths


def test_an_unknown_route_answers_in_the_error_format(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_wrong_method_answers_in_the_error_format(client: TestClient) -> None:
    response = client.put("/api/v1/counts")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_factory_does_no_io(tmp_path: object) -> None:
    settings = Settings(database_url="sqlite:////nonexistent/dir/never-opened.db")
    assert create_app(settings).title == "commentdesk"


def test_the_app_opens_its_own_desk_when_none_is_given(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert client.get("/api/v1/counts", params={"article": "x"}).json() == {"x": 0}
