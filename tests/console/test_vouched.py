"""The vouched sources page: admins edit a site's vouched domains and numbers in a form
that needs the page's CSRF token, and sees the problem (escaped) when an entry is bad."""

from __future__ import annotations

import html
import re

import pytest

from commentdesk.desk import Desk
from tests.console.support import Browser, send
from tests.support import Post

URL = "/console/settings/sites/1/vouched"


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea id="{name}" name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"the page has no {name} field"
    return html.unescape(found.group(1))


def test_the_site_page_links_to_the_vouched_lists(browser: Browser, article_key: str) -> None:
    assert f'href="{URL}"' in browser("chief").get("/console/settings/sites/1").text


def test_the_form_shows_the_starter_lists(browser: Browser, article_key: str) -> None:
    page = browser("chief").get(URL).text
    assert "reuters.com" in textarea(page, "domains").splitlines()
    assert "1577-1366" in textarea(page, "numbers").splitlines()


def test_a_saved_list_is_shown_and_vouches_for_the_next_comment(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    chief = browser("chief")
    answer = send(chief, URL, {"domains": "localpaper.example", "numbers": "1588-0000"})
    assert answer.status_code == 303
    assert answer.headers["location"] == URL + "?done=saved"
    page = chief.get(answer.headers["location"]).text
    assert "Saved." in page
    assert textarea(page, "domains") == "localpaper.example"
    comment_id = post_comment("More at https://localpaper.example/council-minutes")
    [item] = [i for i in desk.moderation.queue(limit=200).items if i.comment.id == comment_id]
    assert {r.code for r in item.comment.assessment.reasons} <= {"new_commenter"}


def test_a_form_without_the_pages_csrf_token_is_refused(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    answer = send(browser("chief"), URL, {"domains": "spam.example", "numbers": ""}, csrf="x")
    assert answer.status_code == 403
    assert "spam.example" not in desk.vouched.for_site(1).domains


def test_a_bad_entry_is_named_escaped_and_the_text_kept(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    typed = "reuters.com\n<script>alert(1)</script>"
    answer = send(browser("chief"), URL, {"domains": typed, "numbers": "1393"})
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;" in answer.text
    assert textarea(answer.text, "domains") == typed
    assert 'id="domains" name="domains" rows="16" spellcheck="false" aria-invalid="true"' in (
        answer.text
    )


@pytest.mark.parametrize("who", ["mina", "otto"])
def test_moderators_cannot_open_or_save_the_lists(
    browser: Browser, article_key: str, who: str
) -> None:
    client = browser(who)
    assert client.get(URL).status_code == 403
    assert send(client, URL, {"domains": "x.example", "numbers": ""}).status_code == 403


def test_an_unknown_site_has_no_lists(browser: Browser, article_key: str) -> None:
    assert browser("chief").get("/console/settings/sites/999/vouched").status_code == 404
