"""The word lists page: admins edit a site's list as JSON; a saved list screens the next comment."""

from __future__ import annotations

import html
import json
import re

from commentdesk.desk import Desk
from commentdesk.desk.audit import AuditQuery
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


def test_a_word_added_through_the_form_screens_the_next_comment_and_is_logged(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    chief = browser("chief")
    before = json.loads(textarea(chief.get(URL).text))["entries"]
    added = send(
        chief, URL + "/add", {"text": " flibbertigibbet ", "kind": "banned", "mode": "word"}
    )
    assert (added.status_code, added.headers["location"]) == (303, URL + "?done=added")
    assert "Added." in chief.get(added.headers["location"]).text
    after = json.loads(textarea(chief.get(URL).text))["entries"]
    assert len(after) == len(before) + 1
    assert after[-1]["text"] == "flibbertigibbet"
    comment_id = post_comment("What a flibbertigibbet this minister is.")
    assert "banned_word" in codes(desk, comment_id)
    [event], _ = desk.audit.search(AuditQuery(action="word_list_changed"))
    assert event.target == "en"
    assert "added: flibbertigibbet" in (event.after_text or "")


def test_adding_a_listed_word_again_changes_how_it_is_listed_not_the_count(
    browser: Browser, article_key: str
) -> None:
    chief = browser("chief")
    send(chief, URL + "/add", {"text": "flibbertigibbet", "kind": "banned", "mode": "word"})
    count = len(json.loads(textarea(chief.get(URL).text))["entries"])
    send(chief, URL + "/add", {"text": "Flibbertigibbet", "kind": "suspect", "mode": "prefix"})
    entries = json.loads(textarea(chief.get(URL).text))["entries"]
    assert len(entries) == count
    assert entries[-1]["kind"] == "suspect"


def test_a_refused_word_comes_back_as_typed_with_the_problem_beside_it(
    browser: Browser, article_key: str
) -> None:
    chief = browser("chief")
    typed = "<b>" + "x" * 120
    answer = send(chief, URL + "/add", {"text": typed, "kind": "suspect", "mode": "prefix"})
    assert answer.status_code == 422
    assert 'id="add-problem"' in answer.text
    assert html.escape(typed, quote=True) in answer.text
    assert '<option value="suspect" selected>' in answer.text
    assert '<option value="prefix" selected>' in answer.text
    assert "x" * 120 not in textarea(chief.get(URL).text)
