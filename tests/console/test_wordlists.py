"""The word lists page: admins edit a site's list as JSON; a saved list screens the next comment."""

from __future__ import annotations

import html
import json
import re

from commentdesk.desk import Desk
from tests.console.support import Browser, send
from tests.support import Post

URL = "/console/settings/sites/1/wordlists/en"


def textarea(page: str) -> str:
    found = re.search(r'<textarea id="document" name="document"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "the page has no document field"
    return html.unescape(found.group(1))


def codes(desk: Desk, comment_id: int) -> set[str]:
    item = desk.moderation.queue(limit=200).items
    [comment] = [i.comment for i in item if i.comment.id == comment_id]
    return {reason.code for reason in comment.assessment.reasons}


def test_the_site_page_links_to_both_word_lists(browser: Browser, article_key: str) -> None:
    page = browser("chief").get("/console/settings/sites/1").text
    assert 'href="/console/settings/sites/1/wordlists/en"' in page
    assert 'href="/console/settings/sites/1/wordlists/ko"' in page


def test_a_saved_word_list_screens_the_next_submission(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    chief = browser("chief")
    document = json.loads(textarea(chief.get(URL).text))
    assert document["language"] == "en"
    document["entries"].append({"text": "flibbertigibbet", "kind": "banned"})
    answer = send(chief, URL, {"document": json.dumps(document)})
    assert answer.status_code == 303
    assert answer.headers["location"] == URL + "?done=saved"
    assert "Saved." in chief.get(answer.headers["location"]).text
    comment_id = post_comment("What a flibbertigibbet this minister is.")
    assert "banned_word" in codes(desk, comment_id)


def test_a_broken_list_is_refused_next_to_the_field_with_the_text_kept(
    browser: Browser, article_key: str
) -> None:
    chief = browser("chief")
    broken = '{"language": "en", "entries": [{}], "note": "<kept & escaped>"}'
    answer = send(chief, URL, {"document": broken})
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert "entry 0" in answer.text
    assert "&lt;kept &amp; escaped&gt;" in answer.text
    assert textarea(answer.text) == broken
    assert "flibbertigibbet" not in textarea(chief.get(URL).text)


def test_a_list_saved_under_the_wrong_language_is_refused(
    browser: Browser, article_key: str
) -> None:
    chief = browser("chief")
    korean = textarea(chief.get("/console/settings/sites/1/wordlists/ko").text)
    answer = send(chief, URL, {"document": korean})
    assert answer.status_code == 422
    assert "does not match" in answer.text


def test_word_lists_exist_for_english_and_korean_and_known_sites_only(
    browser: Browser, article_key: str
) -> None:
    chief = browser("chief")
    assert chief.get("/console/settings/sites/1/wordlists/fr").status_code == 404
    assert chief.get("/console/settings/sites/999/wordlists/en").status_code == 404
