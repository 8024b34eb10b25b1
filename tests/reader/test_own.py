"""The reader's own pending comments: shown to them alone, editable while the window is open."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from starlette.responses import Response

from commentdesk.desk import Desk
from commentdesk.model import Action, Moderator, State
from commentdesk.settings import Settings
from commentdesk.web import create_app
from commentdesk.web.cookies import Cookies
from commentdesk.web.reader import tokens as reader_tokens
from tests.reader.pages import by_id, csrf_token, parse, text_of, with_class
from tests.support import Clock, Post

FormFor = Callable[..., dict[str, str]]


def _post(client: TestClient, thread_url: str, form_for: FormFor, body: str) -> int:
    response = client.post(
        f"{thread_url}/comments", data=form_for(body=body), follow_redirects=False
    )
    return int(response.headers["location"].rsplit("#own-", 1)[1])


def test_own_pending_comment_is_shown_marked_awaiting_review(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Mine, pending.")
    own = by_id(parse(client.get(thread_url).text), f"own-{comment_id}")
    assert text_of(with_class(own, "cd-body")[0]) == "Mine, pending."
    assert text_of(with_class(own, "cd-badge")[0]) == "Awaiting review"


def test_own_pending_comment_is_not_shown_to_another_browser(
    client: TestClient, form_for: FormFor, thread_url: str, settings: Settings, desk: Desk
) -> None:
    _post(client, thread_url, form_for, "Only for me.")
    with TestClient(create_app(settings, desk=desk)) as stranger:
        assert "Only for me." not in stranger.get(thread_url).text


def test_edit_token_cookie_is_httponly_lax_and_scoped_to_articles(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    response = client.post(f"{thread_url}/comments", data=form_for(), follow_redirects=False)
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "cd_own=" in v
    )
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "samesite"} <= attributes
    assert "SameSite=lax" in cookie
    assert "Path=/articles" in cookie
    assert "secure" not in attributes


def test_cookies_are_secure_when_the_site_is_served_over_https(
    settings: Settings, desk: Desk, article_key: str, thread_url: str
) -> None:
    secure = settings.model_copy(update={"cookie_secure": True})
    with TestClient(create_app(secure, desk=desk), base_url="https://testserver") as client:
        page = client.get(thread_url)
        data = {"csrf": csrf_token(page.text), "author": "M", "body": "b", "accept_terms": "y"}
        posted = client.post(f"{thread_url}/comments", data=data, follow_redirects=False)
    cookies = [
        v
        for k, v in [*page.headers.multi_items(), *posted.headers.multi_items()]
        if k == "set-cookie"
    ]
    assert {cookie.split("=")[0] for cookie in cookies} >= {"cd_csrf", "cd_own"}
    assert all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)


def test_editing_own_comment_answers_303_with_a_notice_and_changes_it(
    client: TestClient, form_for: FormFor, desk: Desk, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Typo hree.")
    token = csrf_token(client.get(thread_url).text)
    response = client.post(
        f"{thread_url}/comments/{comment_id}/edit",
        data={"body": "Typo here.", "csrf": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{thread_url}?notice=edited#own-{comment_id}"
    page = client.get(response.headers["location"]).text
    assert "Your changes are saved." in page
    assert desk.moderation.queue().items[0].comment.body == "Typo here."


def test_edit_error_keeps_the_new_text_in_the_open_edit_box(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Short.")
    token = csrf_token(client.get(thread_url).text)
    long_text = "x" * 5001
    response = client.post(
        f"{thread_url}/comments/{comment_id}/edit", data={"body": long_text, "csrf": token}
    )
    assert response.status_code == 422
    document = parse(response.text)
    assert by_id(document, f"cd-edit-{comment_id}").text == long_text
    assert by_id(document, f"cd-edit-{comment_id}-error").get("role") == "alert"
    details = by_id(document, f"own-{comment_id}").find(".//details")
    assert details is not None
    assert details.get("open") is not None


def test_deleting_own_comment_answers_303_and_it_is_gone(
    client: TestClient, form_for: FormFor, desk: Desk, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Never mind.")
    token = csrf_token(client.get(thread_url).text)
    response = client.post(
        f"{thread_url}/comments/{comment_id}/delete", data={"csrf": token}, follow_redirects=False
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Your comment is deleted." in page
    assert "Never mind." not in page
    assert desk.moderation.queue(state=State.DELETED).items[0].comment.id == comment_id


def test_delete_without_csrf_token_is_refused(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Keep me.")
    response = client.post(f"{thread_url}/comments/{comment_id}/delete", data={})
    assert response.status_code == 403
    assert "Keep me." in response.text


def test_another_browser_cannot_delete_the_comment(
    client: TestClient, form_for: FormFor, thread_url: str, settings: Settings, desk: Desk
) -> None:
    comment_id = _post(client, thread_url, form_for, "Mine.")
    with TestClient(create_app(settings, desk=desk)) as stranger:
        token = csrf_token(stranger.get(thread_url).text)
        response = stranger.post(f"{thread_url}/comments/{comment_id}/delete", data={"csrf": token})
    assert response.status_code == 403
    assert "Only the browser that posted a comment can change it." in response.text


def test_after_the_window_the_comment_shows_no_edit_or_delete(
    client: TestClient, form_for: FormFor, clock: Clock, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Mine.")
    clock.advance(minutes=16)
    own = by_id(parse(client.get(thread_url).text), f"own-{comment_id}")
    assert own.find(".//form") is None
    assert "The time to change it has passed" in text_of(own)


def test_editing_after_the_window_answers_410_keeping_the_text(
    client: TestClient, form_for: FormFor, clock: Clock, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Mine.")
    token = csrf_token(client.get(thread_url).text)
    clock.advance(minutes=16)
    response = client.post(
        f"{thread_url}/comments/{comment_id}/edit", data={"body": "Too late?", "csrf": token}
    )
    assert response.status_code == 410
    assert by_id(parse(response.text), "cd-kept").text == "Too late?"


def test_approved_comment_leaves_the_own_list_and_the_cookie(
    client: TestClient, form_for: FormFor, desk: Desk, editor: Moderator, thread_url: str
) -> None:
    comment_id = _post(client, thread_url, form_for, "Now public.")
    desk.moderation.decide(editor, comment_id, Action.APPROVE)
    response = client.get(thread_url)
    document = parse(response.text)
    assert document.find(f".//*[@id='own-{comment_id}']") is None
    assert document.find(f".//*[@id='comment-{comment_id}']") is not None
    assert 'cd_own=""' in response.headers["set-cookie"]


def test_cookie_keeps_only_the_newest_twenty_tokens() -> None:
    pairs: dict[int, str] = {}
    for comment_id in range(1, 23):
        pairs = reader_tokens.with_added(pairs, comment_id, f"token-{comment_id:02d}-" + "x" * 30)
    response = Response()
    reader_tokens.write(response, pairs, Cookies(secure=False))
    value = response.headers["set-cookie"].split(";")[0].removeprefix("cd_own=")
    assert [int(pair.split(".")[0]) for pair in value.split("~")] == list(range(3, 23))


def test_cookie_with_too_many_or_mangled_pairs_is_read_safely(
    client: TestClient, thread_url: str
) -> None:
    junk = "~".join([*(f"{n}.{'t' * 43}" for n in range(30)), "x.y", "<script>", ""])
    client.cookies.set(reader_tokens.COOKIE, junk, path="/articles")
    assert client.get(thread_url).status_code == 200


def test_own_pending_reply_says_whom_it_answers(
    client: TestClient, form_for: FormFor, publish: Post, thread_url: str
) -> None:
    parent = publish(author="Jun")
    client.post(f"{thread_url}/comments", data=form_for(body="Agreed.", parent_id=str(parent)))
    own = with_class(by_id(parse(client.get(thread_url).text), "own"), "cd-answers")
    assert [text_of(p) for p in own] == ["In reply to Jun"]
