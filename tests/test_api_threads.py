"""Reading threads and counts, replies and their depth, and readers' reports."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.model import Action, Moderator
from tests.support import submit_comment
from tests.test_api_submit import URL, assert_error


@pytest.fixture
def chief(desk: Desk, admin_token: str) -> Moderator:
    return desk.accounts.get("chief")


@pytest.mark.usefixtures("article_key")
def test_published_comments_come_flat_and_oldest_first(
    client: TestClient, desk: Desk, chief: Moderator
) -> None:
    first = submit_comment(desk, "first", approve_as=chief)
    second = submit_comment(desk, "second", parent_id=first, approve_as=chief)
    thread = client.get(URL).json()
    assert [(c["id"], c["parent_id"], c["body"]) for c in thread["comments"]] == [
        (first, None, "first"),
        (second, first, "second"),
    ]
    assert thread["article"] == {
        "key": "a1",
        "title": "First story",
        "url": "https://news.example/a1",
        "count": 2,
        "open": True,
    }


@pytest.mark.usefixtures("article_key")
def test_the_thread_never_shows_email_or_tokens(
    client: TestClient, desk: Desk, chief: Moderator
) -> None:
    submitted = desk.comments.submit(
        "a1", Draft(author="R", body="hi", accept_terms=True, email="secret@example.org")
    )
    desk.moderation.decide(chief, submitted.comment.id, Action.APPROVE)
    text = client.get(URL).text
    assert "secret@example.org" not in text
    assert submitted.edit_token not in text


@pytest.mark.usefixtures("article_key")
def test_the_thread_has_an_etag_and_answers_304_when_unchanged(client: TestClient) -> None:
    response = client.get(URL)
    assert response.headers["cache-control"] == "public, max-age=0, must-revalidate"
    again = client.get(URL, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.usefixtures("article_key")
def test_a_decision_changes_the_etag(client: TestClient, desk: Desk, chief: Moderator) -> None:
    before = client.get(URL).headers["etag"]
    submit_comment(desk, "new", approve_as=chief)
    response = client.get(URL, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["etag"] != before


def test_an_unknown_thread_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/v1/articles/nope/comments"), 404, "not_found", "key")


@pytest.mark.usefixtures("article_key")
def test_replies_below_the_depth_cap_join_the_last_level(desk: Desk, chief: Moderator) -> None:
    level0 = submit_comment(desk, "0", approve_as=chief)
    level1 = submit_comment(desk, "1", parent_id=level0, approve_as=chief)
    level2 = submit_comment(desk, "2", parent_id=level1, approve_as=chief)
    level3 = submit_comment(desk, "3", parent_id=level2, approve_as=chief)
    article = desk.catalog.article("a1")
    found = {c.id: c for c in desk.threads.published(article)}
    assert (found[level2].depth, found[level2].parent_id) == (2, level1)
    assert (found[level3].depth, found[level3].parent_id, found[level3].reply_to_id) == (
        2,
        level1,
        level2,
    )


@pytest.mark.usefixtures("article_key")
def test_a_reply_to_a_pending_comment_is_refused(client: TestClient, desk: Desk) -> None:
    pending = desk.comments.submit("a1", Draft(author="R", body="p", accept_terms=True))
    payload = {"author": "R", "body": "re", "accept_terms": True, "parent_id": pending.comment.id}
    assert_error(client.post(URL, json=payload), 422, "invalid", "parent_id")


def test_a_reply_across_articles_is_refused(
    client: TestClient, desk: Desk, chief: Moderator, site_slug: str, article_key: str
) -> None:
    desk.catalog.add_article(site_slug, "a2", url="https://news.example/a2", title="Two")
    other = submit_comment(desk, "elsewhere", key="a2", approve_as=chief)
    payload = {"author": "R", "body": "re", "accept_terms": True, "parent_id": other}
    assert_error(client.post(URL, json=payload), 422, "invalid", "parent_id")


def test_counts_answer_many_articles_in_one_call(
    client: TestClient, desk: Desk, chief: Moderator, site_slug: str, article_key: str
) -> None:
    desk.catalog.add_article(site_slug, "a2", url="https://news.example/a2", title="Two")
    submit_comment(desk, "one", approve_as=chief)
    submit_comment(desk, "two", approve_as=chief)
    submit_comment(desk, "three", key="a2", approve_as=chief)
    desk.comments.submit("a1", Draft(author="R", body="pending", accept_terms=True))
    params: list[tuple[str, str | int | float | bool | None]] = [
        ("article", "a1"),
        ("article", "a2"),
        ("article", "zz"),
    ]
    response = client.get("/api/v1/counts", params=params)
    assert response.json() == {"a1": 2, "a2": 1, "zz": 0}


def test_counts_need_at_least_one_article(client: TestClient) -> None:
    assert_error(client.get("/api/v1/counts"), 422, "invalid", "article")


def test_counts_refuse_too_many_articles(client: TestClient) -> None:
    params: list[tuple[str, str | int | float | bool | None]] = [
        ("article", f"k{i}") for i in range(101)
    ]
    assert_error(client.get("/api/v1/counts", params=params), 422, "invalid", "article")


@pytest.mark.usefixtures("article_key")
def test_a_reader_can_report_a_published_comment(
    client: TestClient, desk: Desk, chief: Moderator
) -> None:
    comment_id = submit_comment(desk, "rude", approve_as=chief)
    response = client.post(f"/api/v1/comments/{comment_id}/reports", json={"reason": "insult"})
    assert response.status_code == 202
    assert desk.moderation.history(comment_id)[-1].reason == "insult"
    item = desk.moderation.queue(state=None).items[0]
    assert item.reports == 1


@pytest.mark.usefixtures("article_key")
def test_a_pending_comment_cannot_be_reported(client: TestClient, desk: Desk) -> None:
    pending = desk.comments.submit("a1", Draft(author="R", body="p", accept_terms=True))
    response = client.post(f"/api/v1/comments/{pending.comment.id}/reports", json={})
    assert_error(response, 404, "not_found", "id")


@pytest.mark.usefixtures("article_key")
def test_withdrawing_a_published_comment_hides_it(
    client: TestClient, desk: Desk, chief: Moderator
) -> None:
    comment_id = submit_comment(desk, "later regretted", approve_as=chief)
    desk.moderation.decide(chief, comment_id, Action.WITHDRAW, reason="legal")
    thread = client.get(URL).json()
    assert thread["comments"] == []
    assert thread["article"]["count"] == 0


def test_a_closed_thread_says_so_and_changes_its_etag(
    client: TestClient, desk: Desk, article_key: str
) -> None:
    before = client.get(URL).headers["etag"]
    desk.catalog.set_open(article_key, False)
    response = client.get(URL, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.json()["article"]["open"] is False
