"""A notice of illegal content through the reader's plain forms (no script needed)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderator
from tests.reader.pages import by_id, csrf_token, parse, text_of
from tests.support import Post

EXPLANATION = "The second sentence calls for a named group to be driven out by force."


def notice_form(client: TestClient, url: str, **fields: str) -> dict[str, str]:
    token = csrf_token(client.get(url).text)
    values = {
        "category": "hate",
        "law": "Germany, §130 StGB",
        "explanation": EXPLANATION,
        "name": "Jana Novak",
        "email": "jana@example.org",
        "good_faith": "yes",
    }
    return {"csrf": token, **values, **fields}


def test_choosing_illegal_on_the_report_form_leads_to_the_notice_keeping_the_details(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish("Drive them all out")
    url = f"{thread_url}/comments/{comment_id}/report"
    token = csrf_token(client.get(url).text)
    response = client.post(url, data={"reason": "illegal", "details": "incites", "csrf": token})
    assert response.status_code == 200
    document = parse(response.text)
    assert (by_id(document, "cd-explanation").text or "").strip() == "incites"
    assert "Drive them all out" in text_of(document)
    assert f"/articles/a1#comment-{comment_id}" in text_of(by_id(document, "cd-notice-location"))


def test_a_complete_notice_answers_303_with_a_thank_you_and_reaches_the_moderators(
    client: TestClient, publish: Post, desk: Desk, editor: Moderator, thread_url: str
) -> None:
    comment_id = publish()
    url = f"{thread_url}/comments/{comment_id}/notice"
    response = client.post(url, data=notice_form(client, url), follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Your notice of illegal content is received." in page
    assert "jana@example.org" not in page
    assert "Jana Novak" not in page
    (notice,) = desk.notices.listed(editor, open_only=True)
    assert (notice.comment_id, notice.notifier_name) == (comment_id, "Jana Novak")


def test_a_notice_without_good_faith_is_refused_keeping_everything_typed(
    client: TestClient, publish: Post, desk: Desk, editor: Moderator, thread_url: str
) -> None:
    url = f"{thread_url}/comments/{publish()}/notice"
    data = notice_form(client, url)
    del data["good_faith"]
    response = client.post(url, data=data)
    assert response.status_code == 422
    document = parse(response.text)
    assert "in good faith" in text_of(by_id(document, "cd-good_faith-error"))
    assert (by_id(document, "cd-explanation").text or "").strip() == EXPLANATION
    assert by_id(document, "cd-name").get("value") == "Jana Novak"
    assert desk.notices.listed(editor, open_only=False) == []


def test_every_missing_field_is_named_at_once(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    url = f"{thread_url}/comments/{publish()}/notice"
    data = notice_form(client, url, category="other", law="", explanation="bad", name="", email="")
    response = client.post(url, data=data)
    assert response.status_code == 422
    document = parse(response.text)
    for field in ("law", "explanation", "name", "email"):
        assert by_id(document, f"cd-{field}").get("aria-invalid") == "true"


def test_a_notice_of_child_abuse_may_be_sent_without_name_and_address(
    client: TestClient, publish: Post, desk: Desk, editor: Moderator, thread_url: str
) -> None:
    url = f"{thread_url}/comments/{publish()}/notice"
    data = notice_form(client, url, category="child_abuse", exempt="yes", name="", email="")
    assert client.post(url, data=data, follow_redirects=False).status_code == 303
    (notice,) = desk.notices.listed(editor, open_only=True)
    assert notice.exempt
    assert (notice.notifier_name, notice.notifier_email) == (None, None)


def test_other_notices_cannot_claim_the_exemption(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    url = f"{thread_url}/comments/{publish()}/notice"
    data = notice_form(client, url, exempt="yes", name="", email="")
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "child sexual abuse" in text_of(by_id(parse(response.text), "cd-exempt-error"))


def test_a_notice_without_csrf_token_is_refused_keeping_the_explanation(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    url = f"{thread_url}/comments/{publish()}/notice"
    data = notice_form(client, url)
    del data["csrf"]
    response = client.post(url, data=data)
    assert response.status_code == 403
    assert (by_id(parse(response.text), "cd-explanation").text or "").strip() == EXPLANATION


def test_an_oversized_field_is_cut_before_any_work(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    url = f"{thread_url}/comments/{publish()}/notice"
    response = client.post(url, data=notice_form(client, url, explanation="x" * 100_000))
    assert response.status_code in (413, 422)


def test_the_notice_page_speaks_korean(client: TestClient, publish: Post, thread_url: str) -> None:
    comment_id = publish()
    page = client.get(f"{thread_url}/comments/{comment_id}/notice?lang=ko").text
    assert "불법 콘텐츠 신고" in page
    assert "선의로" in page


def test_an_id_too_large_for_the_database_is_not_found(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    publish()
    url = f"{thread_url}/comments/{publish()}/notice"
    data = notice_form(client, url)
    huge = f"{thread_url}/comments/99999999999999999999/notice"
    assert client.get(huge).status_code == 404
    assert client.post(huge, data=data).status_code == 404
