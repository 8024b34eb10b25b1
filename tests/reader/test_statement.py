"""The statement of reasons on the author's own view and by its link, and the contest
form, with JavaScript off (plain forms, CSRF), in English and Korean."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Moderator, Role
from tests.reader.pages import by_id, csrf_token, parse, text_of, with_class
from tests.support import PASSWORD

FormFor = Callable[..., dict[str, str]]


def _rejected_own(
    client: TestClient, desk: Desk, editor: Moderator, thread_url: str, form_for: FormFor
) -> int:
    posted = client.post(
        f"{thread_url}/comments", data=form_for(body="About another story."), follow_redirects=False
    )
    comment_id = int(posted.headers["location"].rsplit("#own-", 1)[1])
    desk.decisions.decide(editor, comment_id, Action.REJECT, choice="off-topic")
    return comment_id


def _statement_link(page: str, comment_id: int) -> str:
    own = by_id(parse(page), f"own-{comment_id}")
    return next(
        a.get("href", "") for a in own.iter("a") if a.get("href", "").startswith("/statements/")
    )


def test_own_rejected_comment_shows_its_statement_of_reasons(
    client: TestClient, desk: Desk, editor: Moderator, thread_url: str, form_for: FormFor
) -> None:
    comment_id = _rejected_own(client, desk, editor, thread_url, form_for)
    own = by_id(parse(client.get(thread_url).text), f"own-{comment_id}")
    assert text_of(with_class(own, "cd-badge")[0]) == "Not published"
    facts = text_of(with_class(own, "cd-facts")[0])
    assert "A moderator decided not to publish your comment." in facts
    assert "Off-topic" in facts
    assert "The site's terms of use." in facts
    assert "The decision was made by a person." in facts
    assert with_class(own, "cd-contest-form")


def test_the_contest_form_works_without_script_and_only_once(
    client: TestClient, desk: Desk, editor: Moderator, thread_url: str, form_for: FormFor
) -> None:
    comment_id = _rejected_own(client, desk, editor, thread_url, form_for)
    page = client.get(thread_url).text
    link = _statement_link(page, comment_id)
    sent = client.post(
        f"{link}/contest",
        data={"csrf": csrf_token(page), "text": "It was about this story."},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(f"{link}?notice=contested")
    shown = client.get(link)
    assert "It is waiting for a second moderator." in shown.text
    assert "It was about this story." in shown.text
    again = client.post(f"{link}/contest", data={"csrf": csrf_token(page), "text": "Once more."})
    assert again.status_code == 409
    assert "each decision can be contested once" in again.text
    assert desk.contests.open(editor)[0].text == "It was about this story."


def test_a_contest_without_the_csrf_token_is_refused_and_the_words_kept(
    client: TestClient, desk: Desk, editor: Moderator, thread_url: str, form_for: FormFor
) -> None:
    comment_id = _rejected_own(client, desk, editor, thread_url, form_for)
    link = _statement_link(client.get(thread_url).text, comment_id)
    refused = client.post(f"{link}/contest", data={"text": "My words."})
    assert refused.status_code == 403
    assert "My words." in refused.text
    assert desk.contests.open(editor) == []


def test_an_empty_contest_answers_422_next_to_the_field(
    client: TestClient, desk: Desk, editor: Moderator, thread_url: str, form_for: FormFor
) -> None:
    comment_id = _rejected_own(client, desk, editor, thread_url, form_for)
    page = client.get(thread_url).text
    link = _statement_link(page, comment_id)
    refused = client.post(f"{link}/contest", data={"csrf": csrf_token(page), "text": "  "})
    assert refused.status_code == 422
    assert with_class(parse(refused.text), "cd-error")


def test_a_forged_statement_link_is_refused(client: TestClient) -> None:
    assert client.get("/statements/not-a-real-token").status_code == 403


def test_the_statement_page_speaks_korean(
    client: TestClient, desk: Desk, editor: Moderator, thread_url: str, form_for: FormFor
) -> None:
    comment_id = _rejected_own(client, desk, editor, thread_url, form_for)
    link = _statement_link(client.get(thread_url).text, comment_id)
    page = client.get(f"{link}?lang=ko")
    facts = text_of(with_class(parse(page.text), "cd-facts")[0])
    assert "주제와 무관" in facts
    assert "이 판단은 사람이 내렸습니다." in facts
    assert "Statement of reasons" not in page.text


def test_after_a_reversal_the_own_view_says_so_and_the_comment_is_published(
    client: TestClient, desk: Desk, editor: Moderator, thread_url: str, form_for: FormFor
) -> None:
    comment_id = _rejected_own(client, desk, editor, thread_url, form_for)
    contest = desk.statements.contest(desk.statements.token(comment_id), "On topic.")
    second = desk.accounts.add_moderator("second", PASSWORD, Role.MODERATOR)
    desk.contests.review(second, contest.id, "reverse", "Agreed.")
    page = parse(client.get(thread_url).text)
    outcome = with_class(by_id(page, f"own-{comment_id}"), "cd-outcome")[0]
    assert text_of(outcome) == "A second moderator reviewed it and reversed the decision."
    assert by_id(page, f"comment-{comment_id}") is not None
