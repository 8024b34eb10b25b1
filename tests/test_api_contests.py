"""The moderators' API for contested decisions: the queue, and a second review."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Role
from tests.support import PASSWORD, auth, submit_comment
from tests.test_api_submit import assert_error

CONTESTS = "/api/v1/moderation/contests"


@pytest.fixture
def contested(desk: Desk, article_key: str, moderator_token: str) -> int:
    """A comment rejected by mina, whose author contests it; returns the contest's id."""
    mina = desk.accounts.authenticate_token(moderator_token)
    comment_id = submit_comment(desk, "Off the subject, maybe.")
    desk.decisions.decide(mina, comment_id, Action.REJECT, choice="off-topic")
    return desk.statements.contest(desk.statements.token(comment_id), "It was on topic.").id


def test_the_contested_queue_lists_the_decision_and_the_authors_words(
    client: TestClient, contested: int, moderator_token: str
) -> None:
    [item] = client.get(CONTESTS, headers=auth(moderator_token)).json()
    assert item["id"] == contested
    assert item["decision"] == "reject"
    assert item["decided_by"] == "mina"
    assert item["text"] == "It was on topic."
    assert item["comment"]["state"] == "rejected"


def test_the_moderator_who_decided_gets_403_second_review_required(
    client: TestClient, contested: int, moderator_token: str
) -> None:
    answer = client.post(
        f"{CONTESTS}/{contested}/reverse", json={"note": "mine"}, headers=auth(moderator_token)
    )
    assert_error(answer, 403, "second_review_required")


def test_a_second_moderator_reverses_and_a_second_review_is_409(
    client: TestClient, desk: Desk, contested: int
) -> None:
    desk.accounts.add_moderator("nora", PASSWORD, Role.MODERATOR)
    nora = desk.accounts.create_token("nora")
    answer = client.post(
        f"{CONTESTS}/{contested}/reverse", json={"note": "fine"}, headers=auth(nora)
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == "approved"
    assert client.get(CONTESTS, headers=auth(nora)).json() == []
    again = client.post(f"{CONTESTS}/{contested}/uphold", json={"note": "no"}, headers=auth(nora))
    assert_error(again, 409, "conflict")


def test_a_review_needs_a_note(client: TestClient, desk: Desk, contested: int) -> None:
    desk.accounts.add_moderator("nora", PASSWORD, Role.MODERATOR)
    nora = desk.accounts.create_token("nora")
    answer = client.post(f"{CONTESTS}/{contested}/uphold", json={"note": " "}, headers=auth(nora))
    assert_error(answer, 422, "invalid", "note")
