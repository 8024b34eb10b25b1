"""PATCH and DELETE /api/v1/comments/{id}: the author's own pending comment."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import Clock
from tests.test_api_submit import URL, assert_error, body


@pytest.fixture
def own(client: TestClient, article_key: str) -> dict[str, Any]:
    answer: dict[str, Any] = client.post(URL, json=body()).json()
    return answer


def token(own: dict[str, Any]) -> dict[str, str]:
    return {"X-Edit-Token": own["edit_token"]}


def test_the_author_can_fix_their_pending_comment(client: TestClient, own: dict[str, Any]) -> None:
    response = client.patch(
        f"/api/v1/comments/{own['id']}", json={"body": "Fixed."}, headers=token(own)
    )
    assert response.status_code == 200
    assert response.json()["body"] == "Fixed."
    assert response.json()["state"] == "pending"


def test_the_author_can_withdraw_their_pending_comment(
    client: TestClient, own: dict[str, Any]
) -> None:
    response = client.delete(f"/api/v1/comments/{own['id']}", headers=token(own))
    assert response.status_code == 200
    assert response.json()["state"] == "deleted"


def test_a_wrong_token_is_a_403(client: TestClient, own: dict[str, Any]) -> None:
    response = client.patch(
        f"/api/v1/comments/{own['id']}", json={"body": "x"}, headers={"X-Edit-Token": "guess"}
    )
    assert_error(response, 403, "bad_edit_token", "X-Edit-Token")


def test_a_missing_token_is_a_403(client: TestClient, own: dict[str, Any]) -> None:
    assert_error(
        client.delete(f"/api/v1/comments/{own['id']}"), 403, "bad_edit_token", "X-Edit-Token"
    )


def test_a_deleted_comment_can_no_longer_be_changed(
    client: TestClient, own: dict[str, Any]
) -> None:
    client.delete(f"/api/v1/comments/{own['id']}", headers=token(own))
    response = client.patch(f"/api/v1/comments/{own['id']}", json={"body": "x"}, headers=token(own))
    assert_error(response, 409, "not_allowed_in_state")


def test_an_approved_comment_can_no_longer_be_changed_by_its_author(
    client: TestClient, own: dict[str, Any], admin_token: str
) -> None:
    client.post(
        f"/api/v1/moderation/comments/{own['id']}/approve",
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    response = client.patch(f"/api/v1/comments/{own['id']}", json={"body": "x"}, headers=token(own))
    assert_error(response, 409, "not_allowed_in_state")


def test_after_the_window_the_author_gets_a_410(
    client: TestClient, own: dict[str, Any], clock: Clock
) -> None:
    clock.advance(minutes=15)
    response = client.patch(f"/api/v1/comments/{own['id']}", json={"body": "x"}, headers=token(own))
    assert_error(response, 410, "edit_window_closed")


def test_an_unknown_comment_is_a_404(client: TestClient) -> None:
    response = client.delete("/api/v1/comments/424242", headers={"X-Edit-Token": "x"})
    assert_error(response, 404, "not_found", "id")


def test_an_edit_keeps_the_previous_text_in_the_audit_log(
    client: TestClient, own: dict[str, Any], admin_token: str
) -> None:
    client.patch(f"/api/v1/comments/{own['id']}", json={"body": "Second."}, headers=token(own))
    events = client.get(
        f"/api/v1/moderation/comments/{own['id']}/events",
        headers={"Authorization": f"Bearer {admin_token}"},
    ).json()
    assert [e["action"] for e in events] == ["submit", "edit_own"]
    assert events[1]["before_text"] == "A thoughtful comment."
    assert events[1]["after_text"] == "Second."


def test_an_empty_edit_is_refused(client: TestClient, own: dict[str, Any]) -> None:
    response = client.patch(
        f"/api/v1/comments/{own['id']}", json={"body": "  "}, headers=token(own)
    )
    assert_error(response, 422, "invalid", "body")
