"""The plain HTML form: POST /articles/{key}/comments, its notices and its errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderation, State
from commentdesk.store.tables import sites
from commentdesk.web import create_app
from tests.reader.pages import by_id, csrf_token, parse, text_of, with_class
from tests.support import MakeSettings, Post

FormFor = Callable[..., dict[str, str]]
PROMISE = (
    "Comments are written in plain text, reviewed by a moderator before they appear, "
    "and may be edited by a moderator under the site's terms of use. "
    "They do not appear in real time."
)


def test_form_has_every_field_with_a_label(client: TestClient, thread_url: str) -> None:
    form = parse(client.get(thread_url).text).find(".//form")
    assert form is not None
    assert (form.get("method"), form.get("action")) == ("post", f"{thread_url}/comments")
    names = {field.get("name") for field in form.iter() if field.get("name")}
    assert names == {"csrf", "author", "body", "email", "accept_terms"}
    labelled = {label.get("for") for label in form.iter("label")}
    assert labelled == {"cd-author", "cd-body", "cd-email", "cd-accept_terms"}


def test_form_shows_the_length_limit_and_that_no_mail_is_sent(
    client: TestClient, thread_url: str
) -> None:
    document = parse(client.get(thread_url).text)
    assert "up to 5,000 characters" in text_of(by_id(document, "cd-body-hint"))
    assert text_of(by_id(document, "cd-email-hint")) == (
        "This site sends no mail, so leave it empty: an address here would tell you nothing."
    )


def test_with_a_mail_server_the_form_says_what_email_is_for(
    make_settings: MakeSettings, desk: Desk, thread_url: str
) -> None:
    settings = make_settings(
        smtp_host="mail.example", smtp_from="news@example.org", public_url="https://c.example"
    )
    with TestClient(create_app(settings, desk=desk)) as client:
        document = parse(client.get(thread_url).text)
    assert text_of(by_id(document, "cd-email-hint")) == (
        "Used only to tell you about your comment; never shown to anyone."
    )


def test_the_thread_page_describes_itself_and_names_its_icon(
    client: TestClient, thread_url: str
) -> None:
    page = client.get(thread_url).text
    assert '<meta name="description" content="Readers’ comments on' in page
    assert '<link rel="icon" href="/static/icon.svg"' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")


def test_terms_checkbox_links_to_the_terms_in_a_new_tab(
    client: TestClient, thread_url: str
) -> None:
    label = parse(client.get(thread_url).text).find(".//label[@for='cd-accept_terms']")
    assert label is not None
    link = label.find("a")
    assert link is not None
    assert (link.get("href"), link.get("target")) == (f"{thread_url}/terms?lang=en", "_blank")


def test_the_promise_is_printed_under_the_form(client: TestClient, thread_url: str) -> None:
    promise = with_class(parse(client.get(thread_url).text), "cd-promise")
    assert [text_of(p) for p in promise] == [PROMISE]


def test_terms_page_shows_the_site_terms(client: TestClient, thread_url: str) -> None:
    response = client.get(f"{thread_url}/terms")
    assert response.status_code == 200
    terms = with_class(parse(response.text), "cd-terms")
    assert text_of(terms[0]).startswith("Be civil. No personal attacks")


def test_posting_answers_303_to_the_thread_with_a_held_for_review_notice(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    response = client.post(f"{thread_url}/comments", data=form_for(), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{thread_url}?notice=held#own-")
    notice = by_id(parse(client.get(response.headers["location"]).text), "notice")
    assert notice.get("role") == "status"
    assert text_of(notice).startswith("Thank you. Your comment is held for review.")


def test_posted_comment_is_stored_pending_with_what_was_typed(
    client: TestClient, form_for: FormFor, desk: Desk, thread_url: str
) -> None:
    data = form_for(author="서연", body="첫 댓글입니다.\n두 번째 줄.", email="s@example.org")
    client.post(f"{thread_url}/comments", data=data)
    queued = desk.moderation.queue().items
    assert [(i.comment.author, i.comment.body, i.comment.state) for i in queued] == [
        ("서연", "첫 댓글입니다.\n두 번째 줄.", State.PENDING)
    ]


def test_post_moderated_site_says_the_comment_appears_once_checked(
    client: TestClient, form_for: FormFor, desk: Desk, thread_url: str
) -> None:
    with desk.context.store.write() as connection:
        connection.execute(sites.update().values(moderation=Moderation.POST.value))
    response = client.post(f"{thread_url}/comments", data=form_for(), follow_redirects=False)
    assert response.headers["location"].startswith(f"{thread_url}?notice=checking#own-")
    page = client.get(response.headers["location"]).text
    assert "Thank you. Your comment will appear in a moment." in page
    assert "Plain words." not in text_of(by_id(parse(page), "thread"))
    desk.assessor.drain()  # the worker, seconds after the 202
    assert "Plain words." in text_of(by_id(parse(client.get(thread_url).text), "thread"))


def test_reply_link_turns_the_form_into_a_reply_quoting_the_comment(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    parent = publish("What do you think?", author="Jun")
    document = parse(client.get(f"{thread_url}?reply_to={parent}").text)
    assert text_of(by_id(document, "cd-compose-title")) == "Reply to Jun"
    assert text_of(with_class(document, "cd-quote")[0]) == "What do you think?"
    hidden = document.find(".//input[@name='parent_id']")
    assert hidden is not None
    assert hidden.get("value") == str(parent)


def test_posting_a_reply_stores_it_under_its_parent(
    client: TestClient, publish: Post, form_for: FormFor, desk: Desk, thread_url: str
) -> None:
    parent = publish()
    data = form_for(body="I agree.", parent_id=str(parent))
    assert (
        client.post(f"{thread_url}/comments", data=data, follow_redirects=False).status_code == 303
    )
    (item,) = desk.moderation.queue().items
    assert (item.comment.parent_id, item.comment.body) == (parent, "I agree.")


def test_form_error_answers_422_keeping_every_field(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    data = form_for(author="Mina 🌸", body="My long\nthoughtful text", email="mina@example.org")
    data.pop("accept_terms")
    response = client.post(f"{thread_url}/comments", data=data)
    assert response.status_code == 422
    document = parse(response.text)
    assert by_id(document, "cd-author").get("value") == "Mina 🌸"
    assert by_id(document, "cd-body").text == "My long\nthoughtful text"
    assert by_id(document, "cd-email").get("value") == "mina@example.org"


def test_form_error_is_next_to_its_field_and_announced(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    response = client.post(f"{thread_url}/comments", data=form_for(author="Mina 🌸"))
    document = parse(response.text)
    field = by_id(document, "cd-author")
    error = by_id(document, "cd-author-error")
    assert field.get("aria-invalid") == "true"
    assert "cd-author-error" in str(field.get("aria-describedby")).split()
    assert field.get("autofocus") is not None
    assert error.get("role") == "alert"
    assert "please remove CHERRY BLOSSOM" in text_of(error)


def test_form_reports_every_wrong_field_at_once(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    data = form_for(author=" ", body="", email="not-an-address")
    data.pop("accept_terms")
    document = parse(client.post(f"{thread_url}/comments", data=data).text)
    errors = {e.get("id") for e in with_class(document, "cd-error")}
    assert errors == {
        "cd-author-error",
        "cd-body-error",
        "cd-email-error",
        "cd-accept_terms-error",
    }


def test_too_long_comment_is_refused_with_its_length_and_kept(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    text = "가" * 5001
    response = client.post(f"{thread_url}/comments", data=form_for(body=text))
    assert response.status_code == 422
    document = parse(response.text)
    assert "5,001 characters long; the limit is 5,000" in text_of(by_id(document, "cd-body-error"))
    assert by_id(document, "cd-body").text == text


def test_unchecked_terms_keep_the_checkbox_unchecked_with_its_error(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    data = form_for()
    data.pop("accept_terms")
    document = parse(client.post(f"{thread_url}/comments", data=data).text)
    assert by_id(document, "cd-accept_terms").get("checked") is None
    assert text_of(by_id(document, "cd-accept_terms-error")) == (
        "Please accept the terms of use to post a comment."
    )


def test_reply_to_an_unpublished_comment_is_refused_keeping_the_text(
    client: TestClient, form_for: FormFor, thread_url: str
) -> None:
    response = client.post(
        f"{thread_url}/comments", data=form_for(body="hello?", parent_id="99999")
    )
    assert response.status_code == 422
    document = parse(response.text)
    assert "only reply to a published comment" in text_of(by_id(document, "cd-parent_id-error"))
    assert by_id(document, "cd-body").text == "hello?"


@pytest.mark.parametrize("token", ["", "0" * 64], ids=["missing", "wrong"])
def test_bad_csrf_token_answers_403_keeping_the_text(
    client: TestClient, form_for: FormFor, thread_url: str, token: str
) -> None:
    response = client.post(
        f"{thread_url}/comments", data=form_for(body="Do not lose me.", csrf=token)
    )
    assert response.status_code == 403
    document = parse(response.text)
    assert "This form has expired" in text_of(by_id(document, "problem"))
    assert by_id(document, "cd-body").text == "Do not lose me."


def test_form_shown_after_a_csrf_failure_can_be_sent(client: TestClient, thread_url: str) -> None:
    data = {"author": "Mina", "body": "Second try.", "accept_terms": "yes", "csrf": "0" * 64}
    failed = client.post(f"{thread_url}/comments", data=data)  # no cookie yet
    assert failed.status_code == 403
    retry = {**data, "csrf": csrf_token(failed.text)}
    sent = client.post(f"{thread_url}/comments", data=retry, follow_redirects=False)
    assert sent.status_code == 303


def test_csrf_failure_without_the_cookie_says_cookies_are_needed(
    client: TestClient, thread_url: str
) -> None:
    data = {"author": "Mina", "body": "Hello.", "accept_terms": "yes", "csrf": "0" * 64}
    problem = by_id(parse(client.post(f"{thread_url}/comments", data=data).text), "problem")
    assert "needs this site's cookies" in text_of(problem)


def test_posting_to_a_closed_thread_says_so_keeping_the_text(
    client: TestClient, form_for: FormFor, desk: Desk, article_key: str, thread_url: str
) -> None:
    data = form_for(body="Just in time?")
    desk.catalog.set_open(article_key, False)
    response = client.post(f"{thread_url}/comments", data=data)
    assert response.status_code == 403
    document = parse(response.text)
    assert "Comments are closed on this article." in text_of(by_id(document, "problem"))
    assert by_id(document, "cd-kept").text == "Just in time?"


def test_posting_to_an_unknown_article_answers_404_keeping_the_text(
    client: TestClient, form_for: FormFor
) -> None:
    response = client.post("/articles/nope/comments", data=form_for(body="Where am I?"))
    assert response.status_code == 404
    assert by_id(parse(response.text), "cd-kept").text == "Where am I?"
