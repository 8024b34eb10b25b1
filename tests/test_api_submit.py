"""POST /api/v1/articles/{key}/comments: the reader's submission through the JSON API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk

URL = "/api/v1/articles/a1/comments"


def body(**overrides: Any) -> dict[str, Any]:
    return {"author": "Reader", "body": "A thoughtful comment.", "accept_terms": True} | overrides


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["field"] == field
    assert error["message"]


@pytest.mark.usefixtures("article_key")
def test_a_submission_is_accepted_and_held_pending(client: TestClient) -> None:
    response = client.post(URL, json=body())
    assert response.status_code == 202
    answer = response.json()
    assert answer["state"] == "pending"
    assert isinstance(answer["id"], int)
    assert len(answer["edit_token"]) >= 32
    assert answer["editable_until"].startswith("2026-11-01T12:15:00")


@pytest.mark.usefixtures("article_key")
def test_a_pending_comment_is_not_published(client: TestClient) -> None:
    client.post(URL, json=body())
    assert client.get(URL).json()["comments"] == []


@pytest.mark.usefixtures("article_key")
def test_the_edit_token_is_stored_only_as_a_hash(client: TestClient, desk: Desk) -> None:
    token = client.post(URL, json=body()).json()["edit_token"]
    with desk.context.store.read() as connection:
        dump = str(connection.exec_driver_sql("SELECT * FROM comments").all())
    assert token not in dump


@pytest.mark.usefixtures("article_key")
def test_the_submission_writes_one_submit_event(client: TestClient, desk: Desk) -> None:
    comment_id = client.post(URL, json=body()).json()["id"]
    events = desk.moderation.history(comment_id)
    assert [(e.action.value, e.to_state and e.to_state.value) for e in events] == [
        ("submit", "pending")
    ]


def test_an_unknown_article_is_404(client: TestClient) -> None:
    assert_error(
        client.post("/api/v1/articles/nope/comments", json=body()), 404, "not_found", "key"
    )


@pytest.mark.usefixtures("article_key")
def test_terms_not_accepted_is_refused(client: TestClient) -> None:
    response = client.post(URL, json=body(accept_terms=False))
    assert_error(response, 422, "terms_not_accepted", "accept_terms")


@pytest.mark.usefixtures("article_key")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"author": ""}, "author"),
        ({"author": "   "}, "author"),
        ({"author": "x" * 65}, "author"),
        ({"author": "bad\u202ename"}, "author"),
        ({"author": "nul\x00"}, "author"),
        ({"body": ""}, "body"),
        ({"body": " \n\t "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"email": "not-an-address"}, "email"),
        ({"parent_id": 999}, "parent_id"),
    ],
)
def test_invalid_fields_are_named_in_a_422(
    client: TestClient, overrides: dict[str, Any], field: str
) -> None:
    assert_error(client.post(URL, json=body(**overrides)), 422, "invalid", field)


@pytest.mark.usefixtures("article_key")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"author": 5}, "author"),
        ({"body": ["a"]}, "body"),
        ({"accept_terms": "yes"}, "accept_terms"),
        ({"parent_id": "1"}, "parent_id"),
    ],
)
def test_wrong_types_are_refused_with_the_field(
    client: TestClient, overrides: dict[str, Any], field: str
) -> None:
    assert_error(client.post(URL, json=body(**overrides)), 422, "invalid", field)


@pytest.mark.usefixtures("article_key")
def test_a_missing_field_is_named(client: TestClient) -> None:
    payload = body()
    del payload["author"]
    assert_error(client.post(URL, json=payload), 422, "invalid", "author")


@pytest.mark.usefixtures("article_key")
def test_a_body_of_exactly_5000_characters_is_accepted(client: TestClient) -> None:
    assert client.post(URL, json=body(body="가" * 5000)).status_code == 202


@pytest.mark.usefixtures("article_key")
def test_control_and_bidi_characters_are_stripped_from_the_body(
    client: TestClient, desk: Desk
) -> None:
    text = "line one\r\nline\x00 two\u202e\u2066 three\x07"
    comment_id = client.post(URL, json=body(body=text)).json()["id"]
    assert desk.moderation.history(comment_id)[0].after_text == "line one\nline two three"


@pytest.mark.usefixtures("article_key")
def test_text_is_stored_in_nfc(client: TestClient, desk: Desk) -> None:
    decomposed = "e\u0301 \u1100\u1161"  # é and 가 as combining sequences
    comment_id = client.post(URL, json=body(body=decomposed)).json()["id"]
    assert desk.moderation.history(comment_id)[0].after_text == "\u00e9 \uac00"


@pytest.mark.usefixtures("article_key")
def test_a_korean_pseudonym_is_accepted(client: TestClient) -> None:
    assert client.post(URL, json=body(author="김 기자 (서울)")).status_code == 202


@pytest.mark.usefixtures("article_key")
def test_malformed_json_is_a_400(client: TestClient) -> None:
    response = client.post(
        URL, content=b'{"author": ', headers={"content-type": "application/json"}
    )
    assert_error(response, 400, "malformed_json")


@pytest.mark.usefixtures("article_key")
def test_invalid_utf8_is_a_400(client: TestClient) -> None:
    raw = b'{"author": "\xff\xfe", "body": "x", "accept_terms": true}'
    response = client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert_error(response, 400, "invalid_utf8")


@pytest.mark.usefixtures("article_key")
def test_a_lone_surrogate_is_a_400_naming_the_field(client: TestClient) -> None:
    raw = b'{"author": "ok", "body": "bad \\ud800 text", "accept_terms": true}'
    response = client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert_error(response, 400, "invalid_text", "body")


@pytest.mark.usefixtures("article_key")
def test_absurdly_deep_json_is_a_400(client: TestClient) -> None:
    raw = b"[" * 20000 + b"]" * 20000
    response = client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert_error(response, 400, "too_deep")


@pytest.mark.usefixtures("article_key")
def test_json_that_is_not_an_object_is_a_422(client: TestClient) -> None:
    response = client.post(URL, json=["author", "body"])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.usefixtures("article_key")
def test_a_body_over_the_cap_is_a_413_in_the_error_format(client: TestClient) -> None:
    response = client.post(URL, json=body(body="x" * 70_000))
    assert_error(response, 413, "too_large")


@pytest.mark.usefixtures("article_key")
def test_a_chunked_body_over_the_cap_is_a_413(client: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(100):
            yield b"x" * 1024

    response = client.post(URL, content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "too_large")


@pytest.mark.usefixtures("article_key")
def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer(
    client: TestClient, desk: Desk
) -> None:
    headers = {"Idempotency-Key": "retry-me-1"}
    first = client.post(URL, json=body(), headers=headers).json()
    second = client.post(URL, json=body(), headers=headers).json()
    assert second == first
    assert desk.moderation.queue().items[0].comment.id == first["id"]
    assert len(desk.moderation.queue().items) == 1


@pytest.mark.usefixtures("article_key")
def test_the_replayed_edit_token_still_works(client: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-me-2"}
    client.post(URL, json=body(), headers=headers)
    again = client.post(URL, json=body(), headers=headers).json()
    edited = client.patch(
        f"/api/v1/comments/{again['id']}",
        json={"body": "fixed"},
        headers={"X-Edit-Token": again["edit_token"]},
    )
    assert edited.status_code == 200


@pytest.mark.usefixtures("article_key")
def test_reusing_an_idempotency_key_for_other_text_is_a_409(client: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-me-3"}
    client.post(URL, json=body(), headers=headers)
    response = client.post(URL, json=body(body="something else"), headers=headers)
    assert_error(response, 409, "idempotency_key_reused", "Idempotency-Key")


def test_a_closed_article_refuses_comments(
    client: TestClient, desk: Desk, article_key: str
) -> None:
    desk.catalog.set_open(article_key, False)
    assert_error(client.post(URL, json=body()), 403, "comments_closed")


def test_an_article_past_its_auto_close_date_refuses_comments(
    client: TestClient, desk: Desk, clock: Any
) -> None:
    desk.catalog.ensure_site("old", name="Old", auto_close_days=3)
    desk.catalog.add_article("old", "a1", url="https://old.example/a1", title="Old story")
    clock.advance(days=4)
    assert_error(client.post(URL, json=body()), 403, "comments_closed")


def test_an_article_is_made_on_first_use_for_an_allowed_origin(
    client: TestClient, desk: Desk
) -> None:
    desk.catalog.ensure_site(
        "auto", name="Auto", origins=("http://127.0.0.1:*",), auto_create_articles=True
    )
    payload = body(url="http://127.0.0.1:9000/story", title="A story")
    assert client.post("/api/v1/articles/new-story/comments", json=payload).status_code == 202
    assert desk.catalog.article("new-story").title == "A story"


def test_an_article_is_not_made_for_a_foreign_origin(client: TestClient, desk: Desk) -> None:
    desk.catalog.ensure_site(
        "auto", name="Auto", origins=("https://news.example",), auto_create_articles=True
    )
    payload = body(url="https://evil.example/story", title="A story")
    response = client.post("/api/v1/articles/new-story/comments", json=payload)
    assert_error(response, 404, "not_found", "key")


@pytest.mark.usefixtures("article_key")
def test_the_answer_to_a_post_hands_the_connection_back(client: TestClient) -> None:
    # So the poster's next request may go to whichever server worker is free.
    response = client.post(URL, json=body())
    assert response.status_code == 202
    assert response.headers["connection"] == "close"
