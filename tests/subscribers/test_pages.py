"""JavaScript off: the publisher's page posts the token to us in a plain form; our
comment form then posts as that subscriber, and says so when the sign-in fails."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Role, State
from tests.reader.pages import by_id, csrf_token, parse, text_of
from tests.subscribers.tokens import token
from tests.support import PASSWORD, Clock

SIGN_IN = "/articles/a1/subscriber"
COOKIE = "cd_subscriber_1"


def form(client: TestClient, **fields: str) -> dict[str, str]:
    page = client.get("/articles/a1")
    values = {"body": "Plain words from a subscriber.", "accept_terms": "yes"}
    return {"csrf": csrf_token(page.text), **values, **fields}


def signed_in(client: TestClient, fresh: str) -> None:
    answer = client.post(SIGN_IN, data={"token": fresh}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


@pytest.mark.usefixtures("vouching")
def test_the_host_pages_form_keeps_the_token_in_a_short_lived_httponly_cookie(
    client: TestClient, fresh: str
) -> None:
    answer = client.post(SIGN_IN, data={"token": fresh}, follow_redirects=False)
    assert answer.headers["location"] == "/articles/a1#comment-form"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "Max-Age=600" in cookie  # the token's own ten minutes, no more


@pytest.mark.usefixtures("vouching")
def test_the_form_says_who_the_subscriber_comments_as(client: TestClient, fresh: str) -> None:
    signed_in(client, fresh)
    page = parse(client.get("/articles/a1").text)
    assert "Subscriber Kim" in text_of(by_id(page, "cd-subscriber-as"))
    assert page.find(".//input[@name='author']") is None


@pytest.mark.usefixtures("vouching")
def test_the_form_says_it_in_korean(client: TestClient, fresh: str) -> None:
    signed_in(client, fresh)
    page = client.get("/articles/a1?lang=ko")
    said = text_of(by_id(parse(page.text), "cd-subscriber-as"))
    assert said == "The News에 로그인한 구독자 Subscriber Kim 님으로 댓글을 씁니다."
    assert "닉네임으로 댓글 쓰기" in page.text


@pytest.mark.usefixtures("vouching")
def test_a_subscribers_form_post_is_their_comment(
    client: TestClient, desk: Desk, fresh: str
) -> None:
    signed_in(client, fresh)
    answer = client.post(
        "/articles/a1/comments", data=form(client, as_subscriber="1"), follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    [item] = desk.moderation.queue(state=State.PENDING).items
    assert (item.comment.author, item.comment.subscriber) == ("Subscriber Kim", True)


@pytest.mark.usefixtures("vouching")
def test_a_bad_token_from_the_host_page_says_what_failed(client: TestClient, clock: Clock) -> None:
    answer = client.post(SIGN_IN, data={"token": token("weekly", at=clock.now)})
    assert answer.status_code == 422
    assert "audience" in answer.text
    assert COOKIE not in answer.headers.get("set-cookie", "")


@pytest.mark.usefixtures("vouching")
def test_a_sign_in_that_expired_while_typing_is_refused_with_the_text_kept(
    client: TestClient, desk: Desk, fresh: str, clock: Clock
) -> None:
    signed_in(client, fresh)
    filled = form(client, as_subscriber="1", body="Words I do not want to lose.")
    client.cookies.delete(COOKIE)  # the browser dropped it at the token's expiry
    answer = client.post("/articles/a1/comments", data=filled)
    assert answer.status_code == 422
    assert "Words I do not want to lose." in answer.text
    assert "expired" in answer.text
    assert desk.moderation.queue(state=State.PENDING).items == []


@pytest.mark.usefixtures("vouching")
def test_an_expired_cookie_is_said_and_forgotten(
    client: TestClient, fresh: str, clock: Clock
) -> None:
    signed_in(client, fresh)
    clock.advance(minutes=20)
    page = client.get("/articles/a1")
    assert "expired" in page.text
    assert f'{COOKIE}=""' in page.headers["set-cookie"]
    assert parse(page.text).find(".//input[@name='author']") is not None


@pytest.mark.usefixtures("vouching")
def test_leaving_makes_the_form_anonymous_again(client: TestClient, fresh: str) -> None:
    signed_in(client, fresh)
    client.post("/articles/a1/subscriber/leave", data={"csrf": form(client)["csrf"]})
    page = parse(client.get("/articles/a1").text)
    assert page.find(".//input[@name='author']") is not None


@pytest.mark.usefixtures("vouching")
def test_a_published_subscribers_comment_shows_the_mark(
    client: TestClient, desk: Desk, fresh: str
) -> None:
    client.post("/articles/a1/comments", data=form(client, author="Anon"))
    signed_in(client, fresh)
    client.post("/articles/a1/comments", data=form(client, as_subscriber="1"))
    editor = desk.accounts.add_moderator("editor", PASSWORD, Role.MODERATOR)
    for item in desk.moderation.queue(state=State.PENDING).items:
        desk.moderation.decide(editor, item.comment.id, Action.APPROVE)
    page = parse(client.get("/articles/a1").text)
    marks = page.findall(".//*[@class='cd-badge cd-subscriber']")
    assert [text_of(mark) for mark in marks] == ["Subscriber"]
