"""Reporting a published comment with a plain form."""

from __future__ import annotations

from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import State
from tests.reader.pages import by_id, csrf_token, parse, text_of
from tests.support import Post


def test_report_page_shows_the_comment_and_the_reasons(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish("Buy cheap pills")
    response = client.get(f"{thread_url}/comments/{comment_id}/report")
    assert response.status_code == 200
    document = parse(response.text)
    assert "Buy cheap pills" in text_of(document)
    reasons = [r.get("value") for r in document.iter("input") if r.get("name") == "reason"]
    assert reasons == ["spam", "abuse", "hate", "privacy", "other", "illegal"]


def test_sending_a_report_answers_303_with_a_thank_you_and_reaches_the_moderators(
    client: TestClient, publish: Post, desk: Desk, thread_url: str
) -> None:
    comment_id = publish("Buy cheap pills")
    url = f"{thread_url}/comments/{comment_id}/report"
    token = csrf_token(client.get(url).text)
    response = client.post(
        url,
        data={"reason": "spam", "details": "an advert", "csrf": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Thank you for the report." in client.get(response.headers["location"]).text
    (item,) = desk.moderation.queue(state=State.APPROVED).items
    assert item.reports == 1
    assert desk.moderation.history(comment_id)[-1].reason == "spam: an advert"


def test_report_without_csrf_token_is_refused_keeping_the_details(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish()
    url = f"{thread_url}/comments/{comment_id}/report"
    response = client.post(url, data={"reason": "hate", "details": "see the second line"})
    assert response.status_code == 403
    document = parse(response.text)
    assert by_id(document, "cd-details").text == "see the second line"
    assert by_id(document, "cd-reason-hate").get("checked") is not None


def test_too_long_report_is_refused_keeping_the_details(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish()
    url = f"{thread_url}/comments/{comment_id}/report"
    token = csrf_token(client.get(url).text)
    details = "why " * 200
    response = client.post(url, data={"reason": "other", "details": details, "csrf": token})
    assert response.status_code == 422
    assert by_id(parse(response.text), "cd-details").text == details


def test_pending_comment_cannot_be_reported(
    client: TestClient, desk: Desk, article_key: str, thread_url: str
) -> None:
    from commentdesk.desk import Draft

    pending = desk.comments.submit(article_key, Draft("Q", "pending", accept_terms=True))
    assert client.get(f"{thread_url}/comments/{pending.comment.id}/report").status_code == 404
