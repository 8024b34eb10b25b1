"""The moderators' JSON API: authentication, the queue and decisions."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, State
from tests.support import Clock, auth, submit_comment
from tests.test_api_submit import assert_error

QUEUE = "/api/v1/moderation/queue"


#: Submits, then runs the worker's full assessment, as `serve` does after the 202.
submit = functools.partial(submit_comment, assess=True)


def act(client: TestClient, token: str, comment_id: int, action: str, **payload: Any) -> Any:
    return client.post(
        f"/api/v1/moderation/comments/{comment_id}/{action}", json=payload, headers=auth(token)
    )


def test_the_queue_needs_a_token(client: TestClient) -> None:
    assert_error(client.get(QUEUE), 401, "not_authenticated")


def test_a_wrong_token_is_refused(client: TestClient) -> None:
    assert_error(client.get(QUEUE, headers=auth("cdt_wrong")), 401, "not_authenticated")


def test_a_revoked_token_is_refused(client: TestClient, desk: Desk, moderator_token: str) -> None:
    desk.accounts.revoke_token(moderator_token)
    assert_error(client.get(QUEUE, headers=auth(moderator_token)), 401, "not_authenticated")


@pytest.mark.usefixtures("article_key")
def test_the_queue_lists_pending_comments_with_their_details(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk, "hello there", author="Kim")
    page = client.get(QUEUE, headers=auth(moderator_token)).json()
    assert page["next_cursor"] is None
    [item] = page["items"]
    assert item["id"] == comment_id
    assert item["article"] == "a1"
    assert item["article_title"] == "First story"
    assert item["author"] == "Kim"
    assert item["body"] == "hello there"
    assert item["state"] == "pending"
    assert item["assessment"] == {
        "risk": 0.05,
        "action": "hold",
        "reasons": [{"code": "new_commenter", "message": "first comment"}],
    }
    assert item["cluster"] is None
    assert item["created_at"].startswith("2026-11-01T12:00:00")


@pytest.mark.usefixtures("article_key")
def test_the_queue_pages_with_a_cursor_without_gaps_or_repeats(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    ids = [submit(desk, f"c{i}") for i in range(7)]
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, "sort": "age"}
        if cursor:
            params["cursor"] = cursor
        page = client.get(QUEUE, params=params, headers=auth(moderator_token)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


@pytest.mark.usefixtures("article_key")
def test_the_risk_order_pages_without_gaps_or_repeats(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    ids = [submit(desk, f"c{i}") for i in range(5)]
    first = client.get(QUEUE, params={"limit": 2}, headers=auth(moderator_token)).json()
    second = client.get(
        QUEUE, params={"limit": 10, "cursor": first["next_cursor"]}, headers=auth(moderator_token)
    ).json()
    assert [i["id"] for i in first["items"] + second["items"]] == ids


@pytest.mark.usefixtures("article_key")
def test_a_forged_cursor_is_a_422(client: TestClient, moderator_token: str) -> None:
    response = client.get(QUEUE, params={"cursor": "bm9wZQ"}, headers=auth(moderator_token))
    assert_error(response, 422, "invalid", "cursor")


@pytest.mark.usefixtures("article_key")
def test_a_limit_over_200_is_a_422(client: TestClient, moderator_token: str) -> None:
    response = client.get(QUEUE, params={"limit": 201}, headers=auth(moderator_token))
    assert_error(response, 422, "invalid", "limit")


@pytest.mark.usefixtures("article_key")
def test_approving_publishes_the_comment(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk)
    answer = act(client, moderator_token, comment_id, "approve").json()
    assert (answer["state"], answer["decided_by"]) == ("approved", "mina")
    assert [c["id"] for c in client.get("/api/v1/articles/a1/comments").json()["comments"]] == [
        comment_id
    ]


@pytest.mark.usefixtures("article_key")
def test_rejecting_needs_a_reason(client: TestClient, desk: Desk, moderator_token: str) -> None:
    response = act(client, moderator_token, submit(desk), "reject")
    assert_error(response, 422, "invalid", "reason")


@pytest.mark.usefixtures("article_key")
def test_rejecting_keeps_the_reason(client: TestClient, desk: Desk, moderator_token: str) -> None:
    answer = act(client, moderator_token, submit(desk), "reject", reason="spam").json()
    assert (answer["state"], answer["decision_reason"]) == ("rejected", "spam")


@pytest.mark.usefixtures("article_key")
def test_an_edit_needs_a_reason_and_keeps_the_old_text(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk, "call 555-0100 now")
    assert_error(
        act(client, moderator_token, comment_id, "edit", body="call now"), 422, "invalid", "reason"
    )
    answer = act(
        client, moderator_token, comment_id, "edit", body="call now", reason="personal data"
    ).json()
    assert (answer["body"], answer["edited_by_moderator"], answer["edit_reason"]) == (
        "call now",
        True,
        "personal data",
    )
    events = client.get(
        f"/api/v1/moderation/comments/{comment_id}/events", headers=auth(moderator_token)
    ).json()
    assert (events[-1]["before_text"], events[-1]["after_text"]) == (
        "call 555-0100 now",
        "call now",
    )
    assert events[-1]["actor"] == "mina"


@pytest.mark.usefixtures("article_key")
def test_an_edit_of_a_published_comment_shows_on_the_thread(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk, "original")
    act(client, moderator_token, comment_id, "approve")
    act(client, moderator_token, comment_id, "edit", body="edited", reason="terms 2")
    [shown] = client.get("/api/v1/articles/a1/comments").json()["comments"]
    assert (shown["body"], shown["edited_by_moderator"], shown["edit_reason"]) == (
        "edited",
        True,
        "terms 2",
    )


@pytest.mark.usefixtures("article_key")
def test_featuring_marks_a_published_comment(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk)
    assert_error(act(client, moderator_token, comment_id, "feature"), 409, "not_allowed_in_state")
    act(client, moderator_token, comment_id, "approve")
    assert act(client, moderator_token, comment_id, "feature").json()["featured"] is True
    assert_error(act(client, moderator_token, comment_id, "feature"), 409, "conflict")
    assert act(client, moderator_token, comment_id, "unfeature").json()["featured"] is False


@pytest.mark.usefixtures("article_key")
def test_a_second_decision_is_a_409_naming_who_decided(
    client: TestClient, desk: Desk, moderator_token: str, admin_token: str
) -> None:
    comment_id = submit(desk)
    act(client, moderator_token, comment_id, "approve")
    response = act(client, admin_token, comment_id, "reject", reason="spam")
    assert_error(response, 409, "already_decided")
    assert "approved by mina" in response.json()["error"]["message"]
    assert [e.action.value for e in desk.moderation.history(comment_id)] == [
        "submit",
        "assess",
        "approve",
    ]


@pytest.mark.usefixtures("article_key")
def test_deciding_an_unknown_comment_is_a_404(client: TestClient, moderator_token: str) -> None:
    assert_error(act(client, moderator_token, 999, "approve"), 404, "not_found", "id")


@pytest.mark.usefixtures("article_key")
def test_an_unknown_action_is_a_422(client: TestClient, desk: Desk, moderator_token: str) -> None:
    response = act(client, moderator_token, submit(desk), "explode")
    assert_error(response, 422, "invalid", "action")


@pytest.mark.usefixtures("article_key")
def test_the_queue_filters_by_state(
    client: TestClient, desk: Desk, moderator_token: str, clock: Clock
) -> None:
    kept = submit(desk)
    dropped = submit(desk)
    act(client, moderator_token, dropped, "reject", reason="spam")
    rejected = client.get(QUEUE, params={"state": "rejected"}, headers=auth(moderator_token))
    everything = client.get(QUEUE, params={"state": "all"}, headers=auth(moderator_token))
    assert [i["id"] for i in rejected.json()["items"]] == [dropped]
    assert {i["id"] for i in everything.json()["items"]} == {kept, dropped}


def test_an_admin_can_add_an_article(client: TestClient, admin_token: str, site_slug: str) -> None:
    payload = {"site": site_slug, "key": "b-1", "url": "https://news.example/b", "title": "B"}
    response = client.post("/api/v1/admin/articles", json=payload, headers=auth(admin_token))
    assert response.status_code == 201
    assert response.json()["key"] == "b-1"


def test_a_moderator_cannot_add_an_article(
    client: TestClient, moderator_token: str, site_slug: str
) -> None:
    payload = {"site": site_slug, "key": "b-1", "url": "https://news.example/b", "title": "B"}
    response = client.post("/api/v1/admin/articles", json=payload, headers=auth(moderator_token))
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"key": "bad key!", "url": "https://news.example/b"}, "key"),
        ({"key": "a1", "url": "https://news.example/b"}, "key"),
        ({"key": "ok", "url": "javascript:alert(1)"}, "url"),
    ],
)
@pytest.mark.usefixtures("article_key")
def test_bad_articles_are_refused_with_the_field(
    client: TestClient, admin_token: str, site_slug: str, payload: dict[str, str], field: str
) -> None:
    response = client.post(
        "/api/v1/admin/articles",
        json={"site": site_slug, "title": "T"} | payload,
        headers=auth(admin_token),
    )
    assert_error(response, 422, "invalid", field)


def test_an_article_on_an_unknown_site_is_a_404(client: TestClient, admin_token: str) -> None:
    payload = {"site": "nope", "key": "k", "url": "https://x.example/", "title": "T"}
    response = client.post("/api/v1/admin/articles", json=payload, headers=auth(admin_token))
    assert_error(response, 404, "not_found", "site")


REVERSING = {"from": "rejected"}


@pytest.mark.usefixtures("article_key")
def test_a_rejection_is_reversed_when_the_request_names_it(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk)
    act(client, moderator_token, comment_id, "reject", reason="Off-topic")
    why = "On topic after all: it answers the article"
    answer = act(client, moderator_token, comment_id, "approve", reason=why, **REVERSING)
    assert answer.status_code == 200
    assert answer.json()["state"] == "approved"
    last = desk.moderation.history(comment_id)[-1]
    assert (last.action, last.from_state, last.to_state) == (
        Action.APPROVE,
        State.REJECTED,
        State.APPROVED,
    )
    assert last.reason == why


@pytest.mark.usefixtures("article_key")
def test_approving_a_rejected_comment_without_naming_it_is_still_a_conflict(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk)
    act(client, moderator_token, comment_id, "reject", reason="Spam")
    assert_error(act(client, moderator_token, comment_id, "approve"), 409, "already_decided")


@pytest.mark.usefixtures("article_key")
def test_a_reversal_that_names_a_state_the_comment_left_changes_nothing(
    client: TestClient, desk: Desk, moderator_token: str
) -> None:
    comment_id = submit(desk)
    answer = act(client, moderator_token, comment_id, "approve", reason="publish", **REVERSING)
    assert_error(answer, 409, "state_changed")
    assert desk.moderation.history(comment_id)[-1].action.value == "assess"


@pytest.mark.usefixtures("article_key")
def test_a_reversal_needs_a_reason(client: TestClient, desk: Desk, moderator_token: str) -> None:
    comment_id = submit(desk)
    act(client, moderator_token, comment_id, "reject", reason="Spam")
    answer = act(client, moderator_token, comment_id, "approve", **REVERSING)
    assert answer.status_code == 422
    assert desk.moderation.history(comment_id)[-1].action.value == "reject"
